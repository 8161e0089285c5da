import {expect} from 'chai'

import {debugLines} from '../../../src/cli/debug-log.js'

describe('--debug output', () => {
  it('marks every line of a message, a request dump that spans lines too', () => {
    const dump = `azure:core-rest-pipeline:info Request: ${JSON.stringify({headers: {'user-agent': 'bootdiag/0.1.0'}, method: 'GET', url: 'https://127.0.0.1/x'}, null, 2)}\n`

    const lines = debugLines(dump).split('\n')

    expect(lines.at(-1)).to.equal('')
    expect(lines.slice(0, -1)).to.have.length(7)
    for (const line of lines.slice(0, -1)) expect(line).to.match(/^\[debug\] /)
    expect(lines[0]).to.equal('[debug] azure:core-rest-pipeline:info Request: {')
  })
})
