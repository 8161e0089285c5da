/** Each VM's OS type, from its model's OS disk (a scale-set instance's, or its scale set's profile). */
import {expect} from 'chai'

import {osTypeOf, summaryOfScaleSetVm, summaryOfVm} from '../../../../src/services/vm/inventory.js'

describe('vm inventory: the OS type', () => {
  it("a VM's storageProfile.osDisk.osType, in Azure's spelling; null when the model does not say", () => {
    expect(
      summaryOfVm({location: 'westeurope', storageProfile: {osDisk: {osType: 'Windows'} as never}}, 'running').osType,
    ).to.equal('Windows')
    expect(summaryOfVm({location: 'westeurope'}, 'running').osType).to.equal(null)
    expect([osTypeOf('linux'), osTypeOf(' WINDOWS '), osTypeOf(''), osTypeOf(undefined)]).to.deep.equal([
      'Linux',
      'Windows',
      null,
      null,
    ])
  })

  it("a scale-set instance's own model, else its scale set's profile", () => {
    const set = {
      name: 'ss',
      virtualMachineProfile: {storageProfile: {osDisk: {createOption: 'FromImage', osType: 'Windows'}}},
    } as Parameters<typeof summaryOfScaleSetVm>[1]
    expect(summaryOfScaleSetVm({instanceId: '0', location: 'westeurope'}, set).osType).to.equal('Windows')
    expect(
      summaryOfScaleSetVm(
        {instanceId: '1', location: 'westeurope', storageProfile: {osDisk: {osType: 'Linux'} as never}},
        set,
      ).osType,
    ).to.equal('Linux')
  })
})
