/** Flags shared by several commands, defined once. */
import {Flags} from '@oclif/core'

import type {VmTargetFlags} from './resolve-vm-targets.js'

/** Which VM(s): by name, by resource ID, or a scale-set instance. Omit all to pick interactively. */
export const vmTargetFlags = {
  ids: Flags.string({
    helpGroup: 'VM',
    multiple: true,
    summary: 'Full resource ID of a VM or scale-set instance (several allowed).',
  }),
  'instance-id': Flags.string({helpGroup: 'VM', summary: 'Instance id within --vmss.'}),
  name: Flags.string({char: 'n', helpGroup: 'VM', summary: 'VM name.'}),
  'resource-group': Flags.string({char: 'g', helpGroup: 'VM', summary: 'Resource group of the VM.'}),
  vmss: Flags.string({helpGroup: 'VM', summary: 'Scale set name (with --instance-id).'}),
}

export const archiveFlag = Flags.string({
  env: 'BOOTDIAG_ARCHIVE',
  helpValue: 'DIR|URL',
  summary:
    'Where snapshots go: a folder, or a Blob container https://ACCOUNT.blob.<suffix>/CONTAINER[/PREFIX] (signed-in identity, or a SAS in the URL). Default: the per-user data folder (see README "Snapshots and the archive").',
})

/** The VM-target flags out of a command's parsed flags (those that were given). */
export function pickVmTargetFlags(flags: Record<string, unknown>): VmTargetFlags {
  const picked: VmTargetFlags = {}
  for (const name of ['ids', 'instance-id', 'name', 'resource-group', 'vmss'] as const) {
    const value = flags[name]
    if (value !== undefined) Object.assign(picked, {[name]: value})
  }

  return picked
}
