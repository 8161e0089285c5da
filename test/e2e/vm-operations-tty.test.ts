/**
 * The guarded operations in a real terminal: tmux runs the built CLI against the fake Azure; the test
 * answers the confirmation as a person would. "No" does nothing; "yes" restarts and, with --watch,
 * follows the new boot to its verdict.
 */
import {existsSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {e2eSuite} from '../helpers/e2e.js'

const RG = 'rg-tty'

describe('e2e: vm restart in a real terminal (tmux): the confirmation', function () {
  this.timeout(120_000)
  // (no --debug: its lines would land on the terminal the test reads)
  const suite = e2eSuite({
    debug: false,
    env: {BOOTDIAG_POLL_INTERVAL_MS: '10'},
    fakeAzure: true,
    terminal: 'ops',
  })

  it('answering no: nothing is done, not even the snapshot', async () => {
    const terminal = suite.terminal
    const vm = await suite.fake.addVm({name: 'tty-no', resourceGroup: RG})
    await suite.inTerminal('no', ['vm', 'restart', '-n', 'tty-no', '-g', RG])
    const question = await terminal.waitForScreen('no', (screen) => screen.includes('Restart tty-no'), 'the question')
    expect(question).to.include(
      'Restart tty-no (rg-tty)? This reboots the VM in place. A snapshot of the serial log is taken first.',
    )
    terminal.press('no', 'n', 'Enter')
    expect(await terminal.exitCode('no')).to.equal('EXIT=1')
    expect(terminal.screen('no')).to.include('Error: Nothing was done: the restart was not confirmed.')
    expect(suite.fake.state.vm(vm).bootCount).to.equal(1)
    expect(existsSync(suite.archive)).to.equal(false)
  })

  it('answering yes with --watch: snapshot, restart, the new boot followed to its verdict', async () => {
    const terminal = suite.terminal
    const vm = await suite.fake.addVm({name: 'tty-yes', resourceGroup: RG})
    await suite.inTerminal('yes', ['vm', 'restart', '-n', 'tty-yes', '-g', RG, '--watch', '--interval', '100ms'])
    await terminal.waitForScreen('yes', (screen) => screen.includes('Restart tty-yes'), 'the question')
    terminal.press('yes', 'y', 'Enter')
    expect(await terminal.exitCode('yes')).to.equal('EXIT=0')
    const screen = terminal.screen('yes', {history: 100})
    expect(screen).to.match(/Snapshot of tty-yes before the restart: \//)
    expect(screen).to.match(/tty-yes \(rg-tty\): restarted/)
    expect(screen).to.match(/Verdict: boot reached login-prompt in /)
    expect(suite.fake.state.vm(vm).bootCount).to.equal(2)
    expect(await readdir(join(suite.archive, suite.fake.subscriptionId, RG, 'tty-yes'))).to.have.length(2)
  })
})
