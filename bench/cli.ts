/** The built CLI run by the benches: its exit code and its output, whole. */
import {spawn} from 'node:child_process'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{exitCode: number | null; stdout: string; stderr: string}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'run.js'), ...args], {
      cwd: repo,
      env: {...process.env, ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (exitCode) =>
      resolvePromise({
        exitCode,
        stderr: Buffer.concat(err).toString('utf8'),
        stdout: Buffer.concat(out).toString('utf8'),
      }),
    )
  })
}
