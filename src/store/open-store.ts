/**
 * Opens the archive store --archive names: a folder (default: the per-user data folder) or a Blob
 * container URL. Beside the interface (store.ts) so that neither implementation imports its factory.
 */
import type {TokenCredential} from '@azure/core-auth'
import type {ContainerClient} from '@azure/storage-blob'

import type {BlobAuth} from '../azure/clients.js'
import {defaultArchiveDir} from './layout.js'
import type {ArchiveStore} from './store.js'

export interface StoreDependencies {
  /** the signed-in identity: a container named without a SAS is written with it */
  credential?: TokenCredential
  /** builds the container client (the Azure access module's; a SAS-only container needs none) */
  containerClient?(url: string, auth: BlobAuth): Promise<ContainerClient>
  /** where the archive's index tells of a problem it worked around (stderr) */
  warn?: (message: string) => void
}

/** True when --archive names a Blob container rather than a folder. */
export function isContainerUrl(spec: string): boolean {
  return /^https?:\/\//i.test(spec.trim())
}

/**
 * The store --archive names: a folder (default: the per-user data folder) or a Blob container URL. A
 * folder that exists and holds something else than an archive is refused (local-store.ts).
 */
export async function openArchiveStore(spec: string | undefined, deps: StoreDependencies = {}): Promise<ArchiveStore> {
  const value = spec?.trim() || defaultArchiveDir()
  if (isContainerUrl(value)) {
    const {BlobArchiveStore} = await import('./blob-store.js')
    return BlobArchiveStore.open(value, deps)
  }

  const {LocalArchiveStore, checkArchiveFolder} = await import('./local-store.js')
  await checkArchiveFolder(value)
  return new LocalArchiveStore(value, {warn: deps.warn})
}
