/**
 * The base of every command that talks to Azure: sign-in (--auth), cloud (--cloud, --arm-endpoint),
 * subscription (--subscription), their environment variables, and Azure error mapping. It hands its
 * command the run's context (context/run-context.ts), where clients are built on first use and the SDKs
 * are loaded only then.
 */
import {type Command, Flags} from '@oclif/core'

import type {AuthKind} from '../azure/credential.js'
import {toBootdiagErrorFromAzure} from '../azure/errors.js'
import type {RunContext} from '../context/run-context.js'
import type {BootdiagError} from '../errors.js'
import {currentPromptContext} from '../prompts/gate.js'
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

  private runContext?: RunContext

  /**
   * The run's context (Azure, the archive --archive names, the clock, Ctrl-C, stderr), built once from the
   * flags; nothing in it signs in or loads an SDK until a service asks.
   */
  protected async context(): Promise<RunContext> {
    if (!this.runContext) {
      const {createRunContext} = await import('../context/run-context.js')
      const flags = this.flags as AzureFlagValues
      this.runContext = createRunContext({
        archive: flags.archive,
        azure: {
          armEndpoint: flags['arm-endpoint'],
          auth: flags.auth,
          cloud: flags.cloud,
          subscription: typeof flags.subscription === 'string' ? flags.subscription : undefined,
        },
        events: {note: (message) => this.note(message), warn: (message) => this.warnUser(message)},
        signal: this.signal,
        toolVersion: this.config.version,
      })
    }

    return this.runContext
  }

  /** The VMs named by the VM flags, or the one picked interactively when none was named. */
  protected async resolveTargets(flags: VmTargetFlags): Promise<ResolvedTarget[]> {
    const {azure, signal} = await this.context()
    let everyVm: Promise<VmSummary[]> | undefined
    return resolveVmTargets(flags, {
      listVms: () => {
        everyVm ??= (async () => {
          const {listVms} = await import('../services/vm/inventory.js')
          const subscriptionId = await azure.subscriptionId()
          return listVms(await azure.compute(subscriptionId), {all: true, includeVmss: true, signal, subscriptionId})
        })()
        return everyVm
      },
      async pick(vms) {
        const {pickVm} = await import('../prompts/vm-picker.js')
        return pickVm(vms.filter((vm) => vm.bootDiagnostics.enabled))
      },
      async instanceByName(ref) {
        const {resolveInstanceName} = await import('../services/vm/details.js')
        return resolveInstanceName(await azure.compute(ref.subscriptionId), ref, signal)
      },
      prompt: currentPromptContext(this.machineOutput),
      subscriptionId: () => azure.subscriptionId(),
    })
  }

  protected override toBootdiagError(error: unknown): BootdiagError {
    return toBootdiagErrorFromAzure(error) ?? super.toBootdiagError(error)
  }
}

/** The flags AzureCommand reads (each command may add --archive; archive's --subscription repeats). */
interface AzureFlagValues {
  archive?: string
  'arm-endpoint'?: string
  auth: AuthKind
  cloud?: string
  subscription?: string | string[]
}
