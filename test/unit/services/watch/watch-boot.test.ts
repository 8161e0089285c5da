/**
 * The watch engine on fake time against a fake serial log: a log that grows in steps, a boot that
 * fails, a log that is replaced under the watch, one that does not exist yet, the new boot after a
 * restart, and a kernel hang that recovers. The clock only moves when the engine sleeps; nothing waits
 * for real time.
 */
import {expect} from 'chai'

import {
  BASELINE_TAIL_BYTES,
  type SerialLogRead,
  type SerialLogReader,
  type WatchBootOptions,
  type WatchEvent,
  type WatchResult,
  baselineOf,
  captureBaseline,
  watchBoot,
} from '../../../../src/services/watch/watch-boot.js'
import {sampleBootLog, sampleShutdownLog} from '../../../fake-azure/sample-logs.js'

/** A serial log blob as the watch sees it through Range reads; each change gets a new ETag. */
class FakeSerialLog implements SerialLogReader {
  content: Buffer | null
  etag = '"0x1"'
  createdOn = 1_700_000_000_000
  readonly reads: Array<{from: number; maxBytes: number}> = []
  private version = 1

  constructor(initial: Buffer | string | null = '') {
    this.content = initial === null ? null : Buffer.from(initial)
  }

  async read(from: number, maxBytes: number): Promise<SerialLogRead | null> {
    this.reads.push({from, maxBytes})
    if (this.content === null) return null
    return {
      createdOn: this.createdOn,
      data: Buffer.from(this.content.subarray(from, from + maxBytes)),
      etag: this.etag,
      size: this.content.length,
    }
  }

  /** Delete the blob and create a new one (what a redeploy does to the log). */
  recreate(content: Buffer | string): void {
    this.set(content)
    this.createdOn += 60_000
  }

  append(text: Buffer | string): void {
    this.set(Buffer.concat([this.content ?? Buffer.alloc(0), Buffer.from(text)]))
  }

  set(content: Buffer | string | null): void {
    this.content = content === null ? null : Buffer.from(content)
    this.etag = `"0x${++this.version}"`
  }
}

/** Fake time: `sleep` moves the clock and runs the next scripted step (what happens meanwhile). */
class FakeClock {
  time = 0
  sleeps: number[] = []

  constructor(private readonly steps: Array<() => void> = []) {}

  now = () => this.time

  sleep = async (ms: number) => {
    this.sleeps.push(ms)
    this.time += ms
    this.steps.shift()?.()
  }
}

const HOST = 'web-01'
const BOOT = sampleBootLog({hostname: HOST})
const PROMPT = `${HOST} login: `
/** The boot cut where a real console stops while nobody logs in: at the prompt, without a newline. */
const UP_TO_PROMPT = BOOT.slice(0, BOOT.indexOf(PROMPT) + PROMPT.length)
/** The boot up to the line that holds `text` (cut at a line's start, as a console writes whole lines). */
const upTo = (text: string) => BOOT.slice(0, BOOT.lastIndexOf('\n', BOOT.indexOf(text)) + 1)
const KERNEL_PART = upTo('Unpacking initramfs')
const SYSTEMD_PART = upTo('Reached target \u001B[0;1;39mNetwork').slice(KERNEL_PART.length)
const REST_TO_PROMPT = UP_TO_PROMPT.slice(KERNEL_PART.length + SYSTEMD_PART.length)

async function watch(
  log: FakeSerialLog,
  clock: FakeClock,
  options: Partial<WatchBootOptions> = {},
): Promise<{result: WatchResult; events: WatchEvent[]}> {
  const events: WatchEvent[] = []
  const result = await watchBoot(
    {clock, emit: (event) => events.push(event), reader: log},
    {intervalMs: 5000, source: HOST, timeoutMs: 15 * 60_000, until: 'login-prompt', ...options},
  )
  return {events, result}
}

const ofKind = <K extends WatchEvent['event']>(events: WatchEvent[], kind: K) =>
  events.filter((event): event is Extract<WatchEvent, {event: K}> => event.event === kind)

describe('watch: following a boot in the serial log', () => {
  it('follows a log that grows in steps and stops when the boot reaches the login prompt', async () => {
    // Given a VM whose log holds the kernel's first lines, then grows every interval
    const log = new FakeSerialLog(KERNEL_PART)
    const clock = new FakeClock([() => log.append(SYSTEMD_PART), () => {}, () => log.append(REST_TO_PROMPT)])

    // When it is watched until the login prompt
    const {events, result} = await watch(log, clock, {baseline: baselineOf(Buffer.alloc(0), null)})

    // Then it ends at the third read with exit 0, after three intervals of fake time
    expect(result).to.deep.include({
      exitCode: 0,
      result: 'reached',
      seconds: 15,
      summary: 'boot reached login-prompt in 15 s',
      until: 'login-prompt',
    })
    expect(result.verdict?.outcome).to.equal('booted')
    expect(clock.sleeps).to.deep.equal([5000, 5000, 5000])
    // stages in order, each once, with their lines
    expect(ofKind(events, 'stage').map((event) => event.stage)).to.deep.equal([
      'kernel',
      'switch-root',
      'systemd-services',
      'login-prompt',
    ])
    // every line once, numbered from 1, the prompt (which has no newline) last
    const lines = ofKind(events, 'line')
    expect(lines.map((event) => event.line)).to.deep.equal(Array.from({length: lines.length}, (_, index) => index + 1))
    expect(lines.at(-1)?.text).to.equal(PROMPT.trimEnd())
    expect(lines.map((event) => event.text).join('\n'))
      .to.include('Welcome to Ubuntu 24.04.1 LTS!')
      .and.not.include('\u001B')
    // reads continue from where the last one stopped, a few bytes earlier to check them
    const consumed = [
      0,
      KERNEL_PART.length,
      KERNEL_PART.length + SYSTEMD_PART.length,
      KERNEL_PART.length + SYSTEMD_PART.length,
    ]
    expect(log.reads.map((read) => read.from)).to.deep.equal(
      consumed.map((bytes) => Math.max(0, bytes - BASELINE_TAIL_BYTES)),
    )
    expect(events[0]).to.deep.include({event: 'watching', from: 'before-operation', until: 'login-prompt'})
    expect(events.at(-1)).to.deep.include({event: 'done', exitCode: 0, result: 'reached'})
  })

  it("a boot that falls into emergency mode ends the watch with exit 3 and the analyser's summary", async () => {
    // Given a boot that stops at a failed mount and the emergency shell
    const failing = [
      KERNEL_PART + SYSTEMD_PART,
      '[FAILED] Failed to mount \u001B[0;1;39mdata.mount\u001B[0m - /data.\r\n',
      '[DEPEND] Dependency failed for \u001B[0;1;39mlocal-fs.target\u001B[0m - Local File Systems.\r\n',
      'You are in emergency mode. After logging in, type "journalctl -xb" to view\r\n',
      'Give root password for maintenance\r\n(or press Control-D to continue): ',
    ].join('')
    const log = new FakeSerialLog(KERNEL_PART)
    const clock = new FakeClock([() => log.set(failing)])

    // When it is watched
    const {events, result} = await watch(log, clock)

    // Then the watch stops at once with exit 3 and says where the boot stopped
    expect(result).to.deep.include({exitCode: 3, result: 'failed'})
    expect(result.verdict?.outcome).to.equal('emergency-mode')
    expect(result.summary).to.match(/emergency-mode: .*\(line \d+\)$/)
    expect(ofKind(events, 'finding').map((event) => event.category)).to.include('emergency')
  })

  it('times out with exit 5 when the boot does not get there, saying where it is', async () => {
    // Given a boot that stays in systemd's services
    const log = new FakeSerialLog(KERNEL_PART + SYSTEMD_PART)
    const clock = new FakeClock()

    // When it is watched for one minute at 20 s intervals
    const {result} = await watch(log, clock, {intervalMs: 20_000, timeoutMs: 60_000})

    // Then it gives up after the minute with exit 5
    expect(result).to.deep.include({exitCode: 5, result: 'timeout', seconds: 60})
    expect(result.summary).to.match(/^not at login-prompt after 1 min: boot stuck in systemd-services/)
    expect(clock.sleeps).to.deep.equal([20_000, 20_000, 20_000])
  })

  it('an already booted VM is reached at the first read; the log before the watch is not printed', async () => {
    // Given a VM that booted long ago
    const log = new FakeSerialLog(BOOT)

    // When it is watched (no operation before: the whole log counts)
    const {events, result} = await watch(log, new FakeClock())

    // Then it is done at once, its stages reported, none of its lines
    expect(result).to.deep.include({
      exitCode: 0,
      result: 'reached',
      seconds: 0,
      summary: 'boot had already reached login-prompt when the watch began',
    })
    expect(ofKind(events, 'line')).to.deep.equal([])
    expect(ofKind(events, 'stage').map((event) => event.stage)).to.include('login-prompt')
  })

  it('the boots that ended before the watch began are its past: only the current one is told', async () => {
    // Given a log with a whole boot, its restart, and the start of the next boot
    const log = new FakeSerialLog(BOOT + sampleShutdownLog({ending: 'restart'}) + KERNEL_PART)
    const clock = new FakeClock([() => log.append(SYSTEMD_PART + REST_TO_PROMPT)])

    // When it is watched
    const {events, result} = await watch(log, clock)

    // Then only the current boot's session, stages and findings were told
    const sessions = ofKind(events, 'session')
    expect(sessions).to.have.length(1)
    expect(ofKind(events, 'session-end')).to.deep.equal([])
    expect(ofKind(events, 'stage').every((event) => event.sessionStartLine === sessions[0].startLine)).to.equal(true)
    expect(result).to.deep.include({result: 'reached', summary: 'boot reached login-prompt in 5 s'})
  })

  it('waits for a log that does not exist yet, then follows it', async () => {
    // Given no serial log at first
    const log = new FakeSerialLog(null)
    const clock = new FakeClock([() => {}, () => log.set(UP_TO_PROMPT)])

    // When it is watched
    const {events, result} = await watch(log, clock)

    // Then it said it waits for the log, and followed the log once it appeared (its lines are new)
    expect(ofKind(events, 'waiting').map((event) => event.reason)).to.deep.equal(['no-log'])
    expect(result).to.deep.include({exitCode: 0, seconds: 10})
    expect(ofKind(events, 'line')[0]).to.deep.include({line: 1})
  })

  describe('a log replaced under the watch (redeploy, deallocate + start) is read again from its first byte', () => {
    const cases: Array<{name: string; reason: string; replace: (log: FakeSerialLog, old: string) => void}> = [
      // the next boot's first kilobytes are the same as the last one's: only the blob's creation time tells
      {
        name: 'a new blob, longer, that begins like the old one',
        reason: 'recreated',
        replace: (log, old) => log.recreate(sampleBootLog({bootNumber: 7, hostname: HOST}).slice(0, old.length + 300)),
      },
      {name: 'shorter', reason: 'shorter', replace: (log) => log.set(KERNEL_PART.slice(0, 200))},
      {
        name: 'longer, other bytes where the watch stopped',
        reason: 'content-changed',
        replace: (log, old) => log.set(sampleBootLog({eol: '\n', hostname: HOST}).slice(0, old.length + 300)),
      },
      {
        name: 'the same bytes with a new ETag and no growth',
        reason: 'etag-changed',
        replace: (log, old) => log.set(old),
      },
    ]
    for (const {name, reason, replace} of cases) {
      it(`${name}: "${reason}"`, async () => {
        // Given a watch that has read part of a boot
        const old = KERNEL_PART + SYSTEMD_PART
        const log = new FakeSerialLog(old)
        const clock = new FakeClock([() => replace(log, old), () => log.set(UP_TO_PROMPT)])

        // When the log is replaced
        const {events, result} = await watch(log, clock)

        // Then the watch says so, starts over at byte 0 and line 1, and follows the new log
        const replaced = ofKind(events, 'replaced')
        expect(replaced[0]).to.deep.include({previousBytes: Buffer.byteLength(old), reason})
        expect(log.reads.filter((read) => read.from === 0)).to.have.length.at.least(2)
        expect(result).to.deep.include({exitCode: 0, result: 'reached'})
        const lineAfterReplace = events.slice(events.indexOf(replaced[0])).find((event) => event.event === 'line')
        expect(lineAfterReplace).to.deep.include({line: 1})
      })
    }

    it('a deleted log is waited for and followed when it comes back', async () => {
      const log = new FakeSerialLog(KERNEL_PART)
      const clock = new FakeClock([() => log.set(null), () => log.set(UP_TO_PROMPT)])
      const {events, result} = await watch(log, clock)
      expect(ofKind(events, 'replaced').map((event) => event.reason)).to.deep.equal(['deleted'])
      expect(result.result).to.equal('reached')
    })
  })

  it('after a restart, only the new boot counts: the old one (booted) is not "reached"', async () => {
    // Given the log as it was before a restart, and the restart that appends a shutdown, then the next boot
    const oldLog = Buffer.from(BOOT)
    const log = new FakeSerialLog(oldLog)
    const nextBoot = sampleBootLog({bootNumber: 2, hostname: HOST})
    const clock = new FakeClock([
      () => log.append(sampleShutdownLog({ending: 'restart'})),
      () => log.append(nextBoot.slice(0, 900)),
      () => log.append(nextBoot.slice(900)),
    ])

    // When the new boot is watched from the old log's end
    const {events, result} = await watch(log, clock, {baseline: baselineOf(oldLog, log.etag)})

    // Then it waited for the new boot, followed it, and numbered its lines in the whole log
    expect(ofKind(events, 'waiting').map((event) => event.reason)).to.deep.equal(['no-new-boot'])
    const sessions = ofKind(events, 'session')
    expect(sessions).to.have.length(1)
    const oldLines = BOOT.split('\n').length - 1 + sampleShutdownLog({ending: 'restart'}).split('\n').length - 1
    expect(sessions[0].startLine).to.equal(oldLines + 1)
    expect(result).to.deep.include({exitCode: 0, result: 'reached', seconds: 15})
    expect(result.verdict?.startLine).to.equal(oldLines + 1)
  })

  it('a kernel hang ends the watch only when it holds; one that recovers does not', async () => {
    const hung = '[  242.118220] INFO: task kworker/u4:1:57 blocked for more than 120 seconds.\r\n'
    // Given a boot that reports a hung task and then goes on
    const recovering = new FakeSerialLog(KERNEL_PART + SYSTEMD_PART + hung)
    const recovered = await watch(recovering, new FakeClock([() => recovering.append(REST_TO_PROMPT)]), {
      recoverableFailureGraceMs: 60_000,
    })
    expect(recovered.result.result).to.equal('reached')

    // Given a boot that hangs for good
    const stuck = new FakeSerialLog(KERNEL_PART + hung)
    const failed = await watch(stuck, new FakeClock(), {recoverableFailureGraceMs: 60_000})
    expect(failed.result).to.deep.include({exitCode: 3, result: 'failed', seconds: 60})
    expect(failed.result.verdict?.outcome).to.equal('kernel-hang')
  })

  it('--until agent-provisioned waits past the login prompt; --until kernel stops early', async () => {
    const log = new FakeSerialLog(UP_TO_PROMPT)
    const clock = new FakeClock([() => log.set(BOOT)])
    const agent = await watch(log, clock, {until: 'agent-provisioned'})
    expect(agent.result).to.deep.include({
      result: 'reached',
      seconds: 5,
      summary: 'boot reached agent-provisioned in 5 s',
    })

    const early = await watch(new FakeSerialLog(KERNEL_PART + SYSTEMD_PART), new FakeClock(), {until: 'kernel'})
    expect(early.result).to.deep.include({result: 'reached', seconds: 0})
  })

  it('a page blob: NUL padding is not content, and text written over it is not a replacement', async () => {
    const padded = (text: string) =>
      Buffer.concat([Buffer.from(text), Buffer.alloc(512 - (Buffer.byteLength(text) % 512))])
    const log = new FakeSerialLog(padded(KERNEL_PART))
    const clock = new FakeClock([() => log.set(padded(UP_TO_PROMPT))])
    const {events, result} = await watch(log, clock)
    expect(ofKind(events, 'replaced')).to.deep.equal([])
    expect(result.result).to.equal('reached')
  })

  it('captureBaseline reads the whole log: its size without padding, line ends and last bytes', async () => {
    const log = new FakeSerialLog(Buffer.concat([Buffer.from('a\nb\nc'), Buffer.alloc(700)]))
    const baseline = await captureBaseline(log)
    expect(baseline).to.deep.include({bytes: 5, etag: log.etag, newlines: 2})
    expect(baseline.tail.toString()).to.equal('a\nb\nc')
    expect(await captureBaseline(new FakeSerialLog(null))).to.deep.include({bytes: 0, newlines: 0})
  })
})
