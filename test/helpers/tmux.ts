/**
 * A real terminal for tests: tmux (on a private server socket) runs the built CLI as a person would,
 * and the test reads the screen and types. Used for the VM picker and the confirmation prompts. Every
 * screen read is checked for leaked secrets, as cli.ts checks stdout and stderr (debug mode does not
 * apply here: the screen is what a person sees).
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {AssertionError} from 'chai'

import {leakIn, repoRoot, secretsOf} from './cli.js'

export const hasTmux = spawnSync('tmux', ['-V']).status === 0

export const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`

export class TmuxTerminal {
  private readonly socket: string
  /** per session: the secrets its environment holds */
  private readonly secrets = new Map<string, string[]>()

  /** `scratch`: a temp folder for the session scripts and exit codes. */
  constructor(
    name: string,
    private readonly scratch: string,
  ) {
    this.socket = `bootdiag-${name}-${process.pid}`
  }

  tmux(...args: string[]): string {
    const result = spawnSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'})
    if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
    return result.stdout
  }

  /** Start `bootdiag <args>` in a new session (not in CI, TERM set); its exit code is kept for exitCode(). */
  async startBootdiag(
    session: string,
    args: string[],
    env: Record<string, string>,
    size = {columns: 160, rows: 40},
  ): Promise<void> {
    const script = [
      'unset CI',
      ...Object.entries({...env, TERM: 'xterm-256color'}).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
      `cd ${shellQuote(repoRoot)}`,
      `${shellQuote(process.execPath)} bin/run.js ${args.map((arg) => shellQuote(arg)).join(' ')}`,
      `echo "EXIT=$?" > ${shellQuote(this.exitFile(session))}`,
      'sleep 30',
    ].join('\n')
    const path = join(this.scratch, `${session}.sh`)
    this.secrets.set(session, secretsOf(env))
    await writeFile(path, script)
    this.tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), `bash ${path}`)
  }

  screen(session: string, options: {history?: number} = {}): string {
    const screen = options.history
      ? this.tmux('capture-pane', '-p', '-J', '-t', session, '-S', `-${options.history}`)
      : this.tmux('capture-pane', '-p', '-t', session)
    const leak = leakIn(screen, this.secrets.get(session) ?? secretsOf({}))
    if (leak) throw new AssertionError(`the terminal of session ${session} shows ${leak}`)
    return screen
  }

  /** Type text literally. */
  type(session: string, text: string): void {
    this.tmux('send-keys', '-t', session, '-l', text)
  }

  /** Press keys by name (Enter, Down, C-c, ...). */
  press(session: string, ...keys: string[]): void {
    this.tmux('send-keys', '-t', session, ...keys)
  }

  /** Wait (polling the real screen) until it satisfies `done`, or fail with what it shows. */
  async waitForScreen(
    session: string,
    done: (screen: string) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs
    let screen = ''
    while (Date.now() < deadline) {
      screen = this.screen(session)
      if (done(screen)) return screen
      await new Promise((resolve) => setTimeout(resolve, 100))
    }

    throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen}`)
  }

  /** 'EXIT=<code>' once the CLI in `session` has exited. */
  async exitCode(session: string): Promise<string> {
    await this.waitForScreen(session, () => existsSync(this.exitFile(session)), 'the CLI to exit')
    return (await readFile(this.exitFile(session), 'utf8')).trim()
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'])
  }

  private exitFile(session: string): string {
    return join(this.scratch, `${session}.exit`)
  }
}
