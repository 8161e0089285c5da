/**
 * Runs the built CLI (`node bin/run.js`, i.e. dist/) the way a user does: a child process with its own
 * stdin, stdout, stderr and exit code, on the Node that runs the tests (22). stdout is kept as bytes so
 * byte-exact output (fetch --stdout) can be compared.
 *
 * Nothing leaked: every run is checked — its stdout and stderr (as written, debug lines included) must
 * hold no SAS signature, no JWT, no bearer token, no account key, and none of the secrets it was given or
 * the harness knows (known-secrets.ts), and neither may any file of the archive folder it wrote
 * (BOOTDIAG_ARCHIVE or --archive); the test fails otherwise, naming what leaked where (never the value).
 *
 * Debug mode (`debug: true`; the end-to-end suites of test/helpers/e2e.ts turn it on for every run that
 * talks to the fake Azure): the run gets BOOTDIAG_DEBUG=1 (= --debug: the Azure SDKs' HTTP log and stack
 * traces on stderr), so the leak check reads what --debug prints. The tests' assertions see stderr as a
 * user without --debug would: the `[debug] ` lines and the stack after the `Error:` line are taken out
 * (`rawStderr` keeps everything, and it is what the leak check reads).
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {AssertionError, expect} from 'chai'

import {DEV_ACCOUNT_KEY} from './azurite.js'
import {knownTestSecrets} from './known-secrets.js'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** A compiled command, to tell whether dist/ is there and fresh. */
export const builtCommand = join(repoRoot, 'dist', 'commands', 'analyze.js')

function newestSourceMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }

  return newest
}

/** Compile src/ to dist/ unless it is up to date (`npm test` builds it; a lone `npx mocha <file>` may not have). */
export function ensureBuilt(): void {
  if (existsSync(builtCommand) && statSync(builtCommand).mtimeMs >= newestSourceMtime(join(repoRoot, 'src'))) return
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
  if (!existsSync(builtCommand))
    throw new Error(`tsc -p tsconfig.build.json did not produce ${builtCommand}:\n${result.stdout}${result.stderr}`)
  if (result.status !== 0) process.stderr.write('  (notice: tsc reported errors; the tests use what it emitted)\n')
}

export interface CliResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdoutBytes: Buffer
  stdout: string
  /** stderr as a user without --debug sees it (in debug mode: without the debug lines and the stack) */
  stderr: string
  /** stderr as written */
  rawStderr: string
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv
  input?: string | Buffer
  /** kill the child after this long (a hung CLI must fail the test, not the suite) */
  timeoutMs?: number
  /** run the CLI behind this command line, e.g. ['prlimit', '--fsize=1000'] */
  wrapper?: string[]
  /** with --debug on (BOOTDIAG_DEBUG=1); `stderr` is then what a user without --debug sees (see the module comment) */
  debug?: boolean
}

/**
 * Loopback only, whatever a test forgets: sign-in is the service principal from the environment (never
 * the default chain, which would probe the managed-identity endpoint), and every HTTP client that honours
 * the proxy variables is sent to a dead proxy except for loopback. A test's own env (e.g. the fake's)
 * comes on top.
 */
const LOOPBACK_ONLY: NodeJS.ProcessEnv = {
  BOOTDIAG_AUTH: 'environment',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  NO_PROXY: '127.0.0.1,localhost',
}

/** The environment of a CLI run: the test process's, loopback-only defaults, NO_COLOR, the test's own — and BOOTDIAG_DEBUG=1 in debug mode. */
export function cliEnv(env: NodeJS.ProcessEnv = {}, debug = false): NodeJS.ProcessEnv {
  return {...process.env, ...LOOPBACK_ONLY, NO_COLOR: '1', ...env, ...(debug ? {BOOTDIAG_DEBUG: '1'} : {})}
}

export interface RunningCli {
  child: ChildProcess
  /** stdout and stderr so far, as written */
  output(): {stdout: string; stderr: string}
  /** the run's end, once checked for leaks */
  done: Promise<CliResult>
}

/** Start the built CLI as a child process (for tests that signal it or watch it while it runs). */
export function startBootdiag(args: string[], options: CliRunOptions = {}): RunningCli {
  const debug = options.debug ?? false
  const env = cliEnv(options.env, debug)
  const command = [...(options.wrapper ?? []), process.execPath, join(repoRoot, 'bin', 'run.js'), ...args]
  const child = spawn(command[0], command.slice(1), {cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe']})
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk))
  const done = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      const bytes = Buffer.concat(stdout)
      const rawStderr = Buffer.concat(stderr).toString('utf8')
      const result: CliResult = {
        exitCode,
        rawStderr,
        signal,
        stderr: debug ? withoutDebugOutput(rawStderr) : rawStderr,
        stdout: bytes.toString('utf8'),
        stdoutBytes: bytes,
      }
      try {
        expectNothingLeaked(result, args, env)
        resolvePromise(result)
      } catch (error) {
        reject(error)
      }
    })
  })
  child.stdin!.on('error', () => {})
  child.stdin!.end(options.input ?? '')
  return {
    child,
    done,
    output: () => ({stderr: Buffer.concat(stderr).toString('utf8'), stdout: Buffer.concat(stdout).toString('utf8')}),
  }
}

/** Run the built CLI to its end. */
export function runBootdiag(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  return startBootdiag(args, options).done
}

/** The CLI failed the documented way: nothing on stdout, one line on stderr, no stack, this exit code. */
export function expectOneLineError(run: CliResult, exitCode: number, pattern: RegExp): void {
  expect(run.exitCode, run.stderr).to.equal(exitCode)
  expect(run.stdout).to.equal('')
  expect(run.stderr.trimEnd().split('\n'), run.stderr).to.have.length(1)
  expect(run.stderr.trimEnd()).to.match(pattern)
  expect(run.stderr).not.to.match(/\n\s+at /)
}

/** stderr without what --debug adds: the `[debug] ` lines, and the stack printed after the `Error:` line. */
export function withoutDebugOutput(stderr: string): string {
  const lines = stderr.split('\n').filter((line) => !line.startsWith('[debug] '))
  const error = lines.findIndex((line) => line.startsWith('Error: '))
  return error === -1 ? lines.join('\n') : `${lines.slice(0, error + 1).join('\n')}\n`
}

// --- nothing leaked --------------------------------------------------------------------------------

/** What no output may hold: shapes of secrets (a redacted one reads `<redacted>` and passes). */
const LEAK_SHAPES: Array<[string, RegExp]> = [
  ['a SAS signature', /\bsig=(?!<redacted>)[A-Za-z0-9%+/=]{8,}/i],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/],
  ['a bearer token', /\bBearer\s+(?!<redacted>)[A-Za-z0-9._~+/=-]{8,}/],
  ['an account key in a connection string', /\bAccountKey=(?!<redacted>)[^;\s"']{8,}/i],
]

/** Values that must never appear: the harness's, and the secrets this run was given in its environment. */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const fromEnv = Object.entries(env)
    .filter(([name, value]) => /SECRET|PASSWORD|ACCOUNT_KEY|_TOKEN$/i.test(name) && value && value.length >= 8)
    .map(([, value]) => value!)
  return [DEV_ACCOUNT_KEY, ...knownTestSecrets(), ...fromEnv]
}

/** Why `text` leaks, or undefined. */
export function leakIn(text: string, secrets: readonly string[]): string | undefined {
  for (const [what, shape] of LEAK_SHAPES) if (shape.test(text)) return what
  for (const secret of secrets)
    if (text.includes(secret)) return `a secret value of the test harness (${secret.length} characters)`
  return undefined
}

/** Fail the test when a run's output or the archive folder it wrote holds a secret. */
export function expectNothingLeaked(
  run: {stdout: string; rawStderr: string},
  args: string[],
  env: NodeJS.ProcessEnv,
): void {
  const secrets = secretsOf(env)
  const where = `bootdiag ${args.join(' ')}`.slice(0, 200)
  for (const [stream, text] of [
    ['stdout', run.stdout],
    ['stderr', run.rawStderr],
  ] as const) {
    const leak = leakIn(text, secrets)
    if (leak) throw new AssertionError(`${where}: ${leak} on ${stream}`)
  }

  const archive = archiveOf(args, env)
  if (archive) {
    for (const file of textFilesUnder(archive)) {
      const leak = leakIn(readIfThere(file), secrets)
      if (leak) throw new AssertionError(`${where}: ${leak} in ${file}`)
    }
  }
}

/** The archive folder a run wrote to (a Blob container is not read back here). */
function archiveOf(args: string[], env: NodeJS.ProcessEnv): string | undefined {
  const flag = args.indexOf('--archive')
  const value = flag >= 0 ? args[flag + 1] : env.BOOTDIAG_ARCHIVE
  if (!value || /^https?:/i.test(value)) return undefined
  return existsSync(value) && statSync(value).isDirectory() ? value : undefined
}

/** A file's text; '' when another run (tests run CLIs side by side) removed it meanwhile. */
function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw error
  }
}

/** Every file under `folder` but images (serial logs, manifests, state and lock files); what vanishes meanwhile is skipped. */
function textFilesUnder(folder: string): string[] {
  let entries
  try {
    entries = readdirSync(folder, {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }

  return entries.flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return textFilesUnder(path)
    return entry.isFile() && !/\.(bmp|png)$/i.test(entry.name) ? [path] : []
  })
}
