/** The end-to-end runner's own checks: what counts as a leak, and what debug mode takes out of stderr. */
import {expect} from 'chai'

import {leakIn, withoutDebugOutput} from '../../helpers/cli.js'

describe('test runner: the leak check and debug mode', () => {
  it('finds a SAS signature, a JWT, a bearer token, an account key and a known secret; passes what the scrubber left', () => {
    const jwt = ['eyJhbGciOiJSUzI1NiJ9', 'eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ', 'c2lnbmF0dXJl'].join('.')
    expect(leakIn('GET https://a.blob.core.windows.net/c/b?sv=2024&sig=AbC%2Bdef123%3D', [])).to.equal(
      'a SAS signature',
    )
    expect(leakIn(`token ${jwt}`, [])).to.equal('a JSON Web Token')
    expect(leakIn('authorization: Bearer abcdefgh12345678', [])).to.equal('a bearer token')
    expect(leakIn('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5', [])).to.equal(
      'an account key in a connection string',
    )
    expect(leakIn('the secret is fake~0123456789abcdef', ['fake~0123456789abcdef'])).to.match(
      /^a secret value of the test harness/,
    )

    const scrubbed =
      'GET https://a.blob.core.windows.net/c/b?<redacted> sig=<redacted> Bearer <redacted> AccountKey=<redacted>'
    expect(leakIn(scrubbed, ['fake~0123456789abcdef'])).to.equal(undefined)
  })

  it('debug mode: the [debug] lines and the stack after the Error: line are not what a user sees', () => {
    const raw = [
      'Snapshot of web-01 saved to /a/b',
      '[debug] azure:core-rest-pipeline:info Request: {',
      '[debug]   "url": "https://127.0.0.1:1/x"',
      '[debug] }',
      "Error: VM 'nope' was not found in resource group 'rg'.",
      "RestError: The Resource 'nope' was not found.",
      '    at foo (file.js:1:1)',
      '[debug] late line',
      '',
    ].join('\n')

    expect(withoutDebugOutput(raw)).to.equal(
      "Snapshot of web-01 saved to /a/b\nError: VM 'nope' was not found in resource group 'rg'.\n",
    )
    expect(withoutDebugOutput('[debug] a\nWarning: b\n')).to.equal('Warning: b\n')
  })
})
