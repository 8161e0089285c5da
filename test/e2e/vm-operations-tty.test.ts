/**
 * The guarded operations in a real terminal: tmux runs the built CLI against the fake Azure; the test
 * answers the confirmation as a person would. "No" does nothing; "yes" restarts and, with --watch,
 * follows the new boot to its verdict.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeAzure, startFakeAzure} from '../fake-azure/index.js'
import {repoRoot} from '../helpers/cli.js'

const SOCKET = `bootdiag-ops-test-${process.pid}`
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const RG = 'rg-tty'

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

/** Wait (reading the real terminal's screen) until it satisfies `done`, or fail with what it shows. */
async function waitForScreen(session: string, done: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let screen = ''
  while (Date.now() < deadline) {
    screen = tmux('capture-pane', '-p', '-t', session)
    if (done(screen)) return screen
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  throw new Error(`timed out waiting for ${what}; the screen shows:\n${screen}`)
}

const shellQuote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`

describe('e2e: vm restart in a real terminal (tmux): the confirmation', function () {
  this.timeout(120_000)
  let fake: FakeAzure
  let scratch: string

  before(async function () {
    if (!hasTmux) {
      console.log('    (skipped: tmux is not installed; .ci/run installs it)')
      this.skip()
    }

    fake = await startFakeAzure()
  })

  after(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
    await fake?.stop()
  })

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-ops-tty-'))
  })

  afterEach(() => rm(scratch, {force: true, recursive: true}))

  /** Start `bootdiag <args>` in a fresh tmux session; its exit code lands in <scratch>/exit. */
  async function inTerminal(session: string, args: string[]): Promise<void> {
    const env = {
      ...fake.env(),
      AZURE_CONFIG_DIR: join(scratch, 'az'),
      BOOTDIAG_ARCHIVE: join(scratch, 'archive'),
      BOOTDIAG_POLL_INTERVAL_MS: '10',
      NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
      TERM: 'xterm-256color',
    }
    const script = [
      'unset CI',
      ...Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
      `cd ${shellQuote(repoRoot)}`,
      `${shellQuote(process.execPath)} bin/run.js ${args.map((arg) => shellQuote(arg)).join(' ')}`,
      `echo "EXIT=$?" > ${shellQuote(join(scratch, 'exit'))}`,
      'sleep 30',
    ].join('\n')
    await writeFile(join(scratch, `${session}.sh`), script)
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', `bash ${join(scratch, `${session}.sh`)}`)
  }

  async function exitCode(session: string): Promise<string> {
    await waitForScreen(session, () => existsSync(join(scratch, 'exit')), 'the CLI to exit')
    return (await readFile(join(scratch, 'exit'), 'utf8')).trim()
  }

  it('answering no: nothing is done, not even the snapshot', async () => {
    const vm = await fake.addVm({name: 'tty-no', resourceGroup: RG})
    await inTerminal('no', ['vm', 'restart', '-n', 'tty-no', '-g', RG])
    const question = await waitForScreen('no', (screen) => screen.includes('Restart tty-no'), 'the question')
    expect(question).to.include('Restart tty-no (rg-tty)? This reboots the VM in place. A snapshot of the serial log is taken first.')
    tmux('send-keys', '-t', 'no', 'n', 'Enter')
    expect(await exitCode('no')).to.equal('EXIT=1')
    expect(tmux('capture-pane', '-p', '-t', 'no')).to.include('Error: Nothing was done: the restart was not confirmed.')
    expect(fake.state.vm(vm).bootCount).to.equal(1)
    expect(existsSync(join(scratch, 'archive'))).to.equal(false)
  })

  it('answering yes with --watch: snapshot, restart, the new boot followed to its verdict', async () => {
    const vm = await fake.addVm({name: 'tty-yes', resourceGroup: RG})
    await inTerminal('yes', ['vm', 'restart', '-n', 'tty-yes', '-g', RG, '--watch', '--interval', '100ms'])
    await waitForScreen('yes', (screen) => screen.includes('Restart tty-yes'), 'the question')
    tmux('send-keys', '-t', 'yes', 'y', 'Enter')
    expect(await exitCode('yes')).to.equal('EXIT=0')
    const screen = tmux('capture-pane', '-p', '-J', '-t', 'yes', '-S', '-100')
    expect(screen).to.match(/Snapshot of tty-yes before the restart: \//)
    expect(screen).to.match(/tty-yes \(rg-tty\): restarted/)
    expect(screen).to.match(/Verdict: boot reached login-prompt in /)
    expect(fake.state.vm(vm).bootCount).to.equal(2)
    expect(await readdir(join(scratch, 'archive', fake.subscriptionId, RG, 'tty-yes'))).to.have.length(2)
  })
})
