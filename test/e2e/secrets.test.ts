/**
 * Nothing leaked: every command run with --debug (the Azure SDKs' HTTP logging on) against the fake,
 * and no SAS signature, token, client secret or account key appears anywhere — stdout, stderr, or any
 * file in the archive.
 *
 * This file checks a handful of commands by hand, --debug given as a flag. The same check runs on every
 * run of every end-to-end test (test/helpers/cli.ts), and every suite that talks to the fake Azure runs
 * with --debug on (BOOTDIAG_DEBUG=1, test/helpers/e2e.ts), its archive checked too; the last test here
 * proves that mode is really on, and that a user without --debug sees none of it.
 */
import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {DEV_ACCOUNT_KEY} from '../helpers/azurite.js'
import {type CliResult, expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('e2e: secrets never appear, even with --debug', function () {
  this.timeout(180_000)
  const suite = e2eSuite({
    fakeAzure: true,
    async setup(fake) {
      await fake.addVm({name: 'web-01', resourceGroup: 'rg'})
      await fake.addVm({name: 'db-01', resourceGroup: 'rg', storage: 'custom'})
    },
  })

  it('vm list, fetch (managed and custom), analyze -n and a failed sign-in leak nothing', async () => {
    // Given every secret the runs handle: the client secret, tokens the fake issues, SAS signatures, the storage key
    const archive = suite.archive
    const runs: CliResult[] = []

    // When each command runs with --debug
    for (const args of [
      ['vm', 'list', '--debug'],
      ['fetch', '-n', 'web-01', '-g', 'rg', '--debug', '-o', 'json'],
      ['fetch', '-n', 'db-01', '-g', 'rg', '--debug', '-o', 'table'],
      ['analyze', '-n', 'web-01', '-g', 'rg', '--debug', '-o', 'json'],
    ]) {
      runs.push(await suite.run(args))
    }

    runs.push(await suite.run(['vm', 'list', '--debug'], {AZURE_CLIENT_SECRET: 'wrong-secret-but-still-a-secret'}))

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
      expect(text).not.to.include(suite.fake.clientSecret)
      expect(text).not.to.include('wrong-secret-but-still-a-secret')
      expect(text).not.to.include(DEV_ACCOUNT_KEY)
      expect(text).not.to.match(/Bearer (?!<redacted>|REDACTED)[A-Za-z0-9._-]{8,}/)
    }
  })

  it('every run of the suite has the debug log on, and users never see it unasked: no stack, one line per failure', async () => {
    // Given a run of the suite (--debug on): the log is on stderr as written, and out of what the test sees
    const debugged = await suite.run(['vm', 'list', '-o', 'json'])
    expect(debugged.exitCode, debugged.stderr).to.equal(0)
    expect(debugged.stderr).to.equal('')
    expect(debugged.rawStderr).to.match(/^\[debug\] .*Request: /m)

    // When a user runs it without --debug, Then stderr is empty
    const quiet = await suite.run(['vm', 'list', '-o', 'json'], {}, {debug: false})
    expect(quiet.exitCode, quiet.stderr).to.equal(0)
    expect(quiet.rawStderr).to.equal('')

    // And an Azure failure is one line with no stack (the stack and the log are --debug's alone)
    const failed = await suite.run(['vm', 'list', '-g', 'rg-nope'], {}, {debug: false})
    expectOneLineError(failed, 1, /^Error: Resource group 'rg-nope' was not found in subscription [0-9a-f-]+\./)
    expect(failed.rawStderr).to.equal(failed.stderr)
    const failedWithDebug = await suite.run(['vm', 'list', '-g', 'rg-nope'])
    expect(failedWithDebug.stderr).to.equal(failed.stderr)
    expect(failedWithDebug.rawStderr).to.match(/^\[debug\] .*Request: /m)
    expect(failedWithDebug.rawStderr).to.match(/\n\s+at /)
  })
})
