/**
 * Durable writes for the archive: a new file is created exclusively, written whole, flushed to disk and
 * closed before anyone renames or links it into place; a folder is flushed after a rename in it.
 */
import {open} from 'node:fs/promises'

/** Create `path` (it must not exist), write `data`, fsync, close. */
export async function writeNewFile(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx')
  try {
    await handle.writeFile(data)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Flush a folder's entries (after a rename into it). Some platforms (Windows) cannot; renames stay atomic. */
export async function fsyncFolder(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // not supported here
  }
}
