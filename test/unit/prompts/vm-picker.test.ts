import {render} from '@inquirer/testing'
import {search} from '@inquirer/prompts'
import {expect} from 'chai'

import {filterChoices, pickerChoices} from '../../../src/prompts/vm-picker.js'
import type {VmSummary} from '../../../src/services/vm/inventory.js'

function vm(name: string, resourceGroup: string, powerState: string, location: string): VmSummary {
  return {
    bootDiagnostics: {enabled: true, storage: 'managed', storageUri: null},
    id: `/x/${name}`,
    location,
    name,
    powerState,
    resourceGroup,
  }
}

const VMS = [
  vm('web-01', 'rg-web', 'running', 'westeurope'),
  vm('web-02', 'rg-web', 'stopped', 'westeurope'),
  vm('db-01', 'rg-data', 'running', 'northeurope'),
]

describe('picker', () => {
  it('shows name, resource group, power state and location, aligned', () => {
    expect(pickerChoices(VMS).map((c) => c.name)).to.deep.equal([
      'web-01  rg-web   running  westeurope',
      'web-02  rg-web   stopped  westeurope',
      'db-01   rg-data  running  northeurope',
    ])
  })

  it('a name with control characters is shown escaped (the terminal is not steered), and still picked as it is', () => {
    const [choice] = pickerChoices([vm('evil\u001B[2J\u0007\nFORGED', 'rg', 'running', 'westeurope')])
    expect(choice.name).to.match(/^evil\\x1b\[2J\\x07\\nFORGED {2}rg {2}running {2}westeurope$/)
    expect(choice.value.name).to.equal('evil\u001B[2J\u0007\nFORGED')
  })

  it('type-ahead matches every word against any column', () => {
    const choices = pickerChoices(VMS)
    expect(filterChoices(choices, 'web run').map((c) => c.value.name)).to.deep.equal(['web-01'])
    expect(filterChoices(choices, 'NORTH').map((c) => c.value.name)).to.deep.equal(['db-01'])
    expect(filterChoices(choices, '')).to.have.length(3)
  })

  it('drives the real search prompt: typing narrows the list, Enter picks', async () => {
    // Given the search prompt over the picker's choices
    const choices = pickerChoices(VMS)
    const {answer, events, getScreen} = await render(search<VmSummary>, {
      message: 'Pick a VM',
      source: (term) => filterChoices(choices, term),
    })

    // When the user types "db" and presses Enter
    events.type('db')
    await new Promise((resolve) => setImmediate(resolve))
    const screen = getScreen()
    events.keypress('enter')

    // Then only db-01 was listed and it is the answer
    expect(screen).to.include('db-01').and.not.include('web-01')
    expect((await answer).name).to.equal('db-01')
  })
})
