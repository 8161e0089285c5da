/**
 * Nothing leaked: every command run with --debug (the Azure SDKs' HTTP logging on) against the fake,
 * and no SAS signature, token, client secret or account key appears anywhere — stdout, stderr, or any
 * file in the archive.
 *
 * This file checks a handful of commands by hand, --debug given as a flag. The same check runs on every
 * run of every end-to-end test (test/helpers/cli.ts), and `npm test` runs the whole end-to-end suite a
 * second time in debug mode (`npm run test:e2e:debug`: BOOTDIAG_TEST_DEBUG=1, every run with
 * BOOTDIAG_DEBUG=1 and its archive checked too); the last test here proves that mode is really on.
 */
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeAzure, startFakeAzure} from '../fake-azure/index.js'
import {DEV_ACCOUNT_KEY} from '../helpers/azurite.js'
import {type CliResult, DEBUG_MODE, runBootdiag} from '../helpers/cli.js'

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('e2e: secrets never appear, even with --debug', function () {
  this.timeout(180_000)
  let fake: FakeAzure
  let scratch: string

  before(async () => {
    fake = await startFakeAzure()
    await fake.addVm({name: 'web-01', resourceGroup: 'rg'})
    await fake.addVm({name: 'db-01', resourceGroup: 'rg', storage: 'custom'})
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-secrets-'))
  })

  after(async () => {
    await fake?.stop()
    await rm(scratch, {force: true, recursive: true})
  })

  it('vm list, fetch (managed and custom), analyze -n and a failed sign-in leak nothing', async () => {
    // Given every secret the runs handle: the client secret, tokens the fake issues, SAS signatures, the storage key
    const archive = join(scratch, 'archive')
    const env = {
      ...fake.env(),
      AZURE_CONFIG_DIR: join(scratch, 'az'),
      BOOTDIAG_ARCHIVE: archive,
      NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
    }
    const runs: CliResult[] = []

    // When each command runs with --debug
    for (const args of [
      ['vm', 'list', '--debug'],
      ['fetch', '-n', 'web-01', '-g', 'rg', '--debug', '-o', 'json'],
      ['fetch', '-n', 'db-01', '-g', 'rg', '--debug', '-o', 'table'],
      ['analyze', '-n', 'web-01', '-g', 'rg', '--debug', '-o', 'json'],
    ]) {
      runs.push(await runBootdiag(args, {env}))
    }

    runs.push(
      await runBootdiag(['vm', 'list', '--debug'], {
        env: {...env, AZURE_CLIENT_SECRET: 'wrong-secret-but-still-a-secret'},
      }),
    )

    // Then the debug log really was on (the test would prove nothing otherwise) ...
    const everything = runs.map((run) => run.stdout + run.rawStderr).join('\n')
    expect(runs.slice(0, 4).map((run) => run.exitCode)).to.satisfy((codes: Array<number | null>) =>
      codes.every((code) => code === 0 || code === 3),
    )
    expect(everything).to.match(/"url": "https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/retrieveBootDiagnosticsData/)
    expect(everything).to.match(/\[debug\] .*Request: /)
    expect(runs[4].exitCode).to.equal(4)

    // ... and no secret is in the output or in any archived file
    const archived = await Promise.all((await filesUnder(archive)).map((file) => readFile(file, 'utf8')))
    expect(archived.length).to.be.greaterThan(3)
    for (const text of [everything, ...archived]) {
      expect(text).not.to.match(/[?&]sig=(?!<redacted>|REDACTED)[^&\s"']+/i)
      expect(text).not.to.match(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/)
      expect(text).not.to.include(fake.clientSecret)
      expect(text).not.to.include('wrong-secret-but-still-a-secret')
      expect(text).not.to.include(DEV_ACCOUNT_KEY)
      expect(text).not.to.match(/Bearer (?!<redacted>|REDACTED)[A-Za-z0-9._-]{8,}/)
    }
  })

  it(`every run of the suite has the debug log ${DEBUG_MODE ? 'on (BOOTDIAG_TEST_DEBUG=1)' : 'off (BOOTDIAG_TEST_DEBUG is not 1)'}, and users never see it unasked`, async () => {
    const run = await runBootdiag(['vm', 'list', '-o', 'json'], {
      env: {...fake.env(), AZURE_CONFIG_DIR: join(scratch, 'az'), NODE_OPTIONS: '--disable-warning=UNDICI-EHPA'},
    })
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(run.stderr).to.equal('')
    if (DEBUG_MODE) expect(run.rawStderr).to.match(/^\[debug\] .*Request: /m)
    else expect(run.rawStderr).to.equal('')
  })
})
