import {expect} from 'chai'

import {type TargetResolution, type VmTargetFlags, resolveVmTargets} from '../../../src/cli/resolve-vm-targets.js'
import type {PromptContext} from '../../../src/prompts/gate.js'
import type {VmSummary} from '../../../src/services/vm/inventory.js'

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'
const TTY: PromptContext = {ci: false, machineOutput: false, stdinIsTTY: true, stdoutIsTTY: true}
const PIPE: PromptContext = {ci: false, machineOutput: false, stdinIsTTY: false, stdoutIsTTY: false}

function vm(name: string, rg: string, vmss?: string): VmSummary {
  const id = vmss
    ? `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachineScaleSets/${vmss}/virtualMachines/${name.split('_')[1]}`
    : `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`
  return {
    bootDiagnostics: {enabled: true, storage: 'managed', storageUri: null},
    id,
    location: 'westeurope',
    name,
    powerState: 'running',
    resourceGroup: rg,
    ...(vmss ? {instanceId: name.split('_')[1], vmss} : {}),
  }
}

function how(
  prompt: PromptContext,
  vms: VmSummary[] = [vm('web-01', 'rg-a'), vm('web-01', 'rg-b'), vm('db-01', 'rg-a'), vm('ss_3', 'rg-a', 'ss')],
  picked?: string,
): TargetResolution & {picks: number} {
  const state = {
    listVms: async () => vms,
    async pick(list: VmSummary[]) {
      state.picks++
      return list.find((v) => v.name === picked)!
    },
    picks: 0,
    prompt,
    subscriptionId: async () => SUB,
  }
  return state
}

describe('VM flags → targets', () => {
  it('-n with -g needs no look-up', async () => {
    expect(await resolveVmTargets({name: 'web-01', 'resource-group': 'rg-a'}, how(PIPE, []))).to.deep.equal([
      {ref: {name: 'web-01', resourceGroup: 'rg-a', subscriptionId: SUB}},
    ])
  })

  it('-n alone finds the VM when its name is unique, and asks for -g when not', async () => {
    const [target] = await resolveVmTargets({name: 'DB-01'}, how(PIPE))
    expect(target.ref).to.deep.equal({name: 'db-01', resourceGroup: 'rg-a', subscriptionId: SUB})
    const error = await resolveVmTargets({name: 'web-01'}, how(PIPE)).catch((e: Error) => e)
    expect((error as Error).message).to.equal(
      "VM 'web-01' exists in several resource groups (rg-a, rg-b): pass -g to choose.",
    )
    const missing = await resolveVmTargets({name: 'nope'}, how(PIPE)).catch((e: Error) => e)
    expect(missing).to.include({code: 'VmNotFound', exitCode: 1})
  })

  it('-n with the name vm list prints for a scale-set instance (ss_3) and -g: looked up as an instance', async () => {
    const resolution = {
      ...how(PIPE, []),
      instanceByName: async (ref: {name: string; resourceGroup: string; subscriptionId: string}) =>
        ref.name === 'ss_3' ? {...ref, vmss: {instanceId: '3', name: 'ss'}} : ref,
    }
    const [target] = await resolveVmTargets({name: 'ss_3', 'resource-group': 'rg-a'}, resolution)
    expect(target.ref).to.deep.equal({
      name: 'ss_3',
      resourceGroup: 'rg-a',
      subscriptionId: SUB,
      vmss: {instanceId: '3', name: 'ss'},
    })
  })

  it('-n ss/3 (as the Scale set column writes it): the instance, with or without -g', async () => {
    const [withGroup] = await resolveVmTargets({name: 'ss/3', 'resource-group': 'rg-a'}, how(PIPE))
    expect(withGroup.ref.vmss).to.deep.equal({instanceId: '3', name: 'ss'})
    const [found] = await resolveVmTargets({name: 'ss/3'}, how(PIPE))
    expect(found.ref).to.deep.include({name: 'ss_3', resourceGroup: 'rg-a'})
  })

  it('-n alone with an instance name finds the instance; an unknown name points at a listing that shows instances', async () => {
    const [target] = await resolveVmTargets({name: 'ss_3'}, how(PIPE))
    expect(target.ref.vmss).to.deep.equal({instanceId: '3', name: 'ss'})
    const missing = await resolveVmTargets({name: 'ss_9'}, how(PIPE)).catch((e: Error) => e)
    expect((missing as Error).message).to.equal(
      "VM 'ss_9' was not found in the subscription. Pass -g RESOURCE_GROUP too, or check the name with 'bootdiag vm list --all --include-vmss'.",
    )
  })

  it('--ids, several, each parsed', async () => {
    const ids = [
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a`,
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/1`,
    ]
    const targets = await resolveVmTargets({ids}, how(PIPE))
    expect(targets.map((t) => t.ref.name)).to.deep.equal(['a', 'ss_1'])
    expect(targets[1].ref.vmss).to.deep.equal({instanceId: '1', name: 'ss'})
  })

  it('--vmss with --instance-id', async () => {
    const [target] = await resolveVmTargets({'instance-id': '3', vmss: 'ss'}, how(PIPE))
    expect(target.ref).to.deep.equal({
      name: 'ss_3',
      resourceGroup: 'rg-a',
      subscriptionId: SUB,
      vmss: {instanceId: '3', name: 'ss'},
    })
  })

  const usageCases: Array<[VmTargetFlags, string]> = [
    [
      {ids: ['x'], name: 'a'},
      '--ids cannot be combined with -n, -g, --vmss or --instance-id: a resource ID names the VM and its resource group. Use one way to name the VM.',
    ],
    [
      {ids: ['x'], 'resource-group': 'rg'},
      '--ids cannot be combined with -n, -g, --vmss or --instance-id: a resource ID names the VM and its resource group. Use one way to name the VM.',
    ],
    [{'instance-id': '1'}, '--instance-id needs --vmss NAME.'],
    [{vmss: 'ss'}, "--vmss needs --instance-id (list them with 'bootdiag vm list --include-vmss')."],
    [
      {'resource-group': 'rg'},
      '-g names a resource group, not a VM: pass -n NAME -g RESOURCE_GROUP, --ids RESOURCE_ID, or --vmss NAME --instance-id N.',
    ],
  ]
  for (const [flags, message] of usageCases) {
    it(`usage error: ${message.slice(0, 40)}`, async () => {
      const error = await resolveVmTargets(flags, how(PIPE)).catch((e: Error) => e)
      expect(error).to.include({exitCode: 2, message})
    })
  }

  it('no VM on a terminal: the picker is offered', async () => {
    const resolution = how(TTY, undefined, 'ss_3')
    const [target] = await resolveVmTargets({}, resolution)
    expect(resolution.picks).to.equal(1)
    expect(target.ref).to.deep.equal({
      name: 'ss_3',
      resourceGroup: 'rg-a',
      subscriptionId: SUB,
      vmss: {instanceId: '3', name: 'ss'},
    })
  })

  it('no VM without a terminal, in CI, or with machine output: one line naming the flags, exit 2', async () => {
    for (const [prompt, why] of [
      [PIPE, 'no terminal is attached'],
      [{...TTY, ci: true}, 'running in CI'],
      [{...TTY, machineOutput: true}, 'machine-readable output was requested'],
    ] as const) {
      const resolution = how(prompt)
      const error = await resolveVmTargets({}, resolution).catch((e: Error) => e)
      expect(error).to.include({
        exitCode: 2,
        message: `No VM given, and no picker because ${why}: pass -n NAME -g RESOURCE_GROUP, --ids RESOURCE_ID, or --vmss NAME --instance-id N.`,
      })
      expect(resolution.picks).to.equal(0)
    }
  })
})
