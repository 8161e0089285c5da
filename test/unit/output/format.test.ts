import {expect} from 'chai'

import {defaultOutputFormat, render} from '../../../src/output/format.js'

const vms = [
  {bootDiagnostics: {enabled: true, storage: 'managed'}, location: 'westeurope', name: 'web-01', powerState: 'running'},
  {
    bootDiagnostics: {enabled: true, storage: 'custom'},
    location: 'northeurope',
    name: 'db-01',
    powerState: 'deallocated',
  },
]
const columns = [
  {header: 'Name', value: (vm: (typeof vms)[number]) => vm.name},
  {header: 'Boot diagnostics', value: (vm: (typeof vms)[number]) => vm.bootDiagnostics.storage},
]

describe('output: render', () => {
  it('a table on a terminal, JSON when piped', () => {
    expect(defaultOutputFormat(true)).to.equal('table')
    expect(defaultOutputFormat(false)).to.equal('json')
  })

  it('table: headers, a rule, aligned columns, no trailing spaces', () => {
    expect(render(vms, {columns, format: 'table'})).to.equal(
      ['Name    Boot diagnostics', '------  ----------------', 'web-01  managed', 'db-01   custom'].join('\n'),
    )
  })

  it('tsv: the table columns without headers', () => {
    expect(render(vms, {columns, format: 'tsv'})).to.equal('web-01\tmanaged\ndb-01\tcustom')
  })

  it('json, yaml, none', () => {
    expect(JSON.parse(render(vms, {format: 'json'}))).to.deep.equal(vms)
    expect(render({a: 1, b: ['x']}, {format: 'yaml'})).to.equal('a: 1\nb:\n  - x')
    expect(render(vms, {format: 'none'})).to.equal('')
  })

  it('jsonc colours only when asked', () => {
    expect(render({a: 'x'}, {color: true, format: 'jsonc'})).to.include('\u001B[')
    expect(render({a: 'x'}, {color: false, format: 'jsonc'})).not.to.include('\u001B[')
  })

  it('--query reshapes before formatting, and the table follows the new shape', () => {
    expect(JSON.parse(render(vms, {format: 'json', query: "[?powerState=='running'].name"}))).to.deep.equal(['web-01'])
    expect(render(vms, {format: 'tsv', query: '[].name'})).to.equal('web-01\ndb-01')
    expect(render(vms, {columns, format: 'table', query: '[].{n: name, p: powerState}'})).to.equal(
      ['N       P', '------  -----------', 'web-01  running', 'db-01   deallocated'].join('\n'),
    )
  })

  it('a broken --query is a usage error that points at the syntax', () => {
    expect(() => render(vms, {format: 'json', query: '[?name=='}))
      .to.throw(/^Invalid --query '\[\?name==': .*jmespath\.org/)
      .with.property('exitCode', 2)
  })

  it('cells never break a row: tabs and newlines become spaces', () => {
    expect(render([{a: 'x\ty\nz'}], {format: 'tsv'})).to.equal('x y z')
  })
})
