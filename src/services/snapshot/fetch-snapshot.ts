/**
 * Take a snapshot of one VM's boot diagnostics: read the VM, find its blobs, download the serial log and
 * the screenshot byte-exact, convert the screenshot to PNG, optionally analyse the log, and commit it all
 * as one immutable snapshot in the archive store (a folder or a Blob container, archive/store.ts). Either
 * the whole snapshot lands or nothing does.
 */
import {createHash} from 'node:crypto'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import type {TokenCredential} from '@azure/core-auth'
import type {BlobClient} from '@azure/storage-blob'

import {
  MANIFEST_FILE,
  type MissingFile,
  SNAPSHOT_SCHEMA_VERSION,
  type SnapshotFileInfo,
  type SnapshotFileName,
  type SnapshotManifest,
  type SnapshotVm,
} from '../../store/manifest.js'
import type {ArchiveStore} from '../../store/store.js'
import {downloadBlobToFile} from '../../azure/blob-download.js'
import type {BlobAuth, ComputeApi} from '../../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import type {VmRef} from '../../azure/resource-id.js'
import {AuthError, BootdiagError} from '../../errors.js'
import {bmpToPng} from '../../screen/image.js'
import {BootDiagnosticsBlobs, type BootDiagnosticsBlobKind, type BlobSource} from './boot-diagnostics-blobs.js'
import {type VmDetails, getVmDetails} from '../vm/details.js'

export interface FetchDependencies {
  compute: ComputeApi
  /** the signed-in identity, for custom storage accounts read directly */
  credential: TokenCredential
  blobClient(url: string, auth: BlobAuth): Promise<BlobClient>
}

export interface FetchOptions {
  ref: VmRef
  /** where the snapshot goes (openArchiveStore: a folder or a Blob container) */
  store: ArchiveStore
  /** why the snapshot is taken: manual, pre-restart, archive, ... */
  reason: string
  toolVersion: string
  signal?: AbortSignal
  /** the VM as already read (e.g. by the picker), to save a call */
  details?: VmDetails
  now?: () => Date
  /** analyse the downloaded serial log; its verdict is recorded in snapshot.json */
  analyze?: (serialLogPath: string) => Promise<SnapshotManifest['analysis'] | undefined>
}

export interface FetchResult {
  /** where the snapshot is: its folder, or its URL in a Blob container */
  snapshot: string
  /**
   * A local folder holding the snapshot's files: the snapshot itself in a folder archive; for a Blob
   * container, a temporary copy that is removed when the process exits.
   */
  localFolder: string
  vm: SnapshotVm
  storage: 'managed' | 'custom'
  files: SnapshotManifest['files']
  missing: MissingFile[]
  analysis?: SnapshotManifest['analysis']
}

const BLOB_FILES: Array<[BootDiagnosticsBlobKind, SnapshotFileName]> = [
  ['serial', 'serial.log'],
  ['screenshot', 'screenshot.bmp'],
]

export async function fetchSnapshot(deps: FetchDependencies, options: FetchOptions): Promise<FetchResult> {
  const details = options.details ?? (await getVmDetails(deps.compute, options.ref, options.signal))
  const blobs = new BootDiagnosticsBlobs(deps.compute, details, deps.credential, options.signal)
  const takenAt = (options.now ?? (() => new Date()))()
  const writer = await options.store.beginSnapshot(details, takenAt)
  try {
    const files: SnapshotManifest['files'] = {}
    const missing: MissingFile[] = []
    for (const [kind, file] of BLOB_FILES) {
      const read = await downloadFirstAvailable(
        deps,
        blobs.sources(kind),
        writer.partialPath(file),
        details,
        options.signal,
      )
      if (read.found) {
        await writer.keep(file)
        files[file] = read.info
      } else {
        missing.push({file, reason: read.reason})
      }
    }

    if (files['screenshot.bmp']) {
      const converted = await convertScreenshot(join(writer.folder, 'screenshot.bmp'))
      if (converted.ok) {
        await writer.writeFile('screenshot.png', converted.png)
        files['screenshot.png'] = converted.info
      } else {
        missing.push({file: 'screenshot.png', reason: converted.reason})
      }
    }

    const analysis =
      files['serial.log'] && options.analyze
        ? await analyzeQuietly(options.analyze, join(writer.folder, 'serial.log'))
        : undefined
    const manifest: SnapshotManifest = {
      files,
      missing,
      reason: options.reason,
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      storage: details.bootDiagnostics.storage ?? 'managed',
      takenAt: takenAt.toISOString(),
      tool: {name: 'bootdiag', version: options.toolVersion},
      vm: snapshotVm(details),
      ...(analysis ? {analysis} : {}),
    }
    const committed = await writer.commit(manifest)
    return {
      analysis,
      files,
      localFolder: committed.localFolder,
      missing,
      snapshot: committed.location,
      storage: manifest.storage,
      vm: manifest.vm,
    }
  } catch (error) {
    await writer.abandon()
    throw error
  }
}

export function snapshotVm(details: VmDetails): SnapshotVm {
  return {
    id: details.id,
    location: details.location,
    name: details.name,
    powerState: details.powerState,
    resourceGroup: details.resourceGroup,
    subscriptionId: details.subscriptionId,
    vmId: details.vmId,
    ...(details.vmss ? {instanceId: details.instanceId, vmss: details.vmss} : {}),
  }
}

type ReadResult = {found: true; info: SnapshotFileInfo} | {found: false; reason: string}

/** Try each source in turn; a permission failure on the storage account falls through to the SAS URL. */
async function downloadFirstAvailable(
  deps: FetchDependencies,
  sources: BlobSource[],
  path: string,
  vm: VmDetails,
  signal?: AbortSignal,
): Promise<ReadResult> {
  let denied: BootdiagError | undefined
  for (const source of sources) {
    try {
      const url = await source.url()
      if (!url)
        return {
          found: false,
          reason: 'Azure has none for this VM yet (it appears after the VM boots with boot diagnostics on)',
        }
      const outcome = await downloadBlobToFile(await deps.blobClient(url, source.auth), path, {signal})
      if (!outcome.found) return {found: false, reason: outcome.reason}
      const {blob} = outcome
      return {
        found: true,
        info: {
          bytes: blob.bytes,
          etag: blob.etag,
          lastModified: blob.lastModified,
          sha256: blob.sha256,
          ...(blob.contentMd5 ? {contentMd5: blob.contentMd5} : {}),
        },
      }
    } catch (error) {
      await rm(path, {force: true})
      const mapped = toBootdiagErrorFromAzure(error, {
        action: `read the boot diagnostics of VM '${vm.name}'`,
        resourceGroup: vm.resourceGroup,
        vmName: vm.name,
      })
      if (mapped instanceof AuthError && source.via === 'storage-account') {
        denied = mapped
        continue
      }

      if (mapped instanceof AuthError && denied) {
        throw new AuthError(
          `${denied.message.replace(/\.$/, '')}; the fallback through retrieveBootDiagnosticsData failed too: ${mapped.message}`,
          {cause: error, code: denied.code},
        )
      }

      throw mapped ?? error
    }
  }

  throw denied ?? new BootdiagError('No way to read the boot diagnostics blobs was found.', {code: 'NoBlobSource'})
}

type Conversion = {ok: true; png: Buffer; info: SnapshotFileInfo} | {ok: false; reason: string}

/** screenshot.bmp → PNG; a BMP that cannot be converted is reported, never an error (the BMP is kept). */
export async function convertScreenshot(bmpPath: string): Promise<Conversion> {
  try {
    const png = bmpToPng(await readFile(bmpPath))
    return {
      info: {
        bytes: png.length,
        derivedFrom: 'screenshot.bmp',
        etag: null,
        lastModified: null,
        sha256: createHash('sha256').update(png).digest('hex'),
      },
      ok: true,
      png,
    }
  } catch (error) {
    return {
      ok: false,
      reason: `the screenshot could not be converted (${(error as Error).message}); screenshot.bmp is kept as served`,
    }
  }
}

async function analyzeQuietly(
  analyze: NonNullable<FetchOptions['analyze']>,
  path: string,
): Promise<SnapshotManifest['analysis'] | undefined> {
  try {
    return await analyze(path)
  } catch {
    // The snapshot matters more than its verdict: an analyser failure never loses evidence.
    return undefined
  }
}

/** Read a committed snapshot's manifest. */
export async function readManifest(snapshotFolder: string): Promise<SnapshotManifest> {
  return JSON.parse(await readFile(join(snapshotFolder, MANIFEST_FILE), 'utf8')) as SnapshotManifest
}
