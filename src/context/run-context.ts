/**
 * The one oclif-free place that builds what services need for a run, lazily and once: Azure (identity and
 * SDK clients), the archive store, the clock, the Ctrl-C signal, and where notes and warnings go.
 * Commands ask for it (AzureCommand.context()); services receive it — whole, or the narrow part they use
 * (`Pick<RunContext, 'azure' | 'signal'>`) — and never build a client or read an environment variable
 * themselves. Tests build one with test/helpers/context.ts.
 */
import {setTimeout as sleepFor} from 'node:timers/promises'

import type {ArchiveStore} from '../store/store.js'
import {type AzureAccess, type AzureSelection, createAzureAccess} from './azure-access.js'
import {type Settings, readSettings} from './settings.js'

export interface Clock {
  now(): Date
  /** resolves after `ms`, rejects when the signal aborts */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Messages for the person running bootdiag: stderr, never stdout. */
export interface RunEvents {
  note(message: string): void
  warn(message: string): void
}

export interface RunContext {
  readonly azure: AzureAccess
  readonly clock: Clock
  /** aborted on Ctrl-C / SIGTERM: every long operation takes it */
  readonly signal: AbortSignal
  readonly events: RunEvents
  readonly settings: Settings
  /** the package's version (snapshot.json's tool.version, the User-Agent) */
  readonly toolVersion: string
  /** the archive (--archive: a folder or a Blob container URL; default the per-user folder), opened once */
  store(): Promise<ArchiveStore>
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) => sleepFor(ms, undefined, {signal}),
}

export interface RunContextOptions {
  azure: AzureSelection
  /** --archive (BOOTDIAG_ARCHIVE) */
  archive?: string
  signal: AbortSignal
  events: RunEvents
  toolVersion: string
  settings?: Settings
  clock?: Clock
  env?: NodeJS.ProcessEnv
}

export function createRunContext(options: RunContextOptions): RunContext {
  const settings = options.settings ?? readSettings(options.env)
  const azure = createAzureAccess(options.azure, {
    env: options.env,
    notify: (message) => options.events.note(message),
    settings: {maxRetries: settings.maxRetries, userAgent: `bootdiag/${options.toolVersion}`},
  })
  return {
    azure,
    clock: options.clock ?? systemClock,
    events: options.events,
    settings,
    signal: options.signal,
    store: storeOpener(options.archive, azure, (message) => options.events.warn(message)),
    toolVersion: options.toolVersion,
  }
}

/** The store --archive names, opened on first use; a container named without a SAS is written as the signed-in identity. */
export function storeOpener(
  archive: string | undefined,
  azure: AzureAccess,
  warn?: (message: string) => void,
): () => Promise<ArchiveStore> {
  let opened: Promise<ArchiveStore> | undefined
  return () => {
    opened ??= (async () => {
      const {isContainerUrl, openArchiveStore} = await import('../store/open-store.js')
      if (!archive || !isContainerUrl(archive)) return openArchiveStore(archive, {warn})
      return openArchiveStore(archive, {
        containerClient: (url, auth) => azure.container(url, auth),
        credential: azure.credential,
        warn,
      })
    })()
    return opened
  }
}
