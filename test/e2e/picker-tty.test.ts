/**
 * The VM picker in a real terminal: tmux runs the built CLI (`bootdiag fetch` with no VM) against the
 * fake Azure; the test types into the search list and presses Enter, as a person would.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {type FakeAzure, startFakeAzure} from '../fake-azure/index.js'
import {repoRoot} from '../helpers/cli.js'

const SOCKET = `bootdiag-test-${process.pid}`
const hasTmux = spawnSync('tmux', ['-V']).status === 0

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

/** Wait (polling the real terminal) until the screen satisfies `done`, or fail with what it shows. */
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

describe('e2e: the VM picker in a real terminal (tmux)', function () {
  this.timeout(120_000)
  let fake: FakeAzure
  let scratch: string

  before(async function () {
    if (!hasTmux) {
      console.log('    (skipped: tmux is not installed; .ci/run installs it)')
      this.skip()
    }

    fake = await startFakeAzure()
    await fake.addVm({name: 'web-01', resourceGroup: 'rg-web'})
    await fake.addVm({name: 'web-02', powerState: 'stopped', resourceGroup: 'rg-web'})
    await fake.addVm({name: 'db-01', resourceGroup: 'rg-data'})
    await fake.addVm({name: 'legacy-01', resourceGroup: 'rg-data', storage: 'disabled'})
  })

  after(async () => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
    await fake?.stop()
  })

  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'bootdiag-tty-'))
  })

  afterEach(() => rm(scratch, {force: true, recursive: true}))

  it('type to filter, Enter to pick: the picked VM is snapshotted', async () => {
    // Given bootdiag fetch with no VM, in a terminal, not in CI
    const archive = join(scratch, 'archive')
    const env = {...fake.env(), AZURE_CONFIG_DIR: join(scratch, 'az'), BOOTDIAG_ARCHIVE: archive, NODE_OPTIONS: '--disable-warning=UNDICI-EHPA', TERM: 'xterm-256color'}
    const script = [
      'unset CI',
      ...Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`),
      `cd ${shellQuote(repoRoot)}`,
      `${shellQuote(process.execPath)} bin/run.js fetch -o table`,
      `echo "EXIT=$?" > ${shellQuote(join(scratch, 'exit'))}`,
      'sleep 30',
    ].join('\n')
    await writeFile(join(scratch, 'run.sh'), script)
    const session = 'pick'
    tmux('new-session', '-d', '-s', session, '-x', '140', '-y', '30', `bash ${join(scratch, 'run.sh')}`)

    // When the list appears, the user types "web-02" and presses Enter
    const list = await waitForScreen(session, (s) => s.includes('Pick a VM') && s.includes('db-01'), 'the picker')
    expect(list).to.include('3 with boot diagnostics')
    expect(list).not.to.include('legacy-01')
    tmux('send-keys', '-t', session, '-l', 'web-02')
    const filtered = await waitForScreen(session, (s) => s.includes('web-02') && !s.includes('db-01'), 'the filtered list')
    expect(filtered).to.match(/web-02\s+rg-web\s+stopped/i)
    tmux('send-keys', '-t', session, 'Enter')

    // Then the CLI exits 0 and the snapshot of web-02 exists
    await waitForScreen(session, () => existsSync(join(scratch, 'exit')), 'the CLI to exit')
    const screen = tmux('capture-pane', '-p', '-t', session)
    expect((await readFile(join(scratch, 'exit'), 'utf8')).trim(), screen).to.equal('EXIT=0')
    expect(screen).to.match(/Snapshot of web-02 in rg-web/i)
    expect(await readdir(join(archive, fake.subscriptionId, 'rg-web', 'web-02'))).to.have.length(1)
  })
})
