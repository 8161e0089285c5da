import {Flags} from '@oclif/core'

import {AzureCommand} from '../../cli/azure-command.js'
import {vmColumns} from '../../output/vm-list.js'
import {type ListVmsOptions, type VmSummary, listVms} from '../../services/vm/inventory.js'

export type VmListOptions = Omit<ListVmsOptions, 'signal' | 'subscriptionId'>

export default class VmList extends AzureCommand<typeof VmList> {
  static override description = `Lists the subscription's VMs that have boot diagnostics enabled, with their power state and where the serial log and screenshot are stored (managed or custom storage).

Use --all to see every VM (the Boot diagnostics column then shows which have it disabled), and --include-vmss to add scale-set instances (Uniform and Flexible).`

  static override examples = [
    {command: '<%= config.bin %> vm list', description: 'VMs with boot diagnostics in the default subscription'},
    {command: '<%= config.bin %> vm list -g web-rg --all', description: 'Every VM in one resource group'},
    {command: '<%= config.bin %> vm list --include-vmss -o json', description: 'Include scale-set instances, as JSON'},
    {
      command: '<%= config.bin %> vm list --query "[?powerState==\'running\'].name" -o tsv',
      description: 'Names of running VMs',
    },
  ]

  static override flags = {
    all: Flags.boolean({summary: 'Include VMs without boot diagnostics.'}),
    'include-vmss': Flags.boolean({summary: 'Add scale-set instances (Uniform and Flexible).'}),
    'resource-group': Flags.string({char: 'g', summary: 'Only this resource group.'}),
  }

  static override summary = 'List VMs with boot diagnostics.'

  /** What the flags ask for (tested in-process: test/unit/commands/options.test.ts). */
  options(): VmListOptions {
    return {
      all: this.flags.all === true,
      includeVmss: this.flags['include-vmss'] === true,
      resourceGroup: this.flags['resource-group'],
    }
  }

  async run(): Promise<VmSummary[]> {
    const options = this.options()
    const {azure, signal} = await this.context()
    const subscriptionId = await azure.subscriptionId()
    const vms = await listVms(await azure.compute(subscriptionId), {...options, signal, subscriptionId})
    this.present(vms, {columns: vmColumns(options.includeVmss ?? false)})
    if (vms.length === 0 && !this.machineOutput) {
      this.note(options.all ? 'No VMs found.' : 'No VMs with boot diagnostics found (use --all to see every VM).')
    }

    return vms
  }
}
