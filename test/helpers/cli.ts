/**
 * Runs the built CLI (`node bin/run.js`, i.e. dist/) the way a user does: a child process with its own
 * stdin, stdout, stderr and exit code, on the Node that runs the tests (22). stdout is kept as bytes so
 * byte-exact output (fetch --stdout) can be compared.
 */
import {spawn} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

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
