/**
 * The VM picker in a real terminal: tmux runs the built CLI (`bootdiag fetch` with no VM) against the
 * fake Azure; the test types into the search list and presses Enter, as a person would.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {expect} from 'chai'

import {e2eSuite} from '../helpers/e2e.js'

describe('e2e: the VM picker in a real terminal (tmux)', function () {
  this.timeout(120_000)
  // (no --debug: its lines would land on the terminal the test reads)
  const suite = e2eSuite({
    debug: false,
    fakeAzure: true,
    async setup(fake) {
      await fake.addVm({name: 'web-01', resourceGroup: 'rg-web'})
      await fake.addVm({name: 'web-02', powerState: 'stopped', resourceGroup: 'rg-web'})
      await fake.addVm({name: 'db-01', resourceGroup: 'rg-data'})
      await fake.addVm({name: 'legacy-01', resourceGroup: 'rg-data', storage: 'disabled'})
    },
    terminal: 'picker',
  })

  it('type to filter, Enter to pick: the picked VM is snapshotted', async () => {
    // Given bootdiag fetch with no VM, in a terminal, not in CI
    const terminal = suite.terminal
    const session = 'pick'
    await suite.inTerminal(session, ['fetch', '-o', 'table'], {size: {columns: 140, rows: 30}})

    // When the list appears, the user types "web-02" and presses Enter
    const list = await terminal.waitForScreen(
      session,
      (s) => s.includes('Pick a VM') && s.includes('db-01'),
      'the picker',
    )
    expect(list).to.include('3 with boot diagnostics')
    expect(list).not.to.include('legacy-01')
    terminal.type(session, 'web-02')
    const filtered = await terminal.waitForScreen(
      session,
      (s) => s.includes('web-02') && !s.includes('db-01'),
      'the filtered list',
    )
    expect(filtered).to.match(/web-02\s+rg-web\s+stopped/i)
    terminal.press(session, 'Enter')

    // Then the CLI exits 0 and the snapshot of web-02 exists
    const exit = await terminal.exitCode(session)
    const screen = terminal.screen(session)
    expect(exit, screen).to.equal('EXIT=0')
    expect(screen).to.match(/Snapshot of web-02 in rg-web/i)
    expect(await readdir(join(suite.archive, suite.fake.subscriptionId, 'rg-web', 'web-02'))).to.have.length(1)
  })
})
