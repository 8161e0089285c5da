/**
 * Where a VM's serial log and screenshot can be read, in the order to try:
 * - custom storage: the instance view's plain blob URLs with the signed-in identity's token (needs
 *   'Storage Blob Data Reader'), then the SAS URLs from retrieveBootDiagnosticsData;
 * - managed storage: only the SAS URLs (the instance view carries none).
 * SAS URLs are asked for once per run, and never stored or printed.
 */
import type {TokenCredential} from '@azure/core-auth'

import type {BlobAuth, ComputeApi} from '../../azure/clients.js'
import {toBootdiagErrorFromAzure} from '../../azure/errors.js'
import {BootdiagError} from '../../errors.js'
import type {VmDetails} from '../vm/details.js'

export type BootDiagnosticsBlobKind = 'serial' | 'screenshot'

export interface BlobSource {
  via: 'storage-account' | 'sas'
  auth: BlobAuth
  /** the blob's URL — may hold a SAS query string, so never log it as is (util/redact) — or null when there is none */
  url(): Promise<string | null>
}

/** SAS lifetime asked for: long enough for a 1 GB log on a slow link, short enough to be useless later. */
export const SAS_MINUTES = 60

export function bootDiagnosticsDisabledError(
  vm: Pick<VmDetails, 'name' | 'resourceGroup' | 'vmss' | 'instanceId'>,
): BootdiagError {
  const enable = vm.vmss
    ? `az vmss update -g ${vm.resourceGroup} -n ${vm.vmss} --set virtualMachineProfile.diagnosticsProfile.bootDiagnostics.enabled=true, then update the instances`
    : `az vm boot-diagnostics enable -g ${vm.resourceGroup} -n ${vm.name}`
  return new BootdiagError(
    `Boot diagnostics is disabled on VM '${vm.name}'. Enable it (managed storage) with: ${enable}; the log starts with the next boot.`,
    {
      code: 'BootDiagnosticsDisabled',
    },
  )
}

export class BootDiagnosticsBlobs {
  private sas?: Promise<{serial: string | null; screenshot: string | null}>

  constructor(
    private readonly compute: ComputeApi,
    private readonly vm: VmDetails,
    private readonly credential: TokenCredential,
    private readonly signal?: AbortSignal,
  ) {
    if (!vm.bootDiagnostics.enabled) throw bootDiagnosticsDisabledError(vm)
  }

  /** Where to read one blob, best first; the SAS call is made only when a source needs it. */
  sources(kind: BootDiagnosticsBlobKind): BlobSource[] {
    const plain = this.vm.bootDiagnostics.storage === 'custom' ? this.vm.instanceViewBlobs[kind] : null
    const sas: BlobSource = {auth: {kind: 'sas'}, url: () => this.sasUrl(kind), via: 'sas'}
    return plain
      ? [{auth: {credential: this.credential, kind: 'token'}, url: async () => plain, via: 'storage-account'}, sas]
      : [sas]
  }

  /** The SAS URL for a blob (one retrieveBootDiagnosticsData call per run), or null when Azure has none. */
  async sasUrl(kind: BootDiagnosticsBlobKind): Promise<string | null> {
    this.sas ??= this.retrieveSas()
    return (await this.sas)[kind]
  }

  private async retrieveSas(): Promise<{serial: string | null; screenshot: string | null}> {
    const {ref} = this.vm
    try {
      const result = ref.vmss
        ? await this.compute.virtualMachineScaleSetVMs.retrieveBootDiagnosticsData(
            ref.resourceGroup,
            ref.vmss.name,
            ref.vmss.instanceId,
            {
              abortSignal: this.signal,
              sasUriExpirationTimeInMinutes: SAS_MINUTES,
            },
          )
        : await this.compute.virtualMachines.retrieveBootDiagnosticsData(ref.resourceGroup, ref.name, {
            abortSignal: this.signal,
            sasUriExpirationTimeInMinutes: SAS_MINUTES,
          })
      return {screenshot: result.consoleScreenshotBlobUri || null, serial: result.serialConsoleLogBlobUri || null}
    } catch (error) {
      throw (
        toBootdiagErrorFromAzure(error, {
          action: `get the boot diagnostics URLs of VM '${this.vm.name}'`,
          permission: 'Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action',
          resourceGroup: ref.resourceGroup,
          subscriptionId: ref.subscriptionId,
          vmName: this.vm.name,
        }) ?? error
      )
    }
  }
}
