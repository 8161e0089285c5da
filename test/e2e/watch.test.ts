/**
 * End to end: `bootdiag watch` of the built CLI against the loopback fake of Azure. The test grows the
 * VM's serial log in steps, each step when the watch has reported the previous one (its NDJSON events),
 * so nothing here waits for a fixed time.
 */
import {expect} from 'chai'

import {sampleBootLog} from '../fake-azure/index.js'
import {type E2eSuite, e2eSuite} from '../helpers/e2e.js'
import {assertMatchesSchema} from '../helpers/schemas.js'

const RG = 'rg-watch'
const BOOT = sampleBootLog({hostname: 'web-01'})
const PROMPT = 'web-01 login: '
/** The boot up to the line that holds `text` (cut at a line's start, as a console writes whole lines). */
const upTo = (text: string) => BOOT.slice(0, BOOT.lastIndexOf('\n', BOOT.indexOf(text)) + 1)
/** kernel and initramfs (more than the 1 KiB a read re-reads to check the log is the same one) */
const KERNEL_PART = upTo('Welcome to')
const SYSTEMD_PART = upTo('Reached target \u001B[0;1;39mNetwork').slice(KERNEL_PART.length)
const TO_PROMPT = BOOT.slice(KERNEL_PART.length + SYSTEMD_PART.length, BOOT.indexOf(PROMPT) + PROMPT.length)

type WatchEvent = Record<string, unknown> & {event: string}

/** A running `bootdiag watch --json`: its NDJSON events as they come, and a way to wait for one. */
class RunningWatch {
  readonly events: WatchEvent[] = []
  stderr = ''
  readonly exited: Promise<number | null>
  private buffer = ''
  private readonly waiters: Array<{match: (event: WatchEvent) => boolean; resolve: (event: WatchEvent) => void}> = []

  constructor(suite: E2eSuite, args: string[]) {
    // (through the shared runner: debug mode and the leak check apply)
    const running = suite.start(['watch', ...args, '--json'])
    running.child.stdout!.on('data', (chunk: Buffer) => this.take(chunk.toString('utf8')))
    this.exited = running.done.then(
      (result) => {
        this.stderr = result.stderr
        for (const waiter of this.waiters.splice(0)) waiter.resolve({event: 'exited'})
        return result.exitCode
      },
      (error: unknown) => {
        for (const waiter of this.waiters.splice(0)) waiter.resolve({event: 'exited'})
        throw error
      },
    )
  }

  /** The first event (already seen or still to come) that matches. */
  next(match: (event: WatchEvent) => boolean): Promise<WatchEvent> {
    const seen = this.events.find((event) => match(event))
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve) => this.waiters.push({match, resolve}))
  }

  private take(text: string): void {
    this.buffer += text
    const lines = this.buffer.split('\n')
    this.buffer = lines.pop() ?? ''
    for (const line of lines.filter(Boolean)) {
      const event = JSON.parse(line) as WatchEvent
      assertMatchesSchema('watch-event', event)
      this.events.push(event)
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          waiter.resolve(event)
        }
      }
    }
  }
}

describe('e2e: bootdiag watch against the fake Azure', function () {
  this.timeout(120_000)
  const suite = e2eSuite({fakeAzure: true})

  beforeEach(() => {
    suite.fake.requests.reset()
  })

  it('follows a log that grows in steps and stops at --until, exit 0', async () => {
    // Given a VM whose log so far holds only the kernel's first lines
    await suite.fake.addVm({name: 'grow-01', resourceGroup: RG, serialLog: KERNEL_PART})

    // When it is watched until the login prompt, and the log grows each time the watch has seen a step
    const watch = new RunningWatch(suite, [
      '-n',
      'grow-01',
      '-g',
      RG,
      '--until',
      'login-prompt',
      '--interval',
      '100ms',
      '--timeout',
      '1m',
    ])
    await watch.next((event) => event.event === 'stage' && event.stage === 'kernel')
    await suite.fake.appendLog({name: 'grow-01', resourceGroup: RG}, SYSTEMD_PART)
    await watch.next((event) => event.event === 'stage' && event.stage === 'systemd-services')
    await suite.fake.appendLog({name: 'grow-01', resourceGroup: RG}, TO_PROMPT)

    // Then it ends with exit 0 once the prompt shows, having printed every new line once, in order
    expect(await watch.exited, watch.stderr).to.equal(0)
    const done = watch.events.at(-1)!
    expect(done).to.deep.include({event: 'done', exitCode: 0, result: 'reached', until: 'login-prompt'})
    expect(done.summary).to.match(/^boot reached login-prompt in /)
    expect(watch.events.filter((event) => event.event === 'stage').map((event) => event.stage)).to.deep.equal([
      'kernel',
      'switch-root',
      'systemd-services',
      'login-prompt',
    ])
    const lines = watch.events.filter((event) => event.event === 'line')
    const kernelLines = KERNEL_PART.split('\n').length - 1
    expect(lines.map((event) => event.line)).to.deep.equal(
      Array.from({length: lines.length}, (_, index) => kernelLines + 1 + index),
    )
    expect(lines.at(-1)!.text).to.equal('web-01 login:')
    expect(lines.map((event) => event.text).join('\n')).to.include('Welcome to Ubuntu 24.04.1 LTS!')
    // Range reads from the last offset (less the 1 KiB that is compared): only the first starts at 0
    const starts = suite.fake.requests
      .all({route: 'blob.get', vm: 'grow-01'})
      .map((request) => Number(/^bytes=(\d+)-/.exec(request.range ?? '')?.[1]))
    expect(starts[0]).to.equal(0)
    expect(starts.slice(1)).to.have.length.at.least(2)
    expect(
      starts.slice(1).every((start) => start >= Buffer.byteLength(KERNEL_PART) - 1024 && start > 0),
      String(starts),
    ).to.equal(true)
    // one SAS for the whole watch (it is renewed only before it expires)
    expect(suite.fake.requests.count({route: 'virtualMachines.retrieveBootDiagnosticsData'})).to.equal(1)
  })

  it('a log replaced under the watch (redeploy): says so, reads the new one from the start', async () => {
    await suite.fake.addVm({name: 'move-01', resourceGroup: RG, serialLog: KERNEL_PART + SYSTEMD_PART})
    const watch = new RunningWatch(suite, ['-n', 'move-01', '-g', RG, '--interval', '100ms', '--timeout', '1m'])
    await watch.next((event) => event.event === 'stage' && event.stage === 'systemd-services')
    await suite.fake.replaceLog({name: 'move-01', resourceGroup: RG}, KERNEL_PART)
    await watch.next((event) => event.event === 'replaced')
    await suite.fake.appendLog({name: 'move-01', resourceGroup: RG}, SYSTEMD_PART + TO_PROMPT)
    expect(await watch.exited, watch.stderr).to.equal(0)
    const replaced = watch.events.find((event) => event.event === 'replaced')!
    expect(replaced).to.deep.include({previousBytes: Buffer.byteLength(KERNEL_PART + SYSTEMD_PART)})
    const afterReplace = watch.events.slice(watch.events.indexOf(replaced))
    expect(afterReplace.find((event) => event.event === 'session')).to.deep.include({startLine: 1})
    expect(afterReplace.find((event) => event.event === 'line')).to.deep.include({line: 1})
  })

  it('waits for a log that does not exist yet', async () => {
    await suite.fake.addVm({name: 'new-01', resourceGroup: RG, screenshot: null, serialLog: null})
    const watch = new RunningWatch(suite, ['-n', 'new-01', '-g', RG, '--interval', '100ms', '--timeout', '1m'])
    await watch.next((event) => event.event === 'waiting')
    await suite.fake.appendLog({name: 'new-01', resourceGroup: RG}, BOOT)
    expect(await watch.exited, watch.stderr).to.equal(0)
    expect(watch.events.find((event) => event.event === 'waiting')).to.deep.include({reason: 'no-log'})
  })

  it("a boot that panics: exit 3 with the analyser's verdict (terminal view: the verdict on stdout)", async () => {
    const panicked = `${KERNEL_PART}[    3.100000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n`
    await suite.fake.addVm({name: 'panic-01', resourceGroup: RG, serialLog: panicked})
    const run = await suite.run(['watch', '-n', 'panic-01', '-g', RG, '-o', 'table', '--stages'])
    expect(run.exitCode, run.stderr).to.equal(3)
    expect(run.stdout).to.match(/✗ .*\[panic, line \d+\]/)
    expect(run.stdout.trimEnd().split('\n').at(-1)).to.match(
      /^Verdict: boot stopped in kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block\(0,0\) \(line \d+\)$/,
    )
  })

  it('times out with exit 5, saying where the boot is', async () => {
    await suite.fake.addVm({name: 'slow-01', resourceGroup: RG, serialLog: KERNEL_PART + SYSTEMD_PART})
    const run = await suite.run(['watch', '-n', 'slow-01', '-g', RG, '--timeout', '1s', '--interval', '200ms'])
    expect(run.exitCode, run.stderr).to.equal(5)
    const done = JSON.parse(run.stdout.trimEnd().split('\n').at(-1)!)
    assertMatchesSchema('watch-event', done)
    expect(done).to.deep.include({event: 'done', exitCode: 5, result: 'timeout'})
    expect(done.summary).to.match(/^not at login-prompt after 1 s: boot stuck in systemd-services/)
  })

  it('usage errors are one line, exit 2: a bad duration, an unknown stage, -o yaml, --query', async () => {
    await suite.fake.addVm({name: 'use-01', resourceGroup: RG})
    for (const [args, pattern] of [
      [['--timeout', '5 minutes'], /^Error: --timeout '5 minutes' is not a duration: use a number with h, m, s or ms/],
      [['--interval', '1ms'], /^Error: --interval '1ms' is too short: the least is 100 ms\.$/],
      [['--until', 'coffee'], /^Error: Expected --until=coffee to be one of: firmware, bootloader, kernel/],
      [['-o', 'yaml'], /^Error: watch prints events as they happen: use --json/],
      [['--query', 'event'], /^Error: watch prints events as they happen and takes no --query/],
    ] as Array<[string[], RegExp]>) {
      const run = await suite.run(['watch', '-n', 'use-01', '-g', RG, ...args])
      expect(run.exitCode, run.stderr).to.equal(2)
      expect(run.stderr.trimEnd().split('\n'), run.stderr).to.have.length(1)
      expect(run.stderr.trimEnd()).to.match(pattern)
    }
  })
})
