/**
 * The base of every command that talks to Azure: sign-in (--auth), cloud (--cloud, --arm-endpoint),
 * subscription (--subscription), their environment variables, and Azure error mapping. The clients are
 * built on first use and the SDKs are loaded only then.
 */
import {Command, Flags} from '@oclif/core'

import type {AzureClients} from '../azure/clients.js'
import type {AuthKind} from '../azure/credential.js'
import {toBootdiagErrorFromAzure} from '../azure/errors.js'
import {BootdiagError, UsageError} from '../errors.js'
import {BaseCommand} from './base-command.js'

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

  private async buildClients(): Promise<AzureClients> {
    const [{AzureClients, resolveCloud}, {createCredential}] = await Promise.all([import('../azure/clients.js'), import('../azure/credential.js')])
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
  if (!Number.isInteger(n) || n < 0 || n > 20) throw new UsageError(`BOOTDIAG_MAX_RETRIES must be a whole number from 0 to 20 (got '${value}').`)
  return n
}
