/** Bad command lines: one line on stderr that says what to do, exit 2, nothing on stdout. */
import {expect} from 'chai'

import {e2eSuite} from '../helpers/e2e.js'

const cases: Array<[string[], string]> = [
  [['vm', 'list', 'extra'], "Error: Unexpected argument: extra. Run 'bootdiag vm list --help' for usage."],
  [['frobnicate'], "Error: Unknown command 'bootdiag frobnicate'. Run 'bootdiag --help' to see the commands."],
  [['vm', 'frob'], "Error: Unknown command 'bootdiag vm frob'. Run 'bootdiag --help' to see the commands."],
  [['fetch', '--reason'], "Error: Flag --reason expects a value. Run 'bootdiag fetch --help' for usage."],
  [
    ['vm', 'list', '-o', 'xml'],
    "Error: Expected --output=xml to be one of: table, json, jsonc, tsv, yaml, none. Run 'bootdiag vm list --help' for usage.",
  ],
  [['vm', 'list', '--bogus'], "Error: Nonexistent flag: --bogus. Run 'bootdiag vm list --help' for usage."],
  [
    ['vm', 'list', '--auth', 'password'],
    "Error: Expected --auth=password to be one of: default, environment, cli, managed-identity, device-code, browser. Run 'bootdiag vm list --help' for usage.",
  ],
  [
    ['vm', 'list', '--arm-endpoint', 'http://management.example'],
    'Error: --arm-endpoint must use https (got http://management.example).',
  ],
  [
    ['vm', 'list', '--query', '[?name=='],
    'Error: Invalid --query \'[?name==\': Invalid token (EOF): "". See https://jmespath.org for the syntax.',
  ],
]

describe('e2e: usage errors', function () {
  this.timeout(60_000)
  // (these never reach Azure, so no --debug)
  const suite = e2eSuite()
  for (const [args, message] of cases) {
    it(`bootdiag ${args.join(' ')}`, async () => {
      const run = await suite.run(args, {BOOTDIAG_AUTH: 'environment'})
      expect(run.stderr.trimEnd()).to.equal(message)
      expect(run.stdout).to.equal('')
      expect(run.exitCode).to.equal(2)
    })
  }
})
