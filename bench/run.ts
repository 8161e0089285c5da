/**
 * Runs the benchmarks: every bench/*.bench.ts in turn, or only those named on the command line
 * (`node --import tsx bench/run.ts analyze`). A bench module's default export is an async function.
 * Benchmarks write only under bench/out/ (not committed).
 */
import {readdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const wanted = process.argv.slice(2)
const benches = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => ({file, name: file.slice(0, -'.bench.ts'.length)}))
  .filter(({name}) => wanted.length === 0 || wanted.includes(name))

if (benches.length === 0) {
  console.error(
    `No benchmark named ${wanted.join(', ')}. Available: ${readdirSync(here)
      .filter((file) => file.endsWith('.bench.ts'))
      .join(', ')}`,
  )
  process.exit(2)
}

for (const {file, name} of benches) {
  console.log(`\n== ${name} ==`)
  const module = (await import(pathToFileURL(join(here, file)).href)) as {default: () => Promise<void>}
  await module.default()
}
