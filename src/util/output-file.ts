/**
 * Files a user names for output (`--html FILE`, later `--metrics-file`): checked before a long run, and
 * written atomically — a reader never sees half a file, and a failed write leaves nothing behind.
 */
import {constants as fsConstants} from 'node:fs'
import {access, mkdtemp, rename, rm, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {BootdiagError, UsageError, fileSystemError} from '../errors.js'

/** Before the work: `path` names a file whose folder exists and is writable. `flag` names the option, for the message. */
export async function checkOutputFile(path: string, flag: string, what: string): Promise<void> {
  if (path === '-' || path === '')
    throw new UsageError(`${flag} needs a file path, for example ${flag} ${exampleName(flag)}.`)
  const existing = await stat(path).catch(() => undefined)
  if (existing?.isDirectory())
    throw new UsageError(
      `${flag} ${path} is a directory. Give a file path, for example ${flag} ${join(path, exampleName(flag))}.`,
    )
  await access(dirname(resolve(path)), fsConstants.W_OK).catch((error: unknown) => {
    throw writeError(error, path, flag, what)
  })
}

/** Write `content` to `path` through a temporary file in the same folder and one rename. */
export async function writeOutputFile(
  path: string,
  content: string | Uint8Array,
  flag: string,
  what: string,
): Promise<void> {
  const folder = dirname(resolve(path))
  let temp: string | undefined
  try {
    temp = await mkdtemp(join(folder, `.${basename(path)}.`))
    const file = join(temp, basename(path))
    await writeFile(file, content, {mode: 0o644})
    await rename(file, path)
  } catch (error) {
    throw writeError(error, path, flag, what)
  } finally {
    if (temp) await rm(temp, {force: true, recursive: true}).catch(() => {})
  }
}

function writeError(error: unknown, path: string, flag: string, what: string): BootdiagError {
  const fix = `Choose a writable path for ${flag}.`
  return (
    fileSystemError(error, {fix, what: `${what} ${path}`, writing: true}) ??
    new BootdiagError(`Cannot write ${what} ${path} (${(error as Error).message?.split('\n')[0]}). ${fix}`, {
      cause: error,
      code: 'NotWritable',
    })
  )
}

function exampleName(flag: string): string {
  return flag === '--html' ? 'report.html' : 'bootdiag.prom'
}
