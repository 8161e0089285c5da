import {createHash} from 'node:crypto'
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'

import {expect} from 'chai'
import nock from 'nock'

import type {VmLocation} from '../../../../src/store/layout.js'
import {LocalArchiveStore} from '../../../../src/store/local-store.js'
import type {SnapshotManifest} from '../../../../src/store/manifest.js'
import type {ArchiveStore, SnapshotDraft} from '../../../../src/store/store.js'
import {fetchSnapshot} from '../../../../src/services/snapshot/fetch-snapshot.js'
import {ARM, SUB, TOKEN, armError, unitClients, vmWithInstanceView} from '../../../helpers/arm-fixtures.js'
import {smallBmp} from '../../../helpers/bmp.js'
import {testContext} from '../../../helpers/context.js'

const VM_PATH = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01`
const PLATFORM = 'https://md-hdd-abc123.blob.core.windows.net'
const CONTAINER = '/bootdiagnostics-web01-3e5a6b6c-0f3b-4f59-9d6e-0123456789ab'
const SERIAL_BLOB = `${CONTAINER}/web-01.3e5a6b6c-0f3b-4f59-9d6e-0123456789ab.serialconsole.log`
const SHOT_BLOB = `${CONTAINER}/web-01.3e5a6b6c-0f3b-4f59-9d6e-0123456789ab.screenshot.bmp`
const SAS =
  'sv=2024-08-04&st=2026-11-25T20%3A00%3A00Z&se=2026-11-25T21%3A00%3A00Z&sr=b&sp=r&sig=SECRETsignatureVALUE%3D'

/** A serial log as page blobs really hold it: CRLF, ANSI, invalid UTF-8, NUL padding. */
const SERIAL = Buffer.concat([
  Buffer.from(
    '[    0.000000] Linux version 6.1.0-26-amd64\r\n\u001B[0;32m  OK  \u001B[0m] Reached target multi-user.target\r\nweb-01 login: ',
  ),
  Buffer.from([0xff, 0xfe, 0x80, 0x0a]),
  Buffer.alloc(512, 0),
])

function blobHeaders(body: Buffer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-length': String(body.length),
    'content-type': 'application/octet-stream',
    etag: '"0x8DD0D2B5B5F1A2C"',
    'last-modified': 'Wed, 25 Nov 2026 20:41:07 GMT',
    'x-ms-blob-type': 'PageBlob',
    'x-ms-version': '2026-10-06',
    ...extra,
  }
}

/** A response body that sends `head` and then breaks like a reset connection. */
function brokenAfter(head: Buffer): PassThrough {
  const body = new PassThrough()
  body.write(head)
  setImmediate(() => body.destroy(Object.assign(new Error('read ECONNRESET'), {code: 'ECONNRESET'})))
  return body
}

describe('fetch: fetchSnapshot', () => {
  let archive: string
  let store: LocalArchiveStore
  /** the run's context: unit clients (nock answers), this store, this time */
  const ctx = (archiveStore: ArchiveStore, now?: () => Date) =>
    testContext({clients: unitClients(), now, store: archiveStore, toolVersion: '0.1.0'})

  beforeEach(async () => {
    archive = await mkdtemp(join(tmpdir(), 'bootdiag-fetch-'))
    store = new LocalArchiveStore(archive)
  })

  afterEach(async () => {
    nock.cleanAll()
    await rm(archive, {force: true, recursive: true})
  })

  function managedVm(power = 'running') {
    return nock(ARM, {reqheaders: {authorization: `Bearer ${TOKEN}`}})
      .get(VM_PATH)
      .query((q) => q.$expand === 'instanceView')
      .reply(200, vmWithInstanceView({boot: 'managed', name: 'web-01', power, resourceGroup: 'rg-web'}))
  }

  function sasUris() {
    return nock(ARM)
      .post(`${VM_PATH}/retrieveBootDiagnosticsData`)
      .query((q) => q.sasUriExpirationTimeInMinutes === '60')
      .reply(200, {
        consoleScreenshotBlobUri: `${PLATFORM}:443${SHOT_BLOB}?${SAS}`,
        serialConsoleLogBlobUri: `${PLATFORM}:443${SERIAL_BLOB}?${SAS}`,
      })
  }

  it('managed storage: snapshot holds the bytes as served, the PNG, and a manifest without the SAS', async () => {
    // Given a VM with managed boot diagnostics and both blobs present
    const bmp = smallBmp(5, 3)
    const arm = managedVm()
    const sas = sasUris()
    const storage = nock(PLATFORM)
      .get(SERIAL_BLOB)
      .query((q) => q.sig === 'SECRETsignatureVALUE=')
      .reply(200, SERIAL, blobHeaders(SERIAL))
      .get(SHOT_BLOB)
      .query(true)
      .reply(
        200,
        bmp,
        blobHeaders(bmp, {
          'content-md5': createHash('md5').update(bmp).digest('base64'),
          'x-ms-blob-type': 'BlockBlob',
        }),
      )

    // When a snapshot is taken
    const result = await fetchSnapshot(
      ctx(store, () => new Date('2026-11-25T21:03:04.567Z')),
      {
        reason: 'INC-42',
        ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
      },
    )

    // Then it sits at the documented path with the exact bytes
    arm.done()
    sas.done()
    storage.done()
    expect(result.snapshot).to.equal(join(archive, SUB, 'rg-web', 'web-01', '20261125T210304Z'))
    expect(result.localFolder).to.equal(result.snapshot)
    expect(await readdir(result.snapshot)).to.have.members([
      'serial.log',
      'screenshot.bmp',
      'screenshot.png',
      'snapshot.json',
    ])
    expect((await readFile(join(result.snapshot, 'serial.log'))).equals(SERIAL)).to.equal(true)
    const png = await readFile(join(result.snapshot, 'screenshot.png'))
    expect(png.subarray(1, 4).toString()).to.equal('PNG')
    const manifestText = await readFile(join(result.snapshot, 'snapshot.json'), 'utf8')
    const manifest = JSON.parse(manifestText) as SnapshotManifest
    expect(manifest).to.deep.include({
      reason: 'INC-42',
      schemaVersion: 1,
      storage: 'managed',
      takenAt: '2026-11-25T21:03:04.567Z',
    })
    expect(manifest.vm).to.deep.equal({
      id: VM_PATH,
      location: 'westeurope',
      name: 'web-01',
      osType: 'Linux',
      powerState: 'running',
      resourceGroup: 'rg-web',
      subscriptionId: SUB,
      vmId: '3e5a6b6c-0f3b-4f59-9d6e-0123456789ab',
    })
    expect(manifest.files['serial.log']).to.deep.equal({
      bytes: SERIAL.length,
      etag: '"0x8DD0D2B5B5F1A2C"',
      lastModified: '2026-11-25T20:41:07.000Z',
      sha256: createHash('sha256').update(SERIAL).digest('hex'),
    })
    expect(manifest.files['screenshot.bmp']?.contentMd5).to.equal(createHash('md5').update(bmp).digest('base64'))
    expect(manifest.files['screenshot.png']).to.include({derivedFrom: 'screenshot.bmp', etag: null})
    expect(manifest.missing).to.deep.equal([])
    expect(manifestText).not.to.match(/sig=|SECRETsignature|se=2026/)
  })

  it('a VM with no screenshot yet is reported as missing, not an error', async () => {
    managedVm()
    nock(ARM)
      .post(`${VM_PATH}/retrieveBootDiagnosticsData`)
      .query(true)
      .reply(200, {
        consoleScreenshotBlobUri: `${PLATFORM}${SHOT_BLOB}?${SAS}`,
        serialConsoleLogBlobUri: `${PLATFORM}${SERIAL_BLOB}?${SAS}`,
      })
    nock(PLATFORM).get(SERIAL_BLOB).query(true).reply(200, SERIAL, blobHeaders(SERIAL))
    nock(PLATFORM)
      .get(SHOT_BLOB)
      .query(true)
      .reply(
        404,
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>BlobNotFound</Code><Message>The specified blob does not exist.</Message></Error>',
        {
          'content-type': 'application/xml',
          'x-ms-error-code': 'BlobNotFound',
        },
      )

    const result = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    })

    expect(Object.keys(result.files)).to.deep.equal(['serial.log'])
    expect(result.missing.map((m) => m.file)).to.deep.equal(['screenshot.bmp'])
    expect(result.missing[0].reason).to.match(/not written yet/)
  })

  it('custom storage: reads the instance view URLs with the token, falls back to SAS on a missing role', async () => {
    // Given a custom storage account where the identity lacks Storage Blob Data Reader
    const account = 'https://diagacct.blob.core.windows.net'
    const blobs = {screenshot: `${account}${SHOT_BLOB}`, serial: `${account}${SERIAL_BLOB}`}
    nock(ARM)
      .get(VM_PATH)
      .query(true)
      .reply(
        200,
        vmWithInstanceView({boot: 'custom', name: 'web-01', resourceGroup: 'rg-web', storageUri: `${account}/`}, blobs),
      )
    const denied = nock(account, {reqheaders: {authorization: `Bearer ${TOKEN}`}})
      .get(SERIAL_BLOB)
      .reply(
        403,
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.</Message></Error>',
        {
          'x-ms-error-code': 'AuthorizationPermissionMismatch',
        },
      )
      .get(SHOT_BLOB)
      .reply(403, '', {'x-ms-error-code': 'AuthorizationPermissionMismatch'})
    const sas = nock(ARM)
      .post(`${VM_PATH}/retrieveBootDiagnosticsData`)
      .query(true)
      .once()
      .reply(200, {
        consoleScreenshotBlobUri: `${account}${SHOT_BLOB}?${SAS}`,
        serialConsoleLogBlobUri: `${account}${SERIAL_BLOB}?${SAS}`,
      })
    nock(account)
      .get(SERIAL_BLOB)
      .query((q) => Boolean(q.sig))
      .reply(200, SERIAL, blobHeaders(SERIAL))
    nock(account)
      .get(SHOT_BLOB)
      .query((q) => Boolean(q.sig))
      .reply(200, Buffer.from('not a bmp'), blobHeaders(Buffer.from('not a bmp')))

    // When a snapshot is taken
    const result = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    })

    // Then both blobs came through the SAS fallback (asked for once), and the unconvertible screenshot is kept as served
    denied.done()
    sas.done()
    expect(result.storage).to.equal('custom')
    expect((await readFile(join(result.snapshot, 'serial.log'))).equals(SERIAL)).to.equal(true)
    expect(result.missing).to.have.length(1)
    expect(result.missing[0]).to.deep.include({file: 'screenshot.png'})
    expect(result.missing[0].reason).to.match(/could not be converted .*screenshot\.bmp is kept/)
  })

  it('403 on the blob through every route says which role is needed (exit 4), and leaves nothing behind', async () => {
    const account = 'https://diagacct.blob.core.windows.net'
    nock(ARM)
      .get(VM_PATH)
      .query(true)
      .reply(
        200,
        vmWithInstanceView(
          {boot: 'custom', name: 'web-01', resourceGroup: 'rg-web'},
          {screenshot: `${account}${SHOT_BLOB}`, serial: `${account}${SERIAL_BLOB}`},
        ),
      )
    nock(account).get(SERIAL_BLOB).reply(403, '', {'x-ms-error-code': 'AuthorizationPermissionMismatch'})
    nock(ARM)
      .post(`${VM_PATH}/retrieveBootDiagnosticsData`)
      .query(true)
      .reply(
        403,
        armError(
          'AuthorizationFailed',
          `The client 'x' with object id 'x' does not have authorization to perform action 'Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action' over scope '${VM_PATH}' or the scope is invalid.`,
        ),
      )

    const error = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    }).catch((e: Error) => e)

    expect(error).to.include({exitCode: 4})
    expect((error as Error).message).to.match(/'Storage Blob Data Reader' role/)
    expect((error as Error).message).to.match(/'Virtual Machine Contributor'/)
    expect((error as Error).message).not.to.include('\n')
    // no snapshot, no staging folder, and no empty VM, resource group or subscription folder either
    expect(await readdir(archive)).to.deep.equal([])
  })

  it('an expired SAS is one line that says to run again (exit 4)', async () => {
    managedVm()
    sasUris()
    nock(PLATFORM)
      .get(SERIAL_BLOB)
      .query(true)
      .reply(
        403,
        '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message><AuthenticationErrorDetail>Signature not valid in the specified time frame: Start [Wed, 25 Nov 2026 20:00:00 GMT] - Expiry [Wed, 25 Nov 2026 21:00:00 GMT] - Current [Wed, 25 Nov 2026 22:00:00 GMT]</AuthenticationErrorDetail></Error>',
        {'content-type': 'application/xml', 'x-ms-error-code': 'AuthenticationFailed'},
      )

    const error = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    }).catch((e: Error) => e)

    expect(error).to.include({code: 'SasExpired', exitCode: 4})
    expect((error as Error).message).to.equal(
      "The storage SAS URL was rejected as expired or not yet valid. Run the command again for a fresh one, and check this machine's clock.",
    )
  })

  it('a connection that breaks mid-body is resumed from the last byte, pinned to the ETag', async () => {
    // Given a blob whose first response breaks after 100 bytes
    managedVm()
    sasUris()
    nock(PLATFORM)
      .get(SERIAL_BLOB)
      .query(true)
      .reply(200, () => brokenAfter(SERIAL.subarray(0, 100)), blobHeaders(SERIAL))
    const resume = nock(PLATFORM, {reqheaders: {'if-match': '"0x8DD0D2B5B5F1A2C"', 'x-ms-range': 'bytes=100-'}})
      .get(SERIAL_BLOB)
      .query(true)
      .reply(
        206,
        SERIAL.subarray(100),
        blobHeaders(SERIAL.subarray(100), {'content-range': `bytes 100-${SERIAL.length - 1}/${SERIAL.length}`}),
      )
    nock(PLATFORM).get(SHOT_BLOB).query(true).reply(404, '', {'x-ms-error-code': 'BlobNotFound'})

    // When a snapshot is taken
    const result = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    })

    // Then the file is whole and its hash is that of the whole blob
    resume.done()
    expect((await readFile(join(result.snapshot, 'serial.log'))).equals(SERIAL)).to.equal(true)
    expect(result.files['serial.log']?.sha256).to.equal(createHash('sha256').update(SERIAL).digest('hex'))
  })

  it('a body that keeps breaking never becomes a snapshot', async () => {
    managedVm()
    sasUris()
    // The first response breaks after 100 bytes, and every resume after 10 more.
    nock(PLATFORM)
      .get(SERIAL_BLOB)
      .query(true)
      .reply(200, () => brokenAfter(SERIAL.subarray(0, 100)), blobHeaders(SERIAL))
    nock(PLATFORM)
      .persist()
      .get(SERIAL_BLOB)
      .query(true)
      .reply((request: Request) => {
        const from = Number(/bytes=(\d+)-/.exec(request.headers.get('x-ms-range') ?? '')?.[1])
        const rest = SERIAL.subarray(from)
        return [
          206,
          brokenAfter(rest.subarray(0, 10)),
          blobHeaders(rest, {'content-range': `bytes ${from}-${SERIAL.length - 1}/${SERIAL.length}`}),
        ]
      })

    const error = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    }).catch((e: Error) => e)

    expect(error).to.include({code: 'ShortDownload', exitCode: 1})
    expect((error as Error).message).to.match(
      new RegExp(
        `^Download incomplete after 6 attempts: received 150 of ${SERIAL.length} bytes \\(the connection broke mid-transfer\\); nothing was kept\\. Run again\\.$`,
      ),
    )
    // no snapshot, no staging folder, and no empty VM, resource group or subscription folder either
    expect(await readdir(archive)).to.deep.equal([])
  })

  it('a disk that fills up part-way (ENOSPC while writing the PNG): the error comes out as it is, and nothing is kept', async () => {
    // Given an archive whose disk is full by the time the PNG is written
    const noSpace = () =>
      Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', syscall: 'write'})
    const full: ArchiveStore = Object.assign(Object.create(store) as ArchiveStore, {
      async beginSnapshot(vm: VmLocation, takenAt: Date): Promise<SnapshotDraft> {
        const draft = await store.beginSnapshot(vm, takenAt)
        return Object.assign(Object.create(draft) as SnapshotDraft, {writeFile: async () => Promise.reject(noSpace())})
      },
    })
    const bmp = smallBmp(5, 3)
    managedVm()
    sasUris()
    nock(PLATFORM)
      .get(SERIAL_BLOB)
      .query(true)
      .reply(200, SERIAL, blobHeaders(SERIAL))
      .get(SHOT_BLOB)
      .query(true)
      .reply(200, bmp, blobHeaders(bmp))

    // When a snapshot is taken
    const error = await fetchSnapshot(ctx(full), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    }).catch((e: Error) => e)

    // Then the disk's error is what the command maps (one line, exit 1), and the VM's folder holds nothing
    expect(error).to.include({code: 'ENOSPC'})
    // no snapshot, no staging folder, and no empty VM, resource group or subscription folder either
    expect(await readdir(archive)).to.deep.equal([])
  })

  it('boot diagnostics disabled: says how to enable it', async () => {
    nock(ARM)
      .get(VM_PATH)
      .query(true)
      .reply(200, vmWithInstanceView({boot: 'disabled', name: 'web-01', resourceGroup: 'rg-web'}))

    const error = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    }).catch((e: Error) => e)

    expect(error).to.include({code: 'BootDiagnosticsDisabled', exitCode: 1})
    expect((error as Error).message).to.equal(
      "Boot diagnostics is disabled on VM 'web-01'. Enable it (managed storage) with: az vm boot-diagnostics enable -g rg-web -n web-01; the log starts with the next boot.",
    )
  })

  it('unknown VM and unknown resource group are told apart', async () => {
    nock(ARM)
      .get(VM_PATH)
      .query(true)
      .reply(
        404,
        armError(
          'ResourceNotFound',
          "The Resource 'Microsoft.Compute/virtualMachines/web-01' under resource group 'rg-web' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        ),
      )
    nock(ARM)
      .get(VM_PATH.replace('rg-web', 'rg-nope'))
      .query(true)
      .reply(404, armError('ResourceGroupNotFound', "Resource group 'rg-nope' could not be found."))

    const vm = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    }).catch((e: Error) => e)
    const rg = await fetchSnapshot(ctx(store), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-nope', subscriptionId: SUB},
    }).catch((e: Error) => e)

    expect((vm as Error).message).to.equal(
      "VM 'web-01' was not found in resource group 'rg-web'. List the VMs and scale-set instances with 'bootdiag vm list -g rg-web --all --include-vmss'.",
    )
    expect((rg as Error).message).to.equal(
      `Resource group 'rg-nope' was not found in subscription ${SUB}. Check the name, or pass --subscription for another subscription.`,
    )
  })

  it('two snapshots in the same second never overwrite each other', async () => {
    const at = () => new Date('2026-11-25T21:03:04Z')
    for (let i = 0; i < 2; i++) {
      managedVm()
      sasUris()
      nock(PLATFORM)
        .get(SERIAL_BLOB)
        .query(true)
        .reply(200, Buffer.from(`log ${i}\n`), blobHeaders(Buffer.from(`log ${i}\n`)))
      nock(PLATFORM).get(SHOT_BLOB).query(true).reply(404, '', {'x-ms-error-code': 'BlobNotFound'})
    }

    const first = await fetchSnapshot(ctx(store, at), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    })
    const second = await fetchSnapshot(ctx(store, at), {
      reason: 'manual',
      ref: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: SUB},
    })

    expect(first.snapshot.endsWith('20261125T210304Z')).to.equal(true)
    expect(second.snapshot.endsWith('20261125T210304Z-1')).to.equal(true)
    expect(await readFile(join(first.snapshot, 'serial.log'), 'utf8')).to.equal('log 0\n')
    expect(await readFile(join(second.snapshot, 'serial.log'), 'utf8')).to.equal('log 1\n')
  })
})
