/** `vm list`: the table's columns (also tsv's). */
import type {VmSummary} from '../services/vm/inventory.js'
import type {Column} from './format.js'

/** One row per VM (scale-set instances with their set and instance id when they are listed). */
export function vmColumns(withScaleSets: boolean): Column<VmSummary>[] {
  return [
    {header: 'Name', value: (vm) => vm.name},
    {header: 'Resource group', value: (vm) => vm.resourceGroup},
    {header: 'Location', value: (vm) => vm.location},
    {header: 'Power state', value: (vm) => vm.powerState},
    {header: 'Boot diagnostics', value: (vm) => vm.bootDiagnostics.storage ?? 'disabled'},
    ...(withScaleSets
      ? [{header: 'Scale set', value: (vm: VmSummary) => (vm.vmss ? `${vm.vmss}/${vm.instanceId}` : '')}]
      : []),
    {header: 'OS', value: (vm) => vm.osType ?? ''},
  ]
}
