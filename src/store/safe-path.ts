/**
 * Paths inside a folder archive, walked without following links. Someone with write access to the archive
 * could put a symbolic link where a subscription, resource group, VM or snapshot folder, the state file or
 * the lock belongs; following it would make bootdiag write — or read the base of an incremental snapshot —
 * outside the archive. So every level below the archive root is checked with lstat (a link is refused with
 * a one-line error naming it), folders are created one level at a time (mkdir never follows a link at its
 * last component), and files are opened with O_NOFOLLOW.
 *
 * The archive root itself may be a link (`--archive /srv/bootdiag` pointing at a data disk): it is the
 * user's choice, outside what bootdiag writes.
 */
import {constants} from 'node:fs'
import {type FileHandle, lstat, mkdir, open, rmdir} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {BootdiagError} from '../errors.js'
import {printable} from '../util/printable.js'

/** O_NOFOLLOW where the platform has it (not on Windows, where links need privileges to make). */
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0

/** A symbolic link (or another foreign entry) where the archive's layout has a folder or a file of its own. */
export class ArchiveLinkError extends BootdiagError {
  constructor(
    readonly path: string,
    what: 'a symbolic link' | 'not a folder' | 'not a file' = 'a symbolic link',
  ) {
    super(
      what === 'a symbolic link'
        ? `${printable(path)} is a symbolic link inside the archive; bootdiag never follows links there (it could write or read outside the archive). Remove the link (or put the real folder or file in its place) and run again.`
        : `${printable(path)} is ${what}, where the archive keeps its own ${what === 'not a folder' ? 'folder' : 'file'}. Move it away and run again.`,
      {code: 'ArchiveLink'},
    )
    this.name = 'ArchiveLinkError'
  }
}

/**
 * Create `path` and any missing parents, one at a time, so that a failure names its real cause: Node's
 * recursive mkdir says ENOENT on a read-only file system, where mkdir(2) says EROFS.
 */
export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return
    if (code !== 'ENOENT' || dirname(path) === path) throw error
    await makeFolder(dirname(path))
    try {
      await mkdir(path)
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again
    }
  }
}

/**
 * The folder `root/segments…`, each level checked not to be a link. With `create`, missing levels are made
 * (the root too); without, undefined when a level does not exist.
 */
export async function archiveFolder(
  root: string,
  segments: readonly string[],
  options: {create: boolean},
): Promise<string | undefined> {
  // Another run may drop an empty folder of the path while this one makes the path (dropEmptyFolders):
  // then the walk starts again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await walk(root, segments, options.create)
    } catch (error) {
      if (!options.create || (error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error
    }
  }
}

async function walk(root: string, segments: readonly string[], create: boolean): Promise<string | undefined> {
  if (create) await makeFolder(root)
  let path = root
  for (const segment of segments) {
    path = join(path, segment)
    if (create) {
      try {
        await mkdir(path)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
    }

    const kind = await entryKind(path)
    if (kind === 'missing') {
      if (create) throw Object.assign(new Error(`ENOENT: ${path} vanished`), {code: 'ENOENT', path})
      return undefined
    }

    if (kind === 'link') throw new ArchiveLinkError(path)
    if (kind !== 'folder') throw new ArchiveLinkError(path, 'not a folder')
  }

  return path
}

/**
 * Remove `root/segments…` and its parents up to (not including) the root, each only while it is empty: a
 * VM whose snapshot failed leaves no empty folder behind.
 */
export async function dropEmptyFolders(root: string, segments: readonly string[]): Promise<void> {
  for (let depth = segments.length; depth > 0; depth--) {
    try {
      await rmdir(join(root, ...segments.slice(0, depth)))
    } catch {
      return // not empty (another snapshot, the state file), gone already, or not ours to remove
    }
  }
}

export type EntryKind = 'file' | 'folder' | 'link' | 'missing' | 'other'

/** What is at `path`, without following a link there. */
export async function entryKind(path: string): Promise<EntryKind> {
  try {
    const info = await lstat(path)
    if (info.isSymbolicLink()) return 'link'
    if (info.isDirectory()) return 'folder'
    return info.isFile() ? 'file' : 'other'
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing'
    throw error
  }
}

/** Open a file of the archive for reading, never through a link; a link or a non-file is an ArchiveLinkError. */
export async function openArchiveFile(path: string): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, constants.O_RDONLY | NO_FOLLOW | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new ArchiveLinkError(path)
    throw error
  }

  const info = await handle.stat()
  if (!info.isFile()) {
    await handle.close()
    throw new ArchiveLinkError(path, 'not a file')
  }

  return handle
}

/** A file of the archive as text, never through a link; undefined when it does not exist. */
export async function readArchiveText(path: string): Promise<string | undefined> {
  let handle: FileHandle
  try {
    handle = await openArchiveFile(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }

  try {
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}
