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

describe('output: --query list projections in tsv and table (as az prints them)', () => {
  const fleet = {
    vms: [
      {error: {message: 'Permission denied'}, name: 'web-01', result: 'failed'},
      {name: 'db-01', result: 'new'},
    ],
  }

  it('tsv: a list of lists is one line per list, its items tab-separated', () => {
    expect(render(vms, {format: 'tsv', query: '[].[name, powerState]'})).to.equal('web-01\trunning\ndb-01\tdeallocated')
  })

  it("tsv: the README's archive example prints the failed VMs' names and messages in columns", () => {
    expect(render(fleet, {format: 'tsv', query: "vms[?result=='failed'].[name, error.message]"})).to.equal(
      'web-01\tPermission denied',
    )
  })

  it('table: a list of lists gets a column per position, Column1, Column2, … (never a JSON array in a cell)', () => {
    expect(render(vms, {format: 'table', query: '[].[name, powerState]'})).to.equal(
      ['Column1  Column2', '-------  -----------', 'web-01   running', 'db-01    deallocated'].join('\n'),
    )
  })

  it('tsv: a list of scalars is one value per line; an object is its scalar values on one line', () => {
    expect(render(vms, {format: 'tsv', query: '[0].[name, location]'})).to.equal('web-01\nwesteurope')
    expect(render(vms, {format: 'tsv', query: '[0].{n: name, l: location}'})).to.equal('web-01\twesteurope')
  })
})

describe('output: control characters in values never reach the terminal', () => {
  const hostile = [{name: 'web\u001B[2J\u0007-01', note: 'line one\nforged: line two', rg: 'rg\u009B31m'}]

  it('table and tsv show ESC, BEL and C1 controls escaped; a newline never breaks the row', () => {
    for (const format of ['table', 'tsv'] as const) {
      const text = render(hostile, {format})
      expect(text, format).not.to.match(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/)
      expect(text, format).to.include('web\\x1b[2J\\x07-01')
      expect(text, format).to.include('rg\\x9b31m')
      expect(text, format).to.include('line one forged: line two')
      expect(
        text.split('\n').filter((line) => line.includes('forged')),
        format,
      ).to.have.length(1)
    }
  })

  it('json keeps the value as it is, escaped the JSON way', () => {
    expect(JSON.parse(render(hostile, {format: 'json'}))).to.deep.equal(hostile)
    expect(render(hostile, {format: 'json'})).not.to.match(/[\u0000-\u001F](?<!\n)/)
  })
})
