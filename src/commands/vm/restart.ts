import {VmOperationCommand, bootingOperationFlags} from '../../cli/vm-operation-command.js'
import type {VmOperationName} from '../../services/vm/operation.js'

export default class VmRestart extends VmOperationCommand<typeof VmRestart> {
  static override description = `Restarts the VM in place — after keeping the evidence: a snapshot of its serial log and screenshot is taken first (reason pre-restart), and its path and the analyser's verdict are printed before the restart starts. If no snapshot can be taken (boot diagnostics off, no permission to read the log), nothing is restarted unless you pass --force; --skip-snapshot skips it knowingly. A log that does not exist yet is not a failure.

The restart appends the shutdown and the next boot to the same serial log. With --watch, that new boot is followed until it reaches --until (exit 0), fails (exit 3) or --timeout passes (exit 5), and a second snapshot (post-restart) keeps it.

On a terminal you are asked to confirm; without one, pass --yes. Several VMs (--ids) run at most 4 at a time; the exit code is 1 when any of them failed. Ctrl-C stops waiting (the restart goes on in Azure) and exits 130.`

  static override examples = [
    {
      command: '<%= config.bin %> vm restart -n web-01 -g web-rg',
      description: 'Snapshot, confirm, restart, wait until Azure is done',
    },
    {
      command: '<%= config.bin %> vm restart -n web-01 -g web-rg --yes --watch',
      description: 'Then follow the new boot to the login prompt and snapshot it',
    },
    {
      command: '<%= config.bin %> vm restart --ids ID1 ID2 ID3 --yes --no-wait -o json',
      description: 'Several VMs, without waiting for Azure to finish',
    },
  ]

  static override flags = bootingOperationFlags
  static override operation: VmOperationName = 'restart'
  static override summary = 'Snapshot the serial log, then restart the VM (and watch it boot).'
}
