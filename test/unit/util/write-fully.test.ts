import type {FileHandle} from 'node:fs/promises'

import {expect} from 'chai'

import {writeFully} from '../../../src/util/write-fully.js'

/** A file that takes at most `room` bytes per write and fails once `capacity` is reached, as the kernel does. */
function fakeFile(capacity: number, room = Number.POSITIVE_INFINITY): {file: FileHandle; bytes: number[]} {
  const bytes: number[] = []
  const file = {
    async write(data: Uint8Array, offset: number, length: number, position: number) {
      if (position >= capacity)
        throw Object.assign(new Error('EFBIG: file too large, write'), {code: 'EFBIG', syscall: 'write'})
      const count = Math.min(length, room, capacity - position)
      for (let i = 0; i < count; i++) bytes[position + i] = data[offset + i]
      return {buffer: data, bytesWritten: count}
    },
  }
  return {bytes, file: file as unknown as FileHandle}
}

describe('writeFully', () => {
  it('writes again from where a short write stopped', async () => {
    const {bytes, file} = fakeFile(100, 3)
    await writeFully(file, Buffer.from('0123456789'), 5)
    expect(Buffer.from(bytes.slice(5)).toString()).to.equal('0123456789')
  })

  it('a write the kernel cuts short at a limit surfaces the kernel’s error, never a short file taken as whole', async () => {
    const {file} = fakeFile(8)
    const error = await writeFully(file, Buffer.from('0123456789'), 0).catch((e: Error) => e)
    expect(error).to.include({code: 'EFBIG'})
  })
})
