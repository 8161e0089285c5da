/**
 * A run context for tests (the one services receive; see src/context/run-context.ts): Azure over clients
 * the test built (pointed at nock or the loopback fake), a store, a clock the test controls, and the
 * notes and warnings a run printed, kept for assertions.
 */
import type {AzureClients} from '../../src/azure/clients.js'
import {type AzureAccess, azureAccessFrom} from '../../src/context/azure-access.js'
import type {Clock, RunContext} from '../../src/context/run-context.js'
import type {ArchiveStore} from '../../src/store/store.js'

export interface TestContextOptions {
  clients: AzureClients
  /** the archive; tests that never touch one may leave it out */
  store?: ArchiveStore
  /** the time the run sees (default: the real one) */
  now?: () => Date
  /** sleeps resolve at once unless the test says otherwise */
  sleep?: Clock['sleep']
  signal?: AbortSignal
  /** --subscription */
  subscription?: string
  env?: NodeJS.ProcessEnv
  toolVersion?: string
  /** parts of Azure to replace (e.g. a Resource Graph that fails the way a cloud without it does) */
  azure?: Partial<AzureAccess>
}

export interface TestContext extends RunContext {
  notes: string[]
  warnings: string[]
}

export function testContext(options: TestContextOptions): TestContext {
  const notes: string[] = []
  const warnings: string[] = []
  return {
    azure: Object.assign(azureAccessFrom(options.clients, options.subscription, options.env), options.azure),
    clock: {now: options.now ?? (() => new Date()), sleep: options.sleep ?? (async () => {})},
    events: {note: (message) => notes.push(message), warn: (message) => warnings.push(message)},
    notes,
    settings: {},
    signal: options.signal ?? new AbortController().signal,
    async store() {
      if (!options.store) throw new Error('this test gave its context no archive store')
      return options.store
    },
    toolVersion: options.toolVersion ?? '0.0.0-test',
    warnings,
  }
}
