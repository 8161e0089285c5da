/**
 * Run the built CLI (`node bin/run.js`, which runs dist/) as a user would: a child process with its
 * own stdin, stdout, stderr and exit code. `ensureBuilt` compiles src/ into dist/ first when dist/ is
 * missing or older than src/ (`npm test` builds it already; a lone `npx mocha <file>` may not have).
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const builtCommand = join(repoRoot, 'dist', 'commands', 'analyze.js')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path))
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }

  return newest
}

/** Compile src/ to dist/ unless dist/ is up to date. Type errors elsewhere do not stop the tests. */
export function ensureBuilt(): void {
  if (existsSync(builtCommand) && statSync(builtCommand).mtimeMs >= newestMtime(join(repoRoot, 'src'))) return
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc')
  const result = spawnSync(tsc, ['-p', 'tsconfig.build.json'], {cwd: repoRoot, encoding: 'utf8'})
  if (!existsSync(builtCommand)) {
    throw new Error(`tsc -p tsconfig.build.json did not produce ${builtCommand}:\n${result.stdout}${result.stderr}`)
  }

  if (result.status !== 0) process.stderr.write(`  (notice: tsc reported errors; the tests use what it emitted)\n`)
}

export interface CliRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  /** written to the child's stdin, which is then closed */
  input?: string | Buffer
  env?: NodeJS.ProcessEnv
}

/** `node bin/run.js ...args` on the Node that runs the tests (22). */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd: repoRoot,
      env: {...process.env, ...options.env},
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (exitCode) => {
      resolvePromise({exitCode, stderr: Buffer.concat(stderr).toString('utf8'), stdout: Buffer.concat(stdout).toString('utf8')})
    })
    child.stdin.on('error', () => {}) // the CLI may exit before reading all of stdin
    child.stdin.end(options.input ?? '')
  })
}
