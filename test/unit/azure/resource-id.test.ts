import {expect} from 'chai'

import {parseVmId, vmResourceId} from '../../../src/azure/resource-id.js'

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333'

describe('resource IDs', () => {
  it('parses a VM id, case-insensitive in its fixed parts', () => {
    expect(
      parseVmId(
        `/subscriptions/${SUB.toUpperCase()}/resourcegroups/RG-Web/providers/microsoft.compute/virtualmachines/web-01`,
      ),
    ).to.deep.equal({
      name: 'web-01',
      resourceGroup: 'RG-Web',
      subscriptionId: SUB,
    })
  })

  it('parses a scale-set instance id', () => {
    const ref = parseVmId(
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/7`,
    )
    expect(ref).to.deep.equal({
      name: 'ss_7',
      resourceGroup: 'rg',
      subscriptionId: SUB,
      vmss: {instanceId: '7', name: 'ss'},
    })
    expect(vmResourceId(ref)).to.equal(
      `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/7`,
    )
  })

  for (const bad of [
    'web-01',
    `/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/x`,
    `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/x`,
    `/subscriptions/${SUB}/resourceGroups/rg`,
  ]) {
    it(`a malformed --ids is one usage line: ${bad.slice(0, 40)}`, () => {
      expect(() => parseVmId(bad))
        .to.throw(/^--ids '.*' is not a VM resource ID\. Expected \/subscriptions\/<guid>\/resourceGroups/)
        .with.property('exitCode', 2)
    })
  }
})
