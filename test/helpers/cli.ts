/**
 * Runs the built CLI (`node bin/run.js`, i.e. dist/) the way a user does: a child process with its own
 * stdin, stdout, stderr and exit code, on the Node that runs the tests (22). stdout is kept as bytes so
 * byte-exact output (fetch --stdout) can be compared.
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

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
  const result = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {cwd: repoRoot, encoding: 'utf8'})
  if (!existsSync(builtCommand)) throw new Error(`tsc -p tsconfig.build.json did not produce ${builtCommand}:\n${result.stdout}${result.stderr}`)
  if (result.status !== 0) process.stderr.write('  (notice: tsc reported errors; the tests use what it emitted)\n')
}

export interface CliResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdoutBytes: Buffer
  stdout: string
  stderr: string
}

export interface CliRunOptions {
  env?: NodeJS.ProcessEnv
  input?: string | Buffer
  /** kill the child after this long (a hung CLI must fail the test, not the suite) */
  timeoutMs?: number
}

export function runBootdiag(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd: repoRoot,
      env: {...process.env, NO_COLOR: '1', ...options.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer)
      const bytes = Buffer.concat(stdout)
      resolvePromise({exitCode, signal, stderr: Buffer.concat(stderr).toString('utf8'), stdout: bytes.toString('utf8'), stdoutBytes: bytes})
    })
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

/** The CLI failed the documented way: nothing on stdout, one line on stderr, no stack, this exit code. */
export function expectOneLineError(run: CliResult, exitCode: number, pattern: RegExp): void {
  expect(run.exitCode, run.stderr).to.equal(exitCode)
  expect(run.stdout).to.equal('')
  expect(run.stderr.trimEnd().split('\n'), run.stderr).to.have.length(1)
  expect(run.stderr.trimEnd()).to.match(pattern)
  expect(run.stderr).not.to.match(/\n\s+at /)
}
