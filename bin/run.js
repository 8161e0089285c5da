#!/usr/bin/env node
/**
 * The bootdiag command. Before oclif starts, three things a first run can meet:
 * - an older Node.js: said once per user in one line (not oclif's warning on every command);
 * - a source checkout that was never built (`npx bootdiag` right after `npm ci`): dist/ is compiled first,
 *   or the run says how to build it;
 * - a reader that goes away (`bootdiag analyze big.log | head -5`): the command ends quietly, with the exit
 *   code it had so far, as `git log | head` does.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const REQUIRED_NODE_MAJOR = 22

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0)
  })
}

if (Number(process.versions.node.split('.')[0]) < REQUIRED_NODE_MAJOR) {
  // oclif would print "(node:PID) Warning: Node version must be >=22 …" on every run; say it once, clearly.
  process.env.OCLIF_DISABLE_ENGINE_WARNING = '1'
  sayOnce(
    `node-${process.versions.node.split('.')[0]}`,
    `bootdiag: this is Node.js ${process.versions.node}; bootdiag is built and tested on Node.js ${REQUIRED_NODE_MAJOR} or later. It runs, but install Node.js ${REQUIRED_NODE_MAJOR} (https://nodejs.org) to stay on what is tested; in a source checkout, 'npx bootdiag' uses the Node ${REQUIRED_NODE_MAJOR} that 'npm ci' put in node_modules/.bin. (Said once.)\n`,
  )
}

if (!existsSync(join(root, 'dist', 'commands'))) build()

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})

/** Compile src/ into dist/ in a source checkout that was never built, or say how. */
function build() {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const config = join(root, 'tsconfig.build.json')
  if (!existsSync(tsc) || !existsSync(config)) {
    process.stderr.write(
      `Error: bootdiag is not built: ${join(root, 'dist')} is missing. Run 'npm ci && npm run build' in ${root}.\n`,
    )
    process.exit(1)
  }

  process.stderr.write(`bootdiag is not built yet: compiling it once (npm run build) in ${root}…\n`)
  const result = spawnSync(process.execPath, [tsc, '-p', config], {cwd: root, encoding: 'utf8'})
  if (result.status !== 0 || !existsSync(join(root, 'dist', 'commands'))) {
    const first = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').find((line) => line.trim()) ?? ''
    process.stderr.write(
      `Error: bootdiag could not be built${first ? ` (${first.trim()})` : ''}. Run 'npm run build' in ${root} and read its output.\n`,
    )
    process.exit(1)
  }
}

/** Print `message` on stderr unless it was printed before for this user (a marker in the per-user state folder). */
function sayOnce(name, message) {
  const folder = join(stateHome(), 'bootdiag')
  const marker = join(folder, `${name}.notice`)
  if (existsSync(marker)) return
  process.stderr.write(message)
  try {
    mkdirSync(folder, {recursive: true})
    writeFileSync(marker, `${new Date().toISOString()}\n`)
  } catch {
    // no writable state folder: the notice comes again next time
  }
}

function stateHome() {
  if (process.platform === 'win32') return process.env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support')
  return process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state')
}
