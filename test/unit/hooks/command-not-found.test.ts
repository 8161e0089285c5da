import {expect} from 'chai'

import {suggestCommand} from '../../../src/hooks/command-not-found.js'
import {nearest} from '../../../src/util/nearest.js'

const COMMANDS = [
  'analyze',
  'archive',
  'fetch',
  'help',
  'watch',
  'vm:list',
  'vm:restart',
  'vm:redeploy',
  'vm:start',
  'vm:stop',
]

describe('did you mean: the command or flag a typo was meant to be', () => {
  it('a slip in a command names the command (analyse, anlyze, fecth)', () => {
    expect(suggestCommand(['anlyze', 'x'], COMMANDS)).to.equal('analyze')
    expect(suggestCommand(['analyse'], COMMANDS)).to.equal('analyze')
    expect(suggestCommand(['fecth'], COMMANDS)).to.equal('fetch')
  })

  it('a slip in a topic command names the whole command (vm lst → vm list, vm restrat → vm restart)', () => {
    expect(suggestCommand(['vm', 'lst'], COMMANDS)).to.equal('vm list')
    expect(suggestCommand(['vm', 'restrat', '-n', 'x'], COMMANDS)).to.equal('vm restart')
  })

  it('a misspelt --version or --help is named too; a word far from everything gets no guess', () => {
    expect(suggestCommand(['--versoin'], COMMANDS)).to.equal('--version')
    expect(suggestCommand(['kubernetes'], COMMANDS)).to.equal(undefined)
  })

  it("flags: the nearest of the command's flags, at most two, none when nothing is close", () => {
    expect(nearest('--jsn', ['--json', '--output', '--query'])).to.deep.equal(['--json'])
    expect(nearest('--resource-grop', ['--resource-group', '--name'])).to.deep.equal(['--resource-group'])
    expect(nearest('--frobnicate', ['--json', '--output', '--query'])).to.deep.equal([])
  })
})
