/** A private temporary folder per process for local copies of index files, removed when the process ends. */
import {rmSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

let folder: Promise<string> | undefined

export function indexScratch(): Promise<string> {
  folder ??= (async () => {
    const path = await mkdtemp(join(tmpdir(), 'bootdiag-index-'))
    process.once('exit', () => rmSync(path, {force: true, recursive: true}))
    return path
  })()
  return folder
}
