/**
 * The base of every command that talks to Azure: sign-in (--auth), cloud (--cloud, --arm-endpoint),
 * subscription (--subscription), their environment variables, and Azure error mapping. The clients are
 * built on first use and the SDKs are loaded only then.
 */
import {type Command, Flags} from '@oclif/core'

import type {ArchiveStore} from '../store/store.js'
import type {AzureClients} from '../azure/clients.js'
import type {AuthKind} from '../azure/credential.js'
import type {VmRef} from '../azure/resource-id.js'
import {toBootdiagErrorFromAzure} from '../azure/errors.js'
import {type BootdiagError, UsageError} from '../errors.js'
import {currentPromptContext} from '../prompts/gate.js'
import type {FetchResult} from '../services/snapshot/fetch-snapshot.js'
import type {VmSummary} from '../services/vm/inventory.js'
import {BaseCommand} from './base-command.js'
import {type ResolvedTarget, type VmTargetFlags, resolveVmTargets} from './resolve-vm-targets.js'

export abstract class AzureCommand<T extends typeof Command> extends BaseCommand<T> {
  static override baseFlags = {
    ...BaseCommand.baseFlags,
    'arm-endpoint': Flags.string({
      env: 'BOOTDIAG_ARM_ENDPOINT',
      helpGroup: 'AZURE',
      summary: 'Resource Manager URL of a custom cloud or Azure Stack Hub; its /metadata/endpoints gives the rest.',
    }),
    auth: Flags.option({
      default: 'default' as const,
      env: 'BOOTDIAG_AUTH',
      helpGroup: 'AZURE',
      options: ['default', 'environment', 'cli', 'managed-identity', 'device-code', 'browser'] as const,
      summary: 'How to sign in.',
    })(),
    cloud: Flags.string({
      env: 'BOOTDIAG_CLOUD',
      helpGroup: 'AZURE',
      summary: 'Azure cloud: AzureCloud (default), AzureChinaCloud or AzureUSGovernment.',
    }),
    subscription: Flags.string({
      env: 'AZURE_SUBSCRIPTION_ID',
      helpGroup: 'AZURE',
      summary: "Subscription ID or name. Default: az CLI's default, else the only one visible.",
    }),
  }

  private clients?: Promise<AzureClients>
  private resolvedSubscription?: Promise<string>

  /** The SDK client factory for this run (cloud + credential), built once. */
  protected azure(): Promise<AzureClients> {
    this.clients ??= this.buildClients()
    return this.clients
  }

  /** The subscription this run works in (resolved once, see README "Subscriptions"). */
  protected subscriptionId(): Promise<string> {
    this.resolvedSubscription ??= (async () => {
      const clients = await this.azure()
      const {resolveSubscription} = await import('../azure/subscription.js')
      const sub = await resolveSubscription(this.flags.subscription, clients.subscriptionSources())
      return sub.subscriptionId
    })()
    return this.resolvedSubscription
  }

  /** The VMs named by the VM flags, or the one picked interactively when none was named. */
  protected async resolveTargets(flags: VmTargetFlags): Promise<ResolvedTarget[]> {
    let everyVm: Promise<VmSummary[]> | undefined
    return resolveVmTargets(flags, {
      listVms: () => {
        everyVm ??= (async () => {
          const {listVms} = await import('../services/vm/inventory.js')
          const subscriptionId = await this.subscriptionId()
          const compute = await (await this.azure()).compute(subscriptionId)
          return listVms(compute, {all: true, includeVmss: true, signal: this.signal, subscriptionId})
        })()
        return everyVm
      },
      async pick(vms) {
        const {pickVm} = await import('../prompts/vm-picker.js')
        return pickVm(vms.filter((vm) => vm.bootDiagnostics.enabled))
      },
      prompt: currentPromptContext(this.machineOutput),
      subscriptionId: () => this.subscriptionId(),
    })
  }

  /**
   * Take one snapshot into the archive (--archive: a folder or a Blob container URL, else the per-user
   * default folder), the one way every command does it (fetch, analyze -n, the guarded VM operations). The
   * analyser's verdict is recorded in snapshot.json unless `recordVerdict` is false.
   */
  protected async takeSnapshot(
    ref: VmRef,
    reason: string,
    options: {archive?: string; recordVerdict?: boolean} = {},
  ): Promise<FetchResult> {
    const [{fetchSnapshot}, {verdictOfLog}, clients, store] = await Promise.all([
      import('../services/snapshot/fetch-snapshot.js'),
      import('../services/snapshot/verdict.js'),
      this.azure(),
      this.archiveStore(options.archive),
    ])
    return fetchSnapshot(
      {
        blobClient: (url, auth) => clients.blob(url, auth),
        compute: await clients.compute(ref.subscriptionId),
        credential: clients.credential,
      },
      {
        analyze: options.recordVerdict === false ? undefined : verdictOfLog,
        reason,
        ref,
        signal: this.signal,
        store,
        toolVersion: this.config.version,
      },
    )
  }

  /** The archive store --archive names: a folder (default: the per-user one) or a Blob container URL. */
  protected async archiveStore(archive?: string): Promise<ArchiveStore> {
    const {isContainerUrl, openArchiveStore} = await import('../store/store.js')
    const credential = archive && isContainerUrl(archive) ? (await this.azure()).credential : undefined
    return openArchiveStore(archive, {credential, maxRetries: maxRetriesFromEnv()})
  }

  private async buildClients(): Promise<AzureClients> {
    const [{AzureClients, resolveCloud}, {createCredential}] = await Promise.all([
      import('../azure/clients.js'),
      import('../azure/credential.js'),
    ])
    const settings = {maxRetries: maxRetriesFromEnv()}
    const cloud = await resolveCloud({armEndpoint: this.flags['arm-endpoint'], cloud: this.flags.cloud}, settings)
    const credential = await createCredential({
      cloud,
      kind: this.flags.auth as AuthKind,
      notify: (message) => this.note(message),
    })
    return new AzureClients(cloud, credential, settings)
  }

  protected override toBootdiagError(error: unknown): BootdiagError {
    return toBootdiagErrorFromAzure(error) ?? super.toBootdiagError(error)
  }
}

/** BOOTDIAG_MAX_RETRIES: retries per Azure request (default: the SDKs' own, 3). */
function maxRetriesFromEnv(): number | undefined {
  const value = process.env.BOOTDIAG_MAX_RETRIES
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 20)
    throw new UsageError(`BOOTDIAG_MAX_RETRIES must be a whole number from 0 to 20 (got '${value}').`)
  return n
}
