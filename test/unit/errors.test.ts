/**
 * The one mapping of file-system errors (errors.ts fileSystemError, used by BaseCommand.toBootdiagError,
 * the analyser's input, output files and the archive run) for what the file system says when the archive
 * cannot take a snapshot: one line that says what happened and what to do, exit 1.
 */
import {readFileSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'
import {expect} from 'chai'

import {BaseCommand} from '../../src/cli/base-command.js'
import {type BootdiagError, ERROR_CODES} from '../../src/errors.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

class Probe extends BaseCommand<typeof Probe> {
  async run(): Promise<void> {}

  map(error: unknown): BootdiagError {
    return this.toBootdiagError(error)
  }
}

function fsError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, ${syscall} '${path}'`), {code, path, syscall})
}

describe('file-system failures → one line, exit 1', () => {
  let probe: Probe
  let scratch: string

  before(async () => {
    probe = new Probe([], await Config.load(root))
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-mapping-'))
  })

  after(() => rm(scratch, {force: true, recursive: true}))

  it('a full disk, a used-up quota, a file-size limit: say so, and that nothing partial was kept', () => {
    const where = join(scratch, 'serial.log.partial')
    expect(probe.map(fsError('ENOSPC', 'write', where))).to.include({
      code: 'DiskFull',
      exitCode: 1,
      message: 'No space left on the device (ENOSPC); nothing partial was kept. Free some space and run again.',
    })
    expect(probe.map(fsError('EDQUOT', 'write', where))).to.include({
      code: 'DiskFull',
      message: 'The disk quota is used up (EDQUOT); nothing partial was kept. Free some space and run again.',
    })
    expect(probe.map(fsError('EFBIG', 'write', where))).to.include({code: 'FileTooLarge', exitCode: 1})
  })

  it('a read-only destination: which path, and to choose another --archive; creating a file counts as writing', () => {
    const expected = (path: string, code: string) =>
      `Cannot write ${path} (${code}); nothing partial was kept. Choose a writable folder with --archive.`
    expect(probe.map(fsError('EROFS', 'mkdir', '/mnt/ro/sub'))).to.include({
      code: 'NotWritable',
      message: expected('/mnt/ro/sub', 'EROFS'),
    })
    expect(probe.map(fsError('EACCES', 'mkdir', '/srv/archive/sub'))).to.include({
      code: 'NotWritable',
      message: expected('/srv/archive/sub', 'EACCES'),
    })
    const creating = join(scratch, '.bootdiag-archive.lock.1-ab.tmp')
    expect(probe.map(fsError('EPERM', 'open', creating))).to.include({
      code: 'NotWritable',
      message: expected(creating, 'EPERM'),
    })
    // opening a file that exists (to read it) and being refused is not said to be a write
    expect(probe.map(fsError('EACCES', 'open', scratch))).to.include({
      code: 'NotReadable',
      message: `Cannot read ${scratch} (EACCES: permission denied). Check the path and its permissions.`,
    })
  })
})

describe('error codes: a typed union that the JSON contract lists', () => {
  it('docs/schemas/error-code.schema.json lists exactly ERROR_CODES (archive and the VM operations refer to it)', () => {
    const schema = JSON.parse(readFileSync(join(root, 'docs', 'schemas', 'error-code.schema.json'), 'utf8')) as {
      enum: string[]
    }
    expect(schema.enum).to.deep.equal([...ERROR_CODES])
    for (const contract of ['archive', 'vm-operation'])
      expect(readFileSync(join(root, 'docs', 'schemas', `${contract}.schema.json`), 'utf8')).to.include(
        '"$ref": "error-code.schema.json"',
      )
  })
})
