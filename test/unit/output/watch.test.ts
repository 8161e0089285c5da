/**
 * How a watch and a guarded operation are shown: NDJSON stays pure JSON lines, the terminal view keeps
 * the log on stdout and the rest on stderr, log text cannot smuggle escape sequences, and the status
 * line exists only on a terminal.
 */
import {PassThrough} from 'node:stream'

import {expect} from 'chai'

import {confirmationQuestion, describeOperationEvent, formatOperationReport} from '../../../src/output/operation.js'
import {WatchPrinter, describe as describeEvent, statusText} from '../../../src/output/watch.js'
import {StatusLine} from '../../../src/output/watch-status-line.js'
import {confirmOperation} from '../../../src/prompts/confirm-operation.js'
import type {OperationReport} from '../../../src/services/vm/operation.js'
import type {WatchEvent} from '../../../src/services/watch/watch-boot.js'

class Captured {
  text = ''
  isTTY = false
  columns = 60
  write(text: string) {
    this.text += text
    return true
  }
}

const EVENTS: WatchEvent[] = [
  {elapsed: 0, event: 'watching', from: 'start-of-log', intervalSeconds: 5, timeoutSeconds: 900, until: 'login-prompt'},
  {elapsed: 0, event: 'session', kernel: '6.8.0-1015-azure', partial: false, startLine: 38},
  {elapsed: 0.1, event: 'line', line: 38, text: '[    0.000000] Linux version 6.8.0-1015-azure \u001B]0;owned\u0007'},
  {elapsed: 0.1, event: 'stage', line: 38, sessionStartLine: 38, stage: 'kernel', time: 0},
  {
    advice: 'Fix /etc/fstab.',
    category: 'mount-failure',
    elapsed: 5,
    event: 'finding',
    line: 52,
    rule: 'mount-failed',
    sessionStartLine: 38,
    severity: 'error',
    text: '[FAILED] Failed to mount /data.',
    title: 'A file system could not be mounted',
  },
  {elapsed: 5, event: 'replaced', previousBytes: 4096, reason: 'shorter'},
  {
    elapsed: 41,
    event: 'done',
    exitCode: 0,
    result: 'reached',
    seconds: 41,
    summary: 'boot reached login-prompt in 41 s',
    until: 'login-prompt',
    verdict: null,
  },
]

function print(mode: 'ndjson' | 'lines' | 'stages' | 'progress' | 'none') {
  const stdout = new Captured()
  const stderr = new Captured()
  const printer = new WatchPrinter({color: false, mode, stderr, stdout, vm: 'web-01'})
  for (const event of EVENTS) printer.event(event)
  printer.status({
    elapsedMs: 41_000,
    session: {stage: 'kernel', startLine: 38},
    state: 'booting',
    until: 'login-prompt',
  })
  return {stderr: stderr.text, stdout: stdout.text}
}

describe('output: watch', () => {
  it('--json: every event one JSON object per line on stdout, nothing else there', () => {
    const {stderr, stdout} = print('ndjson')
    const lines = stdout.trimEnd().split('\n')
    expect(lines.map((line) => JSON.parse(line).event)).to.deep.equal([
      'watching',
      'session',
      'line',
      'stage',
      'finding',
      'replaced',
      'done',
    ])
    expect(JSON.parse(lines[2])).to.deep.equal(EVENTS[2])
    expect(stderr).to.equal('')
  })

  it("terminal: the log's lines and the verdict on stdout; stages, findings and notices on stderr", () => {
    const {stderr, stdout} = print('lines')
    expect(stdout).to.equal(
      '[    0.000000] Linux version 6.8.0-1015-azure \uFFFD]0;owned\uFFFD\nVerdict: boot reached login-prompt in 41 s\n',
    )
    expect(stderr).to.include('Watching the serial log of web-01 until login-prompt (timeout 15 min, a read every 5 s)')
    expect(stderr).to.include('── boot at line 38 (kernel 6.8.0-1015-azure)')
    expect(stderr).to.include('→ kernel (line 38 at 0.0 s)')
    expect(stderr).to.include(
      '✗ A file system could not be mounted [mount-failure, line 52]: [FAILED] Failed to mount /data.',
    )
    expect(stderr).to.include('The serial log was replaced (it is shorter than what was already read')
  })

  it('--stages: stage changes, findings and the verdict on stdout, no log lines; progress: all on stderr but the verdict', () => {
    const stages = print('stages')
    expect(stages.stdout.split('\n').filter(Boolean)).to.have.length(4)
    expect(stages.stdout).not.to.include('Linux version')
    const progress = print('progress')
    expect(progress.stdout).to.equal('')
    expect(progress.stderr).not.to.include('Verdict')
    expect(print('none')).to.deep.equal({stderr: '', stdout: ''})
  })

  it('the status line: session, stage, elapsed time; drawn only on a terminal, cleared around other output', () => {
    expect(
      statusText('web-01', {
        elapsedMs: 41_000,
        session: {stage: 'systemd-services', startLine: 38},
        state: 'booting',
        until: 'login-prompt',
      }),
    ).to.equal('web-01 · boot at line 38 · systemd-services · 00:41 · until login-prompt')
    expect(
      statusText('web-01', {elapsedMs: 5000, session: null, state: 'no-new-boot', until: 'login-prompt'}),
    ).to.equal('web-01 · waiting for the new boot · 00:05')

    const piped = new Captured()
    const off = new StatusLine(piped, false)
    off.update('hello')
    off.print(() => piped.write('result\n'))
    off.stop()
    expect(piped.text).to.equal('result\n')

    const terminal = new Captured()
    const on = new StatusLine(terminal, true)
    on.update('web-01 · kernel')
    on.print(() => terminal.write('a note\n'))
    on.stop()
    expect(terminal.text).to.match(
      /^\r\u001B\[2K. web-01 · kernel\r\u001B\[2Ka note\n\r\u001B\[2K. web-01 · kernel\r\u001B\[2K$/,
    )
  })

  it('a session seen from its middle says so', () => {
    expect(
      describeEvent({elapsed: 0, event: 'session', kernel: null, partial: true, startLine: 1}, {color: false, vm: 'x'}),
    ).to.equal('── boot at line 1 (its start is not in the log)')
  })
})

describe('output: guarded operations', () => {
  const ref = {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: 's'}

  it('the confirmation says what the operation does to the VM and its log, and whether a snapshot comes first', () => {
    expect(confirmationQuestion('redeploy', [ref], {snapshotFirst: true})).to.equal(
      'Redeploy web-01 (rg-web)? This shuts the VM down, moves it to a new host and starts it again; its serial log starts over. A snapshot of the serial log is taken first.',
    )
    expect(confirmationQuestion('stop', [ref], {skipShutdown: true, snapshotFirst: false})).to.equal(
      'Stop web-01 (rg-web)? This powers the VM off at once, without a shutdown. No snapshot is taken first (--skip-snapshot).',
    )
    const many = ['a', 'b', 'c', 'd'].map((name) => ({...ref, name}))
    expect(confirmationQuestion('restart', many, {snapshotFirst: true})).to.match(/^Restart 4 VMs \(a, b, c, …\)\?/)
  })

  it('the snapshot note names its path and verdict before the operation starts', () => {
    const text = describeOperationEvent(
      {
        kind: 'snapshot',
        operation: 'restart',
        ref,
        snapshot: {
          missing: [{file: 'screenshot.bmp', reason: 'not written yet'}],
          path: '/a/b',
          reason: 'pre-restart',
          verdict: {
            lastStage: 'kernel',
            outcome: 'kernel-panic',
            summary: 'boot stopped in kernel-panic: VFS (line 6)',
          },
        },
        when: 'pre',
      },
      false,
    )
    expect(text).to.equal(
      'Snapshot of web-01 before the restart: /a/b\n  Verdict: boot stopped in kernel-panic: VFS (line 6)\n  screenshot.bmp: missing, not written yet',
    )
  })

  it("the result: status, snapshots before and after, the watch's verdict", () => {
    const report: OperationReport = {
      error: null,
      operation: 'restart',
      postSnapshot: {
        missing: [],
        path: '/after',
        reason: 'post-restart',
        verdict: {lastStage: 'login-prompt', outcome: 'booted', summary: 'booted: reached login-prompt (line 62)'},
      },
      preSnapshot: {missing: [], path: '/before', reason: 'pre-restart', verdict: null},
      status: 'succeeded',
      vm: {name: 'web-01', resourceGroup: 'rg-web', subscriptionId: 's'},
      watch: {
        exitCode: 0,
        result: 'reached',
        seconds: 41,
        summary: 'boot reached login-prompt in 41 s',
        until: 'login-prompt',
        verdict: null,
      },
    }
    expect(formatOperationReport(report, false)).to.equal(
      [
        'web-01 (rg-web): restarted',
        '  before: /before',
        '  Verdict: boot reached login-prompt in 41 s',
        '  after:  /after',
        '          booted: reached login-prompt (line 62)',
      ].join('\n'),
    )
  })

  it('the confirmation prompt answers no by default; y confirms', async () => {
    const ask = async (keys: string) => {
      const input = new PassThrough()
      const output = new PassThrough()
      output.resume()
      const answer = confirmOperation('Restart web-01?', {input, output})
      setImmediate(() => input.write(keys))
      return answer
    }

    expect(await ask('\n')).to.equal(false)
    expect(await ask('y\n')).to.equal(true)
  })
})
