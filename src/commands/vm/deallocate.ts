import {VmOperationCommand, operationFlags} from '../../cli/vm-operation-command.js'
import type {VmOperationName} from '../../services/vm/operation.js'

export default class VmDeallocate extends VmOperationCommand<typeof VmDeallocate> {
  static override description = `Stops the VM and releases its host (no more compute billing) after a snapshot of its serial log and screenshot (reason pre-deallocate), whose path and verdict are printed first: the next start happens on a new host with a new serial log, so the snapshot is what is left of this one.

If no snapshot can be taken, nothing is deallocated unless you pass --force; --skip-snapshot skips it knowingly. On a terminal you are asked to confirm; without one, pass --yes.`

  static override examples = [
    {command: '<%= config.bin %> vm deallocate -n web-01 -g web-rg', description: 'Snapshot, confirm, deallocate'},
    {
      command: '<%= config.bin %> vm deallocate --ids ID1 ID2 --yes -o json',
      description: 'Several VMs, no questions, JSON result',
    },
  ]

  static override flags = operationFlags
  static override operation: VmOperationName = 'deallocate'
  static override summary = 'Snapshot the serial log, then deallocate the VM.'
}
