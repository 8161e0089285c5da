/**
 * The interactive VM picker: a type-ahead search list of the VMs with boot diagnostics (name, resource
 * group, power state, location), on @inquirer/prompts. Drawn on stderr so stdout stays the result.
 * Callers check the prompt gate (prompts/gate.ts) first.
 */
import type {search as searchPrompt} from '@inquirer/prompts'

import {InterruptedError, NotFoundError} from '../errors.js'
import type {VmSummary} from '../services/vm/inventory.js'
import {printable} from '../util/printable.js'

export interface PickerChoice {
  name: string
  value: VmSummary
  description: string
}

/** One aligned line per VM, and the text the filter matches against (names shown escaped, never obeyed). */
export function pickerChoices(vms: readonly VmSummary[]): PickerChoice[] {
  const label = (vm: VmSummary) => printable(vm.vmss ? `${vm.name} (${vm.vmss}/${vm.instanceId})` : vm.name)
  const group = (vm: VmSummary) => printable(vm.resourceGroup)
  const power = (vm: VmSummary) => printable(vm.powerState)
  const width = (get: (vm: VmSummary) => string) => Math.max(0, ...vms.map((vm) => get(vm).length))
  const w = {group: width(group), name: width(label), power: width(power)}
  return vms.map((vm) => ({
    description: printable(`${vm.id} — boot diagnostics: ${vm.bootDiagnostics.storage ?? 'disabled'}`),
    name: `${label(vm).padEnd(w.name)}  ${group(vm).padEnd(w.group)}  ${power(vm).padEnd(w.power)}  ${printable(vm.location)}`,
    value: vm,
  }))
}

/** Case-insensitive match of every word of the term against name, group, state, location, scale set. */
export function filterChoices(choices: readonly PickerChoice[], term: string | undefined): PickerChoice[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return [...choices]
  return choices.filter((choice) => {
    const vm = choice.value
    const haystack = [vm.name, vm.resourceGroup, vm.powerState, vm.location, vm.vmss ?? ''].join(' ').toLowerCase()
    return words.every((word) => haystack.includes(word))
  })
}

/** Where the prompt reads keys and draws (tests hand in their own streams). */
export type PickerIo = NonNullable<Parameters<typeof searchPrompt>[1]>

export async function pickVm(vms: readonly VmSummary[], io: PickerIo = {output: process.stderr}): Promise<VmSummary> {
  if (vms.length === 0) {
    throw new NotFoundError(
      "No VMs with boot diagnostics in this subscription. Check --subscription, or enable boot diagnostics ('az vm boot-diagnostics enable').",
      {
        code: 'NoVms',
      },
    )
  }

  const {search} = await import('@inquirer/prompts')
  const choices = pickerChoices(vms)
  try {
    return await search(
      {
        message: `Pick a VM (${vms.length} with boot diagnostics; type to filter)`,
        pageSize: 12,
        source: (term) => filterChoices(choices, term),
      },
      io,
    )
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
      throw new InterruptedError('SIGINT', 'Cancelled; nothing was fetched.')
    throw error
  }
}
