/**
 * Reading a folder archive back as a user would find it on disk — `<root>/<subscription>/<resource
 * group>/<vm>/<snapshot>/`, names lower-cased — for the integration tests that archive against the fake
 * Azure and then look at what was written. The layout is spelt out here, not taken from src/store, so a
 * change to it shows in these tests.
 */
import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import type {SnapshotManifest} from '../../src/store/manifest.js'

interface VmPlace {
  subscriptionId: string
  resourceGroup: string
  name: string
}

/** The archive at `root()` (a function: the folder is made afresh for each test). */
export function folderArchive(root: () => string) {
  const vmFolder = (vm: VmPlace): string =>
    join(root(), vm.subscriptionId.toLowerCase(), vm.resourceGroup.toLowerCase(), vm.name.toLowerCase())

  /** The VM's committed snapshots' folder names, oldest first. */
  const snapshots = async (vm: VmPlace): Promise<string[]> =>
    (await readdir(vmFolder(vm))).filter((name) => /^\d{8}T/.test(name)).sort()

  const manifestOf = async (vm: VmPlace, snapshot: string): Promise<SnapshotManifest> =>
    JSON.parse(await readFile(join(vmFolder(vm), snapshot, 'snapshot.json'), 'utf8')) as SnapshotManifest

  /** The VM's .archive-state.json as written. */
  const stateOf = async (vm: VmPlace) =>
    JSON.parse(await readFile(join(vmFolder(vm), '.archive-state.json'), 'utf8')) as Record<string, unknown> & {
      files: Record<string, {sha256: string; bytes: number}>
    }

  return {manifestOf, snapshots, stateOf, vmFolder}
}
