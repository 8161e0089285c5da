import {VmOperationCommand, bootingOperationFlags} from '../../cli/vm-operation-command.js'
import type {VmOperationName} from '../../services/vm/operation.js'

export default class VmRedeploy extends VmOperationCommand<typeof VmRedeploy> {
  static override description = `Redeploys the VM — Azure shuts it down, moves it to a new host and starts it — after keeping the evidence: a redeploy starts a new serial log, so the old one survives only in the snapshot taken first (reason pre-redeploy), whose path and verdict are printed before the redeploy starts. If no snapshot can be taken, nothing is redeployed unless you pass --force; --skip-snapshot skips it knowingly.

With --watch, the boot on the new host is followed until it reaches --until (exit 0), fails (exit 3) or --timeout passes (exit 5), and a second snapshot (post-redeploy) keeps it.

On a terminal you are asked to confirm; without one, pass --yes. Several VMs (--ids) run at most 4 at a time; the exit code is 1 when any of them failed. Ctrl-C stops waiting (the redeploy goes on in Azure) and exits 130.`

  static override examples = [
    {command: '<%= config.bin %> vm redeploy -n web-01 -g web-rg', description: 'Snapshot, confirm, redeploy'},
    {
      command: '<%= config.bin %> vm redeploy -n web-01 -g web-rg --yes --watch --timeout 20m',
      description: 'Then follow the boot on the new host',
    },
  ]

  static override flags = bootingOperationFlags
  static override operation: VmOperationName = 'redeploy'
  static override summary = 'Snapshot the serial log, then redeploy the VM to a new host (and watch it boot).'
}
