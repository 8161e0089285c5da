/**
 * The guarded operations in a real terminal: tmux runs the built CLI against the fake Azure; the test
 * answers the confirmation as a person would. "No" does nothing; "yes" restarts and, with --watch,
 * follows the new boot to its verdict.
 */
import {existsSync} from 'node:fs'
import {mkdtemp, readdir, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeAzure, startFakeAzure} from '../fake-azure/index.js'
import {TmuxTerminal, hasTmux} from '../helpers/tmux.js'

const RG = 'rg-tty'

describe('e2e: vm restart in a real terminal (tmux): the confirmation', function () {
  this.timeout(120_000)
  let fake: FakeAzure
  let scratch: string
  let terminal: TmuxTerminal

  before(async function () {
    if (!hasTmux) {
      console.log('    (skipped: tmux is not installed; .ci/run installs it)')
      this.skip()
    }

    fake = await startFakeAzure()
  })

  after(async () => {
    await fake?.stop()
  })

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-ops-tty-'))
    terminal = new TmuxTerminal('ops', scratch)
  })

  afterEach(async () => {
    terminal.close()
    await rm(scratch, {force: true, recursive: true})
  })

  /** Start `bootdiag <args>` in a fresh tmux session, with the fake's environment. */
  function inTerminal(session: string, args: string[]): Promise<void> {
    return terminal.startBootdiag(session, args, {
      ...fake.env(),
      AZURE_CONFIG_DIR: join(scratch, 'az'),
      BOOTDIAG_ARCHIVE: join(scratch, 'archive'),
      BOOTDIAG_POLL_INTERVAL_MS: '10',
      NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
    })
  }

  it('answering no: nothing is done, not even the snapshot', async () => {
    const vm = await fake.addVm({name: 'tty-no', resourceGroup: RG})
    await inTerminal('no', ['vm', 'restart', '-n', 'tty-no', '-g', RG])
    const question = await terminal.waitForScreen('no', (screen) => screen.includes('Restart tty-no'), 'the question')
    expect(question).to.include(
      'Restart tty-no (rg-tty)? This reboots the VM in place. A snapshot of the serial log is taken first.',
    )
    terminal.press('no', 'n', 'Enter')
    expect(await terminal.exitCode('no')).to.equal('EXIT=1')
    expect(terminal.screen('no')).to.include('Error: Nothing was done: the restart was not confirmed.')
    expect(fake.state.vm(vm).bootCount).to.equal(1)
    expect(existsSync(join(scratch, 'archive'))).to.equal(false)
  })

  it('answering yes with --watch: snapshot, restart, the new boot followed to its verdict', async () => {
    const vm = await fake.addVm({name: 'tty-yes', resourceGroup: RG})
    await inTerminal('yes', ['vm', 'restart', '-n', 'tty-yes', '-g', RG, '--watch', '--interval', '100ms'])
    await terminal.waitForScreen('yes', (screen) => screen.includes('Restart tty-yes'), 'the question')
    terminal.press('yes', 'y', 'Enter')
    expect(await terminal.exitCode('yes')).to.equal('EXIT=0')
    const screen = terminal.screen('yes', {history: 100})
    expect(screen).to.match(/Snapshot of tty-yes before the restart: \//)
    expect(screen).to.match(/tty-yes \(rg-tty\): restarted/)
    expect(screen).to.match(/Verdict: boot reached login-prompt in /)
    expect(fake.state.vm(vm).bootCount).to.equal(2)
    expect(await readdir(join(scratch, 'archive', fake.subscriptionId, RG, 'tty-yes'))).to.have.length(2)
  })
})
