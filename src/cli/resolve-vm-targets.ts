/**
 * Turns the VM flags (-n/-g, --ids, --vmss/--instance-id) into VM references, or, when none was given
 * and a person is at a terminal, offers the picker. Shared by every command that targets VMs.
 */
import {type VmRef, parseVmId} from '../azure/resource-id.js'
import {NotFoundError, UsageError} from '../errors.js'
import {type PromptContext, canPrompt, whyNoPrompt} from '../prompts/gate.js'
import type {VmSummary} from '../services/vm/inventory.js'

export interface VmTargetFlags {
  ids?: string[]
  'instance-id'?: string
  name?: string
  'resource-group'?: string
  vmss?: string
}

export interface TargetResolution {
  subscriptionId(): Promise<string>
  /** `-n web-ss_0 -g RG`: the scale-set instance a listing calls so, when no VM has that name */
  instanceByName?(ref: VmRef): Promise<VmRef>
  /** every VM of the subscription, scale-set instances included, for the picker and name look-ups */
  listVms(): Promise<VmSummary[]>
  prompt: PromptContext
  pick(vms: VmSummary[]): Promise<VmSummary>
}

export interface ResolvedTarget {
  ref: VmRef
  /** when the target came from a list (picker, name look-up) */
  summary?: VmSummary
}

const HOW_TO_NAME_A_VM = 'pass -n NAME -g RESOURCE_GROUP, --ids RESOURCE_ID, or --vmss NAME --instance-id N'

export async function resolveVmTargets(flags: VmTargetFlags, how: TargetResolution): Promise<ResolvedTarget[]> {
  const {ids, name, vmss} = flags
  const rg = flags['resource-group']
  const instanceId = flags['instance-id']
  if (ids && ids.length > 0) {
    if (name || vmss || instanceId || rg)
      throw new UsageError(
        '--ids cannot be combined with -n, -g, --vmss or --instance-id: a resource ID names the VM and its resource group. Use one way to name the VM.',
      )
    return ids.flatMap((id) => id.split(/\s+/).filter(Boolean)).map((id) => ({ref: parseVmId(id)}))
  }

  if (name && vmss) throw new UsageError('Use either -n NAME or --vmss NAME --instance-id N, not both.')
  if (instanceId && !vmss) throw new UsageError('--instance-id needs --vmss NAME.')
  if (vmss && !instanceId)
    throw new UsageError(`--vmss needs --instance-id (list them with 'bootdiag vm list --include-vmss').`)
  if (vmss && instanceId) {
    if (rg)
      return [
        {
          ref: {
            name: `${vmss}_${instanceId}`,
            resourceGroup: rg,
            subscriptionId: await how.subscriptionId(),
            vmss: {instanceId, name: vmss},
          },
        },
      ]
    const found = await findOne(
      how,
      (vm) => vm.vmss?.toLowerCase() === vmss.toLowerCase() && vm.instanceId === instanceId,
      `Scale-set instance ${vmss}/${instanceId}`,
    )
    return [{ref: parseVmId(found.id), summary: found}]
  }

  if (name) {
    // `-n web-ss/0`: a scale-set instance as vm list's Scale set column writes it (no VM name has a '/')
    const slash = /^([^/]+)\/([^/]+)$/.exec(name)
    if (slash) return resolveVmTargets({...flags, 'instance-id': slash[2], name: undefined, vmss: slash[1]}, how)
    if (rg) {
      const ref: VmRef = {name, resourceGroup: rg, subscriptionId: await how.subscriptionId()}
      return [{ref: how.instanceByName ? await how.instanceByName(ref) : ref}]
    }

    const found = await findOne(how, (vm) => vm.name.toLowerCase() === name.toLowerCase(), `VM '${name}'`)
    return [{ref: parseVmId(found.id), summary: found}]
  }

  if (rg) throw new UsageError(`-g names a resource group, not a VM: ${HOW_TO_NAME_A_VM}.`)
  if (!canPrompt(how.prompt))
    throw new UsageError(`No VM given, and no picker because ${whyNoPrompt(how.prompt)}: ${HOW_TO_NAME_A_VM}.`, {
      code: 'VmRequired',
    })
  // A listed VM's own resource ID says how to address it (a Flexible member is a plain VM).
  const picked = await how.pick(await how.listVms())
  return [{ref: parseVmId(picked.id), summary: picked}]
}

/** Find exactly one VM by a predicate in the subscription's list (for -n without -g). */
async function findOne(how: TargetResolution, match: (vm: VmSummary) => boolean, what: string): Promise<VmSummary> {
  const matches = (await how.listVms()).filter((vm) => match(vm))
  if (matches.length === 1) return matches[0]
  if (matches.length === 0) {
    throw new NotFoundError(
      `${what} was not found in the subscription. Pass -g RESOURCE_GROUP too, or check the name with 'bootdiag vm list --all --include-vmss'.`,
      {
        code: 'VmNotFound',
      },
    )
  }

  throw new UsageError(
    `${what} exists in several resource groups (${matches.map((vm) => vm.resourceGroup).join(', ')}): pass -g to choose.`,
    {code: 'AmbiguousVm'},
  )
}
