/**
 * Root hooks for every mocha run: tests talk to loopback only. nock refuses any other host in-process;
 * subprocesses (end-to-end tests) get explicit credentials and loopback endpoints from their helpers.
 */
import nock from 'nock'

// Never let a credential chain probe the managed-identity endpoint or read a developer's az login.
// (BOOTDIAG_TEST_* are the harness's own switches, e.g. BOOTDIAG_TEST_DEBUG in test/helpers/cli.ts.)
for (const name of Object.keys(process.env)) {
  if (/^(AZURE_|BOOTDIAG_|MSI_|IDENTITY_|IMDS_)/.test(name) && !name.startsWith('BOOTDIAG_TEST_'))
    delete process.env[name]
}

process.env.NO_COLOR = '1'

export const mochaHooks = {
  beforeAll() {
    nock.disableNetConnect()
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/)
  },
  afterAll() {
    nock.cleanAll()
    nock.enableNetConnect()
  },
}
