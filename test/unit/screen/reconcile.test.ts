/**
 * reconcile: one verdict from the serial log's analysis and the screenshot's reading. The logs are the
 * project's samples analysed for real; the screens are classified from their text.
 */
import {createReadStream} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {Readable} from 'node:stream'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {analyze, type AnalysisReport} from '../../../src/analysis/index.js'
import {classifyScreenText, reconcile, type ScreenReading} from '../../../src/screen/index.js'

const samples = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'), 'samples')
const sample = (name: string) => analyze(createReadStream(join(samples, name)), {source: name})
const emptyLog = () => analyze(Readable.from([]), {source: 'serial.log'})
const screen = (...texts: string[]): ScreenReading => classifyScreenText(texts.map((text) => ({confidence: 0.9, text})))

describe('reconcile: serial log and screenshot', () => {
  let healthy: AnalysisReport
  let emergency: AnalysisReport
  let empty: AnalysisReport
  before(async () => {
    ;[healthy, emergency, empty] = await Promise.all([
      sample('healthy-boot.log'),
      sample('emergency-mode.log'),
      emptyLog(),
    ])
  })

  it('a Windows VM: the verdict is its screen’s, and its empty log is expected, not no-output', () => {
    const verdict = reconcile(
      empty,
      screen('Your PC ran into a problem and needs to restart.', 'Stop code: CRITICAL PROCESS DIED'),
    )
    expect(verdict).to.include({decidedBy: 'screenshot', healthy: false, lastStage: 'kernel', outcome: 'kernel-panic'})
    expect(verdict.summary).to.equal(
      'screen: Windows stop error (blue screen): CRITICAL_PROCESS_DIED; serial log empty, as expected for Windows',
    )
    expect(verdict.evidence).to.deep.equal([
      {line: 1, match: '^\\s*stop code\\s*:', text: 'Stop code: CRITICAL PROCESS DIED', witness: 'screenshot'},
    ])
  })

  it('a healthy Windows lock screen with an empty log is booted', () => {
    const verdict = reconcile(empty, screen('Press Ctrl+Alt+Delete to sign in.'))
    expect(verdict).to.include({decidedBy: 'screenshot', healthy: true, outcome: 'booted'})
  })

  it('a Windows VM stuck on updates is boot-stuck, one stuck shutting down is shutdown-hung', () => {
    expect(reconcile(empty, screen('Working on updates 30% complete')).outcome).to.equal('boot-stuck')
    expect(reconcile(empty, screen('Shutting down')).outcome).to.equal('shutdown-hung')
  })

  it('a Linux log that looks fine loses to a failure on the screen (GRUB rescue is only on screen)', () => {
    const verdict = reconcile(empty, screen('error: no such partition.', 'Entering rescue mode...', 'grub rescue>'))
    expect(verdict).to.include({decidedBy: 'screenshot', outcome: 'bootloader-failure'})
    expect(verdict.summary).to.match(/^screen: GRUB rescue prompt: no such partition/)
  })

  it('a failure in the log wins over a healthy-looking screen, and both witnesses give evidence', () => {
    const verdict = reconcile(emergency, screen('web-01 login: '))
    expect(verdict).to.include({decidedBy: 'serial-log', healthy: false, outcome: 'emergency-mode'})
    const witnesses = new Set(verdict.evidence.map((item) => item.witness))
    expect([...witnesses].sort()).to.deep.equal(['screenshot', 'serial-log'])
    expect(
      verdict.evidence.filter((item) => item.witness === 'serial-log').every((item) => typeof item.line === 'number'),
    ).to.equal(true)
  })

  it('both failing on Linux: the log names the outcome, the screen is cited', () => {
    const verdict = reconcile(emergency, screen('You are in emergency mode.', 'Give root password for maintenance'))
    expect(verdict).to.include({decidedBy: 'both', outcome: 'emergency-mode'})
    expect(verdict.summary).to.contain('screen: Linux emergency mode')
  })

  it('a healthy Linux log decides when the screen shows no failure', () => {
    const verdict = reconcile(healthy, screen('web-01 login: '))
    expect(verdict).to.include({decidedBy: 'serial-log', healthy: true, outcome: healthy.verdict.outcome})
  })

  it('the Azure OS type overrides the screen’s guess, and nothing at all is no-output', () => {
    const verdict = reconcile(empty, screen('Lorem ipsum'), {osType: 'Windows'})
    expect(verdict).to.include({healthy: false, outcome: 'no-output'})
    expect(verdict.summary).to.equal('serial log empty, as expected for Windows; screen: Unknown screen: Lorem ipsum')
    expect(reconcile(null, null)).to.include({outcome: 'no-output', summary: 'no serial output and no screenshot'})
  })
})
