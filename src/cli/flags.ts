/** Flags shared by several commands, defined once. */
import {Flags} from '@oclif/core'

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
