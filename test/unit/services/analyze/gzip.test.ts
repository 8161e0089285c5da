/**
 * `bootdiag analyze` reads a gzip-compressed log as zcat would: the service that opens the input looks
 * at its first bytes (src/analysis/input-kind.ts) and decompresses it; other input passes untouched.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {gzipSync} from 'node:zlib'

import {expect} from 'chai'

import {analyzeLog} from '../../../../src/services/analyze/analyze-log.js'
import {HEALTHY_BOOT, log} from '../../analysis/support.js'

describe('services: analyze-log reads gzip-compressed logs', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootdiag-gzip-'))
  })
  afterEach(() => rm(dir, {force: true, recursive: true}))

  it('Given serial.log.gz, When analysed, Then the verdict is the text log’s, not “binary data”', async () => {
    const text = log(...HEALTHY_BOOT)
    const path = join(dir, 'serial.log.gz')
    await writeFile(path, gzipSync(text))
    const {report} = await analyzeLog({target: path})
    expect(report.verdict).to.include({outcome: 'booted', lastStage: 'login-prompt'})
    expect(report.bytes).to.equal(Buffer.byteLength(text))
    expect(report.input?.kind).to.equal('console')
  })

  it('Given gzip on stdin, arriving a byte at a time, When analysed, Then it is decompressed too', async () => {
    const stdin = new PassThrough()
    const compressed = gzipSync(log(...HEALTHY_BOOT))
    const done = analyzeLog({target: '-', stdin})
    for (const byte of compressed) stdin.write(Buffer.from([byte]))
    stdin.end()
    expect((await done).report.verdict.outcome).to.equal('booted')
  })

  it('Given a plain log, When analysed, Then its bytes reach the analyser untouched', async () => {
    const path = join(dir, 'serial.log')
    const text = log(...HEALTHY_BOOT)
    await writeFile(path, text)
    const {report} = await analyzeLog({target: path})
    expect(report.bytes).to.equal(Buffer.byteLength(text))
  })

  it('Given a truncated .gz, When analysed, Then one error that says the file cannot be read', async () => {
    const path = join(dir, 'serial.log.gz')
    const compressed = gzipSync(log(...HEALTHY_BOOT))
    await writeFile(path, compressed.subarray(0, compressed.length - 12))
    const error = await analyzeLog({target: path}).then(
      () => null,
      (caught: unknown) => caught as Error,
    )
    expect(error?.message).to.match(/^Cannot read .*serial\.log\.gz: /)
  })
})
