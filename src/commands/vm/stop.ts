import {Flags} from '@oclif/core'

import {VmOperationCommand, operationFlags} from '../../cli/vm-operation-command.js'
import type {VmOperationName} from '../../services/vm/operation.js'

export default class VmStop extends VmOperationCommand<typeof VmStop> {
  static override description = `Stops (powers off) the VM after a snapshot of its serial log and screenshot (reason pre-stop), whose path and verdict are printed first. The VM keeps its host and is still billed for compute; use 'vm deallocate' to stop that. --skip-shutdown powers it off at once, without a guest shutdown (for a VM that hangs).

If no snapshot can be taken, nothing is stopped unless you pass --force; --skip-snapshot skips it knowingly. On a terminal you are asked to confirm; without one, pass --yes.`

  static override examples = [
    {command: '<%= config.bin %> vm stop -n web-01 -g web-rg', description: 'Snapshot, confirm, stop'},
    {
      command: '<%= config.bin %> vm stop -n web-01 -g web-rg --skip-shutdown --yes',
      description: 'Forced power-off of a hung VM (after the snapshot)',
    },
  ]

  static override flags = {
    ...operationFlags,
    'skip-shutdown': Flags.boolean({summary: 'Power off at once, without a graceful shutdown of the guest.'}),
  }

  static override operation: VmOperationName = 'stop'
  static override summary = 'Snapshot the serial log, then stop (power off) the VM.'
}
