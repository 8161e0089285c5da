/**
 * End to end: the guarded VM operations of the built CLI against the loopback fake of Azure, where a
 * restart appends the next boot to the same serial log, a redeploy replaces the log with a fresh one,
 * and every power action is a long-running operation (202 + Azure-AsyncOperation/Location polling).
 * The snapshot taken first must hold the log as it was before the operation destroyed it.
 */
import {readFile, readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {sampleBootLog} from '../fake-azure/index.js'
import {expectOneLineError} from '../helpers/cli.js'
import {e2eSuite} from '../helpers/e2e.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

const RG = 'rg-ops'

describe('e2e: vm restart|redeploy|stop|deallocate|start against the fake Azure', function () {
  this.timeout(180_000)
  const suite = e2eSuite({
    // the fake answers Retry-After: 0; without this the SDK waits 2 s between polls
    env: {BOOTDIAG_POLL_INTERVAL_MS: '10'},
    fakeAzure: true,
  })

  beforeEach(() => {
    suite.fake.requests.reset()
  })

  function snapshotsOf(vm: string): Promise<string[]> {
    return readdir(join(suite.archive, suite.fake.subscriptionId, RG, vm)).catch(() => [])
  }

  it('vm redeploy --yes: the snapshot taken first holds the OLD log byte-exact, while Azure replaced it', async () => {
    // Given a VM whose serial log holds a boot that went wrong, never to be seen again after a redeploy
    const oldLog = Buffer.concat([
      Buffer.from(sampleBootLog({hostname: 'web-01'}).split('Welcome to')[0]),
      Buffer.from('[    3.100000] EXT4-fs error (device sda1): bad block \xff\r\n', 'latin1'),
    ])
    const vm = await suite.fake.addVm({name: 'web-01', resourceGroup: RG, serialLog: oldLog})

    // When it is redeployed without a terminal, with --yes
    const run = await suite.run(['vm', 'redeploy', '-n', 'web-01', '-g', RG, '--yes'])

    // Then it succeeded, after a snapshot whose path and verdict were said before the redeploy started
    expect(run.exitCode, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout)
    assertMatchesSchema('vm-operation', result)
    expect(result).to.deep.include({error: null, operation: 'redeploy', status: 'succeeded', watch: null})
    const snapshot: string = result.preSnapshot.path
    expect(run.stderr.indexOf(snapshot), run.stderr).to.be.greaterThan(-1)
    expect(run.stderr.indexOf(snapshot)).to.be.lessThan(run.stderr.indexOf('Redeploying web-01'))
    expect(run.stderr).to.match(/Verdict: boot stuck in /)
    // the snapshot holds the old log, byte for byte, with reason pre-redeploy
    expect((await readFile(join(snapshot, 'serial.log'))).equals(oldLog)).to.equal(true)
    const manifest = JSON.parse(await readFile(join(snapshot, 'snapshot.json'), 'utf8'))
    expect(manifest.reason).to.equal('pre-redeploy')
    // and Azure's log is a fresh one now: the old one survives only in the snapshot
    const now = suite.fake.state.vm(vm).serialLog!
    expect(now.includes(oldLog)).to.equal(false)
    expect(now.toString('utf8')).to.include('bootdiag.boot=2')
    // through the long-running operation: one POST, then polls of the operation
    expect(suite.fake.requests.count({route: 'virtualMachines.redeploy'})).to.equal(1)
    expect(suite.fake.requests.count({route: 'operations.get'})).to.be.at.least(1)
    expect(run.stdout + run.stderr).not.to.match(/sig=|se=20/)
  })

  it('without a terminal and without --yes: a usage error naming --yes, and nothing happens', async () => {
    await suite.fake.addVm({name: 'ask-01', resourceGroup: RG})
    const run = await suite.run(['vm', 'restart', '-n', 'ask-01', '-g', RG])
    expectOneLineError(
      run,
      2,
      /^Error: 'restart' interrupts the VM and asks for confirmation first, but no terminal is attached: pass --yes to restart without asking\.$/,
    )
    expect(suite.fake.requests.count({route: 'virtualMachines.restart'})).to.equal(0)
    expect(await snapshotsOf('ask-01')).to.deep.equal([])
    // start interrupts nothing: no confirmation needed
    const start = await suite.run(['vm', 'start', '-n', 'ask-01', '-g', RG])
    expect(start.exitCode, start.stderr).to.equal(0)
  })

  it('vm restart --watch: follows the new boot appended to the same log, snapshots it after, exit 0', async () => {
    // Given a running VM; a restart appends its shutdown and the next boot
    const vm = await suite.fake.addVm({name: 'app-01', resourceGroup: RG})
    const before = Buffer.from(suite.fake.state.vm(vm).serialLog!)

    // When it is restarted and watched to the login prompt
    const run = await suite.run([
      'vm',
      'restart',
      '-n',
      'app-01',
      '-g',
      RG,
      '--yes',
      '--watch',
      '--interval',
      '100ms',
      '--timeout',
      '1m',
    ])

    // Then the watch saw the new boot (not the old one) reach the login prompt
    expect(run.exitCode, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout)
    assertMatchesSchema('vm-operation', result)
    expect(result.watch).to.deep.include({exitCode: 0, result: 'reached', until: 'login-prompt'})
    expect(result.watch.summary).to.match(/^boot reached login-prompt in /)
    const oldLines = before.toString('utf8').split('\n').length - 1
    expect(result.watch.verdict.startLine).to.be.greaterThan(oldLines)
    // the snapshot before holds the old log; the one after holds both boots
    expect((await readFile(join(result.preSnapshot.path, 'serial.log'))).equals(before)).to.equal(true)
    const after = await readFile(join(result.postSnapshot.path, 'serial.log'))
    expect(after.subarray(0, before.length).equals(before)).to.equal(true)
    expect(after.toString('utf8')).to.include('bootdiag.boot=2')
    expect(JSON.parse(await readFile(join(result.postSnapshot.path, 'snapshot.json'), 'utf8')).reason).to.equal(
      'post-restart',
    )
    expect(run.stderr).to.match(/→ login-prompt \(line \d+\)/)
  })

  it("vm restart --watch: a next boot that falls into emergency mode exits 3 with the analyser's summary", async () => {
    const emergency = [
      sampleBootLog({hostname: 'db-07'}).split('[\u001B[0;32m  OK  \u001B[0m] Reached target \u001B[0;1;39mNetwork')[0],
      '[FAILED] Failed to mount \u001B[0;1;39mdata.mount\u001B[0m - /data.\r\n',
      '[DEPEND] Dependency failed for \u001B[0;1;39mlocal-fs.target\u001B[0m - Local File Systems.\r\n',
      'You are in emergency mode. After logging in, type "journalctl -xb" to view\r\n',
      'Give root password for maintenance\r\n(or press Control-D to continue): ',
    ].join('')
    await suite.fake.addVm({name: 'db-07', nextBootLog: emergency, resourceGroup: RG})
    const run = await suite.run([
      'vm',
      'restart',
      '-n',
      'db-07',
      '-g',
      RG,
      '--yes',
      '--watch',
      '--interval',
      '100ms',
      '-o',
      'table',
    ])
    expect(run.exitCode, run.stderr).to.equal(3)
    expect(run.stdout).to.match(/^db-07 \(rg-ops\): restarted\n/)
    expect(run.stdout).to.match(/Verdict: boot stopped in emergency-mode: .+ \(line \d+\)/)
    expect(run.stdout).to.match(/after: {2}\//)
  })

  it('vm deallocate, then vm start --watch: the start replaces the log; the watch notices and follows the fresh boot', async () => {
    // Given a VM that is deallocated (its log ends with the shutdown; the next start is on a new host)
    const vm = await suite.fake.addVm({name: 'cold-01', resourceGroup: RG})
    const deallocated = await suite.run(['vm', 'deallocate', '-n', 'cold-01', '-g', RG, '--yes'])
    expect(deallocated.exitCode, deallocated.stderr).to.equal(0)
    expect(suite.fake.state.vm(vm).powerState).to.equal('deallocated')
    const beforeStart = Buffer.from(suite.fake.state.vm(vm).serialLog!)

    // When it is started and watched
    const run = await suite.run([
      'vm',
      'start',
      '-n',
      'cold-01',
      '-g',
      RG,
      '--watch',
      '--interval',
      '100ms',
      '--timeout',
      '1m',
    ])

    // Then the watch said the log was replaced, followed the new one from line 1, and the boot came up
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(run.stderr).to.match(/The serial log was replaced \(/)
    const result = JSON.parse(run.stdout)
    assertMatchesSchema('vm-operation', result)
    expect(result.watch).to.deep.include({result: 'reached'})
    expect(result.watch.verdict.startLine).to.equal(1)
    expect((await readFile(join(result.preSnapshot.path, 'serial.log'))).equals(beforeStart)).to.equal(true)
    expect((await readFile(join(result.postSnapshot.path, 'serial.log'))).includes(beforeStart)).to.equal(false)
  })

  it("a scale-set instance (--vmss/--instance-id) goes through its scale set's API", async () => {
    const {instances} = await suite.fake.addScaleSet({capacity: 2, name: 'ops-ss', resourceGroup: RG})
    const run = await suite.run(['vm', 'restart', '--vmss', 'ops-ss', '--instance-id', '1', '-g', RG, '--yes'])
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(JSON.parse(run.stdout)).to.deep.include({status: 'succeeded'})
    expect(JSON.parse(run.stdout).vm).to.deep.include({instanceId: '1', vmss: 'ops-ss'})
    expect(suite.fake.requests.count({route: 'virtualMachineScaleSetVMs.restart'})).to.equal(1)
    expect(suite.fake.state.vm(instances[1]).bootCount).to.equal(2)
    expect(suite.fake.state.vm(instances[0]).bootCount).to.equal(1)
  })

  it('boot diagnostics disabled: the operation does not run (exit 1, says why); --force runs it with a warning', async () => {
    const vm = await suite.fake.addVm({name: 'nodiag-01', resourceGroup: RG, storage: 'disabled'})
    const refused = await suite.run(['vm', 'deallocate', '-n', 'nodiag-01', '-g', RG, '--yes'])
    expectOneLineError(
      refused,
      1,
      /^Error: Did not deallocate VM 'nodiag-01': no snapshot could be taken first \(Boot diagnostics is disabled on VM 'nodiag-01'.*\)\. Fix that and run again, or pass --force to deallocate without one \(the serial log may be lost\), or --skip-snapshot\.$/,
    )
    expect(suite.fake.requests.count({route: 'virtualMachines.deallocate'})).to.equal(0)
    expect(suite.fake.state.vm(vm).powerState).to.equal('running')

    const forced = await suite.run(['vm', 'deallocate', '-n', 'nodiag-01', '-g', RG, '--yes', '--force'])
    expect(forced.exitCode, forced.stderr).to.equal(0)
    expect(forced.stderr).to.match(
      /^Warning: No snapshot of VM 'nodiag-01' could be taken .*going on with the deallocate because of --force/m,
    )
    expect(JSON.parse(forced.stdout)).to.deep.include({preSnapshot: null, status: 'succeeded'})
    expect(suite.fake.state.vm(vm).powerState).to.equal('deallocated')
  })

  it('a VM whose log does not exist yet still gets its snapshot (files reported missing), and --skip-snapshot takes none', async () => {
    await suite.fake.addVm({name: 'fresh-02', resourceGroup: RG, screenshot: null, serialLog: null})
    const run = await suite.run(['vm', 'stop', '-n', 'fresh-02', '-g', RG, '--yes'])
    expect(run.exitCode, run.stderr).to.equal(0)
    const result = JSON.parse(run.stdout)
    assertMatchesSchema('vm-operation', result)
    expect(result.preSnapshot.missing.map((missing: {file: string}) => missing.file)).to.include('serial.log')
    expect(run.stderr).to.match(/serial\.log: missing, not written yet/)

    const skipped = await suite.run(['vm', 'start', '-n', 'fresh-02', '-g', RG, '--skip-snapshot'])
    expect(skipped.exitCode, skipped.stderr).to.equal(0)
    expect(JSON.parse(skipped.stdout).preSnapshot).to.equal(null)
    expect(await snapshotsOf('fresh-02')).to.have.length(1)
  })

  it('vm stop --skip-shutdown powers off without a shutdown in the log; --no-wait returns once Azure accepted', async () => {
    const vm = await suite.fake.addVm({name: 'hung-01', resourceGroup: RG})
    const before = Buffer.from(suite.fake.state.vm(vm).serialLog!)
    const run = await suite.run(['vm', 'stop', '-n', 'hung-01', '-g', RG, '--yes', '--skip-shutdown'])
    expect(run.exitCode, run.stderr).to.equal(0)
    expect(suite.fake.state.vm(vm).powerState).to.equal('stopped')
    expect(suite.fake.state.vm(vm).serialLog!.equals(before)).to.equal(true)

    suite.fake.requests.reset()
    const accepted = await suite.run(['vm', 'start', '-n', 'hung-01', '-g', RG, '--no-wait', '--skip-snapshot'])
    expect(accepted.exitCode, accepted.stderr).to.equal(0)
    expect(JSON.parse(accepted.stdout).status).to.equal('accepted')
    expect(suite.fake.requests.count({route: 'operations.get'})).to.equal(0)
    expect(accepted.stderr).to.match(/Azure accepted the start of hung-01; it goes on in Azure/)
  })

  it('an operation that fails in Azure: one line, exit 1, after the snapshot was kept and said', async () => {
    const vm = await suite.fake.addVm({name: 'fail-01', resourceGroup: RG})
    suite.fake.failNextOperation(vm, {code: 'VMRestartFailed', message: 'The VM could not be restarted.'})
    const run = await suite.run(['vm', 'restart', '-n', 'fail-01', '-g', RG, '--yes'])
    expect(run.exitCode, run.stderr).to.equal(1)
    expect(run.stdout).to.equal('')
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines.at(-1)).to.match(
      /^Error: The restart of VM 'fail-01' failed in Azure: .*The VM could not be restarted/,
    )
    expect(run.stderr).to.match(/^Snapshot of fail-01 before the restart: \//m)
    expect(await snapshotsOf('fail-01')).to.have.length(1)
  })

  it('several --ids run concurrently: each reported, exit 1 when one of them failed', async () => {
    const ok1 = await suite.fake.addVm({name: 'fleet-1', resourceGroup: RG})
    const ok2 = await suite.fake.addVm({name: 'fleet-2', resourceGroup: RG})
    await suite.fake.addVm({name: 'fleet-3', resourceGroup: RG, storage: 'disabled'})
    const id = (name: string) =>
      `/subscriptions/${suite.fake.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${name}`
    const run = await suite.run(['vm', 'restart', '--ids', id('fleet-1'), id('fleet-2'), id('fleet-3'), '--yes'])
    expect(run.exitCode, run.stderr).to.equal(1)
    const results = JSON.parse(run.stdout) as Array<{vm: {name: string}; status: string; error: {code: string} | null}>
    assertMatchesSchema('vm-operation', results)
    expect(results.map((result) => [result.vm.name, result.status, result.error?.code ?? null])).to.deep.equal([
      ['fleet-1', 'succeeded', null],
      ['fleet-2', 'succeeded', null],
      ['fleet-3', 'not-run', 'SnapshotFailed'],
    ])
    expect(run.stderr).to.match(/^Warning: fleet-3: Did not restart VM 'fleet-3'/m)
    expect(suite.fake.state.vm(ok1).bootCount).to.equal(2)
    expect(suite.fake.state.vm(ok2).bootCount).to.equal(2)
  })

  it('usage: --watch on stop, --watch with --no-wait, --force with --skip-snapshot, a bad BOOTDIAG_POLL_INTERVAL_MS', async () => {
    await suite.fake.addVm({name: 'use-01', resourceGroup: RG})
    expectOneLineError(
      await suite.run(['vm', 'stop', '-n', 'use-01', '-g', RG, '--yes', '--watch']),
      2,
      /^Error: Nonexistent flag: --watch/,
    )
    expectOneLineError(
      await suite.run(['vm', 'restart', '-n', 'use-01', '-g', RG, '--yes', '--watch', '--no-wait']),
      2,
      /^Error: --watch and --no-wait exclude each other/,
    )
    expectOneLineError(
      await suite.run(['vm', 'restart', '-n', 'use-01', '-g', RG, '--yes', '--force', '--skip-snapshot']),
      2,
      /^Error: --force and --skip-snapshot exclude each other/,
    )
    expectOneLineError(
      await suite.run(['vm', 'restart', '-n', 'use-01', '-g', RG, '--yes', '--watch', '--timeout', 'soon']),
      2,
      /^Error: --timeout 'soon' is not a duration/,
    )
    expectOneLineError(
      await suite.run(['vm', 'restart', '-n', 'use-01', '-g', RG, '--yes'], {BOOTDIAG_POLL_INTERVAL_MS: 'fast'}),
      2,
      /^Error: BOOTDIAG_POLL_INTERVAL_MS must be a whole number/,
    )
    expect(suite.fake.requests.count({route: 'virtualMachines.restart'})).to.equal(0)
  })

  it('Ctrl-C while waiting for Azure: says the operation goes on in Azure, exit 130', async () => {
    // Given an operation that stays InProgress for a long time
    const vm = await suite.fake.addVm({name: 'slow-01', resourceGroup: RG})
    const polls = suite.fake.state.settings.lroPolls
    suite.fake.state.settings.lroPolls = 100_000
    try {
      const running = suite.start(['vm', 'restart', '-n', 'slow-01', '-g', RG, '--yes'], {
        BOOTDIAG_POLL_INTERVAL_MS: '50',
      })
      // When the user presses Ctrl-C once the operation is being polled
      await new Promise<void>((resolve) => {
        running.child.stderr!.on('data', () => {
          if (running.output().stderr.includes('Restarting slow-01')) resolve()
        })
      })
      await until(() => suite.fake.requests.count({route: 'operations.get'}) > 0)
      running.child.kill('SIGINT')

      // Then it stops waiting, says the restart goes on in Azure, and exits 130
      const {exitCode, stderr} = await running.done
      expect(exitCode).to.equal(130)
      expect(stderr).to.match(/Stopped waiting for the restart of slow-01; it goes on in Azure\./)
      expect(stderr.trimEnd().split('\n').at(-1)).to.match(/^Error: Interrupted by SIGINT/)
      expect(suite.fake.state.vm(vm).powerState).to.equal('starting')
    } finally {
      suite.fake.state.settings.lroPolls = polls
    }
  })
})

/** Resolve once `condition` holds, checking on each turn of the event loop (no fixed sleeps). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}
