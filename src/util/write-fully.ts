/**
 * FileHandle.write may write fewer bytes than it was given and still succeed: the kernel stops a write at
 * a file-size limit or when the disk fills, returns the count it managed, and fails only the next write.
 * A caller that ignores the count keeps a file shorter than it believes (and a hash of bytes it does not
 * hold). `writeFully` writes again from where a short write stopped, so the real error (EFBIG, ENOSPC,
 * EDQUOT) is thrown instead.
 */
import type {FileHandle} from 'node:fs/promises'

export async function writeFully(file: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < data.length) {
    const {bytesWritten} = await file.write(data, done, data.length - done, position + done)
    if (bytesWritten === 0)
      throw Object.assign(new Error(`Could not write to the file at byte ${position + done} (no byte written)`), {
        code: 'EIO',
        syscall: 'write',
      })
    done += bytesWritten
  }
}
