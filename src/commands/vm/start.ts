import {VmOperationCommand, bootingOperationFlags} from '../../cli/vm-operation-command.js'
import type {VmOperationName} from '../../services/vm/operation.js'

export default class VmStart extends VmOperationCommand<typeof VmStart> {
  static override description = `Starts a stopped or deallocated VM. A snapshot is taken first (reason pre-start): a deallocated VM starts on a new host with a new serial log, so this keeps the last one. Starting interrupts nothing, so no confirmation is asked.

With --watch, the boot is followed until it reaches --until (exit 0), fails (exit 3) or --timeout passes (exit 5), and a second snapshot (post-start) keeps it.`

  static override examples = [
    {
      command: '<%= config.bin %> vm start -n web-01 -g web-rg --watch',
      description: 'Start the VM and follow its boot to the login prompt',
    },
    {
      command: '<%= config.bin %> vm start -n web-01 -g web-rg --watch --until agent-provisioned',
      description: 'Wait for the Azure agent too',
    },
  ]

  static override flags = bootingOperationFlags
  static override operation: VmOperationName = 'start'
  static override summary = 'Snapshot the serial log, then start the VM (and watch it boot).'
}
