import {createHash} from 'node:crypto'
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Readable} from 'node:stream'

import {AnonymousCredential, BlobClient} from '@azure/storage-blob'
import {expect} from 'chai'
import nock from 'nock'

import {readBlob} from '../../../src/azure/blob-reader.js'

const ACCOUNT = 'https://md-hdd-abc123.blob.core.windows.net'
const BLOB = '/bootdiagnostics-web01-3e5a6b6c/web-01.3e5a6b6c.serialconsole.log'
const SAS = 'sv=2024-08-04&sr=b&sp=r&sig=SECRET'
const LOG = Buffer.from('[    0.000000] Linux version 6.1.0\r\n'.repeat(5))
const ETAG = '"0x8DD0D2B5B5F1A2C"'

function headers(body: Buffer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-length': String(body.length),
    etag: ETAG,
    'last-modified': 'Wed, 25 Nov 2026 20:41:07 GMT',
    'x-ms-blob-type': 'AppendBlob',
    'x-ms-creation-time': 'Wed, 25 Nov 2026 08:00:00 GMT',
    ...extra,
  }
}

/** A body that gives `head` to its reader, then breaks like a reset connection. */
function brokenAfter(head: Buffer): Readable {
  let sent = false
  return new Readable({
    read() {
      if (sent) {
        this.destroy(Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'}))
        return
      }

      sent = true
      this.push(head)
    },
  })
}

describe('blob reader: conditional and ranged reads, resumed and verified', () => {
  let scratch: string
  const blob = () =>
    new BlobClient(`${ACCOUNT}${BLOB}?${SAS}`, new AnonymousCredential(), {retryOptions: {maxTries: 1}})

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-reads-'))
  })

  afterEach(async () => {
    nock.cleanAll()
    await rm(scratch, {force: true, recursive: true})
  })

  it('unchanged: If-None-Match with the kept ETag gets a 304, no body, and no file is created', async () => {
    const scope = nock(ACCOUNT, {reqheaders: {'if-none-match': ETAG, 'x-ms-range': 'bytes=100-'}})
      .get(BLOB)
      .query(true)
      .reply(304, '', {etag: ETAG})

    const read = await readBlob(blob(), join(scratch, 'tail'), {ifNoneMatch: ETAG, offset: 100})

    scope.done()
    expect(read).to.deep.equal({received: 0, status: 'not-modified'})
    expect(await readdir(scratch)).to.deep.equal([])
  })

  it('grown: one ranged GET brings only the bytes from the offset, with the whole length and the creation time', async () => {
    const tail = LOG.subarray(100)
    nock(ACCOUNT, {reqheaders: {'if-none-match': '"old"', 'x-ms-range': 'bytes=100-'}})
      .get(BLOB)
      .query(true)
      .reply(206, tail, headers(tail, {'content-range': `bytes 100-${LOG.length - 1}/${LOG.length}`}))

    const read = await readBlob(blob(), join(scratch, 'tail'), {ifNoneMatch: '"old"', offset: 100})

    expect(read).to.deep.include({
      bytes: tail.length,
      contentBytes: tail.length,
      createdOn: '2026-11-25T08:00:00.000Z',
      etag: ETAG,
      received: tail.length,
      start: 100,
      status: 'read',
      total: LOG.length,
    })
    expect((await readFile(join(scratch, 'tail'))).equals(tail)).to.equal(true)
    expect(read.status === 'read' && read.sha256).to.equal(createHash('sha256').update(tail).digest('hex'))
  })

  it('a ranged read that breaks is resumed from the last byte, pinned to the first answer’s ETag', async () => {
    const tail = LOG.subarray(100)
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(
        206,
        () => brokenAfter(tail.subarray(0, 20)),
        headers(tail, {'content-range': `bytes 100-${LOG.length - 1}/${LOG.length}`}),
      )
    const resume = nock(ACCOUNT, {reqheaders: {'if-match': ETAG, 'x-ms-range': 'bytes=120-'}})
      .get(BLOB)
      .query(true)
      .reply(
        206,
        tail.subarray(20),
        headers(tail.subarray(20), {'content-range': `bytes 120-${LOG.length - 1}/${LOG.length}`}),
      )

    const read = await readBlob(blob(), join(scratch, 'tail'), {ifNoneMatch: '"old"', offset: 100})

    resume.done()
    expect(read).to.deep.include({bytes: tail.length, received: tail.length, status: 'read'})
    expect((await readFile(join(scratch, 'tail'))).equals(tail)).to.equal(true)
  })

  it('a resume that finds the blob replaced (412) starts over from byte 0 and keeps only the new blob', async () => {
    // Given a first answer that breaks after 20 bytes, and a blob replaced before the resume
    const replaced = Buffer.from('[    0.000000] Linux version 6.8.0 (a new boot)\r\n'.repeat(3))
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(200, () => brokenAfter(LOG.subarray(0, 20)), headers(LOG))
    const pinned = nock(ACCOUNT, {reqheaders: {'if-match': ETAG, 'x-ms-range': 'bytes=20-'}})
      .get(BLOB)
      .query(true)
      .reply(412, '', {'x-ms-error-code': 'ConditionNotMet'})
    const again = nock(ACCOUNT, {badheaders: ['x-ms-range', 'if-match']})
      .get(BLOB)
      .query(true)
      .reply(200, replaced, headers(replaced, {etag: '"new"'}))

    // When the blob is read
    const read = await readBlob(blob(), join(scratch, 'log'))

    // Then the file is the new blob alone, never the old head stitched to the new tail
    pinned.done()
    again.done()
    expect(read).to.deep.include({bytes: replaced.length, etag: '"new"', status: 'read'})
    expect((await readFile(join(scratch, 'log'))).equals(replaced)).to.equal(true)
  })

  it('a resume answered with other bytes than asked for starts over', async () => {
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(200, () => brokenAfter(LOG.subarray(0, 20)), headers(LOG))
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(
        206,
        LOG.subarray(5),
        headers(LOG.subarray(5), {'content-range': `bytes 5-${LOG.length - 1}/${LOG.length}`}),
      )
    nock(ACCOUNT).get(BLOB).query(true).reply(200, LOG, headers(LOG))

    const read = await readBlob(blob(), join(scratch, 'log'))

    expect(read).to.deep.include({bytes: LOG.length, status: 'read'})
    expect((await readFile(join(scratch, 'log'))).equals(LOG)).to.equal(true)
  })

  it('a 429 (which the storage SDK does not retry) is asked again after its Retry-After', async () => {
    const throttled = nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(429, '', {'retry-after': '0', 'x-ms-error-code': 'ServerBusy'})
    nock(ACCOUNT).get(BLOB).query(true).reply(200, LOG, headers(LOG))

    const read = await readBlob(blob(), join(scratch, 'log'))

    throttled.done()
    expect(read).to.deep.include({bytes: LOG.length, status: 'read'})
  })

  it('a body that stalls is resumed like a broken one', async () => {
    // Given a first answer that sends 20 bytes and then nothing at all
    const silent = new Readable({read() {}})
    silent.push(LOG.subarray(0, 20))
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(200, () => silent, headers(LOG))
    nock(ACCOUNT, {reqheaders: {'if-match': ETAG, 'x-ms-range': 'bytes=20-'}})
      .get(BLOB)
      .query(true)
      .reply(
        206,
        LOG.subarray(20),
        headers(LOG.subarray(20), {'content-range': `bytes 20-${LOG.length - 1}/${LOG.length}`}),
      )

    // When it is read with a short stall limit
    const read = await readBlob(blob(), join(scratch, 'log'), {stallTimeoutMs: 20})

    // Then the rest came from a resume
    expect(read).to.deep.include({bytes: LOG.length, status: 'read'})
    expect((await readFile(join(scratch, 'log'))).equals(LOG)).to.equal(true)
  })

  it('a whole blob is checked against its stored MD5 (x-ms-blob-content-md5) too; a tail only reports it', async () => {
    const wrong = createHash('md5').update('something else').digest('base64')
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(200, LOG, headers(LOG, {'x-ms-blob-content-md5': wrong}))
    const whole = await readBlob(blob(), join(scratch, 'whole')).catch((e: Error) => e)
    expect(whole).to.include({code: 'ChecksumMismatch'})
    expect(await readdir(scratch)).to.deep.equal([])

    const tail = LOG.subarray(100)
    const right = createHash('md5').update(LOG).digest('base64')
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(
        206,
        tail,
        headers(tail, {'content-range': `bytes 100-${LOG.length - 1}/${LOG.length}`, 'x-ms-blob-content-md5': right}),
      )
    const read = await readBlob(blob(), join(scratch, 'tail'), {offset: 100})
    expect(read).to.deep.include({blobContentMd5: right, status: 'read'})
    expect(read.status === 'read' && read.contentMd5).to.equal(undefined)
  })

  it('a file that cannot be written is not a broken body: its error comes at once, after one request', async () => {
    const scope = nock(ACCOUNT).get(BLOB).query(true).reply(200, LOG, headers(LOG))

    const error = await readBlob(blob(), join(scratch, 'no-such-folder', 'log')).catch((e: NodeJS.ErrnoException) => e)

    scope.done()
    expect(error).to.include({code: 'ENOENT', syscall: 'open'})
    expect(nock.pendingMocks()).to.deep.equal([])
  })

  it('shorter than the offset (416) and not there (404) are answers, not errors', async () => {
    nock(ACCOUNT).get(BLOB).query(true).reply(416, '', {'x-ms-error-code': 'InvalidRange'})
    nock(ACCOUNT).get(BLOB).query(true).reply(404, '', {'x-ms-error-code': 'BlobNotFound'})

    expect(await readBlob(blob(), join(scratch, 'a'), {offset: 5000})).to.deep.equal({
      received: 0,
      status: 'out-of-range',
    })
    expect(await readBlob(blob(), join(scratch, 'b'))).to.deep.equal({received: 0, status: 'missing'})
    expect(await readdir(scratch)).to.deep.equal([])
  })

  it('a whole answer is checked against its Content-MD5', async () => {
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(200, LOG, headers(LOG, {'content-md5': createHash('md5').update('something else').digest('base64')}))

    const error = await readBlob(blob(), join(scratch, 'log')).catch((e: Error) => e)

    expect(error).to.include({code: 'ChecksumMismatch', exitCode: 1})
  })

  it('counts the content up to the last non-NUL byte (a page blob pads its last page)', async () => {
    const padded = Buffer.concat([LOG, Buffer.alloc(512 - (LOG.length % 512))])
    nock(ACCOUNT)
      .get(BLOB)
      .query(true)
      .reply(200, padded, headers(padded, {'x-ms-blob-type': 'PageBlob'}))

    const read = await readBlob(blob(), join(scratch, 'log'))

    expect(read).to.deep.include({bytes: padded.length, contentBytes: LOG.length, start: 0, total: padded.length})
  })
})
