/**
 * The VM's verdict from both witnesses as snapshot.json records it: which witness decided, each one's
 * part, the failure signature of a verdict the screen gave, a reading carried from an earlier snapshot,
 * and a screenshot that could not be read.
 */
import {expect} from 'chai'
import {Readable} from 'node:stream'

import {analyze} from '../../../../src/analysis/index.js'
import type {AnalysisReport} from '../../../../src/analysis/types.js'
import type {ScreenReading} from '../../../../src/screen/types.js'
import {readingOfSnapshotScreen, snapshotScreen, witnessVerdict} from '../../../../src/services/witness/verdict.js'
import {HEALTHY_LOG, PANIC_LOG} from '../../../helpers/sample-logs.js'

const log = (text: string): Promise<AnalysisReport> => analyze(Readable.from([text]), {source: 'serial.log'})

function screen(overrides: Partial<ScreenReading>): ScreenReading {
  return {
    codes: [],
    kind: 'unknown',
    lines: [],
    os: 'unknown',
    outcome: null,
    percent: null,
    reader: 'ocr',
    stage: null,
    state: 'unknown',
    summary: 'Unknown screen: no text read',
    ...overrides,
  }
}

const STOP_ERROR = screen({
  codes: ['CRITICAL_PROCESS_DIED'],
  docs: 'https://learn.microsoft.com/troubleshoot/azure/virtual-machines/windows/troubleshoot-common-blue-screen-error',
  evidence: [{line: 4, match: 'stop code', text: 'Stop code: CRITICAL PROCESS DIED'}],
  kind: 'win-stop-error',
  lines: [{confidence: 0.9, text: 'Your PC ran into a problem and needs to restart.'}],
  os: 'windows',
  outcome: 'kernel-panic',
  percent: 95,
  stage: 'kernel',
  state: 'failed',
  summary: 'Windows stop error (blue screen): CRITICAL_PROCESS_DIED (95%)',
})
const LOCK = screen({
  kind: 'win-login-healthy',
  os: 'windows',
  outcome: 'booted',
  stage: 'login-prompt',
  state: 'healthy',
  summary: 'Windows is up: lock screen',
})
const GRUB_RESCUE = screen({
  codes: ['no such partition'],
  kind: 'linux-grub-rescue',
  os: 'linux',
  outcome: 'bootloader-failure',
  reader: 'console-font',
  stage: 'bootloader',
  state: 'failed',
  summary: 'GRUB rescue prompt: no such partition',
})

describe('witnessVerdict: the verdict of the serial log and the screenshot', () => {
  it('a Windows VM (OS type from Azure) with an empty log: the screen decides, the log part says no-output', async () => {
    const {analysis, verdict} = witnessVerdict({log: await log(''), osType: 'Windows', screen: {reading: STOP_ERROR}})
    expect(analysis).to.deep.include({decidedBy: 'screenshot', lastStage: 'kernel', outcome: 'kernel-panic'})
    expect(analysis.log).to.include({outcome: 'no-output'})
    // the signature names the stop code, not the percentage that changes from one snapshot to the next
    expect(analysis.signature).to.equal('kernel-panic: win-stop-error CRITICAL_PROCESS_DIED')
    expect(analysis.screen).to.deep.equal({
      codes: ['CRITICAL_PROCESS_DIED'],
      docs: STOP_ERROR.docs,
      kind: 'win-stop-error',
      os: 'windows',
      outcome: 'kernel-panic',
      percent: 95,
      reader: 'ocr',
      stage: 'kernel',
      state: 'failed',
      summary: STOP_ERROR.summary,
    })
    expect(verdict.evidence).to.deep.equal([
      {line: 4, match: 'stop code', text: 'Stop code: CRITICAL PROCESS DIED', witness: 'screenshot'},
    ])
  })

  it('a healthy Windows lock screen is booted with no signature, whatever the OS type says or not', async () => {
    for (const osType of ['Windows', null]) {
      const {analysis} = witnessVerdict({log: await log(''), osType, screen: {reading: LOCK}})
      expect(analysis).to.deep.include({decidedBy: 'screenshot', outcome: 'booted', signature: null})
    }
  })

  it("a Linux log that failed keeps its own signature; the screen's reading is its part", async () => {
    const panic = await log(PANIC_LOG)
    const {analysis} = witnessVerdict({log: panic, osType: 'Linux', screen: {reading: GRUB_RESCUE}})
    expect(analysis.decidedBy).to.equal('both')
    expect(analysis.outcome).to.equal(panic.verdict.outcome)
    expect(analysis.signature).to.equal(analysis.log!.signature)
    expect(analysis.screen).to.include({kind: 'linux-grub-rescue'})
  })

  it('a healthy Linux log loses to a GRUB rescue prompt on the screen', async () => {
    const {analysis} = witnessVerdict({log: await log(HEALTHY_LOG), osType: 'Linux', screen: {reading: GRUB_RESCUE}})
    expect(analysis).to.deep.include({
      decidedBy: 'screenshot',
      outcome: 'bootloader-failure',
      signature: 'bootloader-failure: linux-grub-rescue no such partition',
    })
    expect(analysis.log).to.include({outcome: 'booted', signature: null})
  })

  it('a reading carried from an earlier snapshot counts as the screen, and is kept as it was', async () => {
    const carried = {...snapshotScreen(GRUB_RESCUE), carriedFrom: '20261208T090000Z'}
    const {analysis, screen: seen} = witnessVerdict({log: await log(HEALTHY_LOG), osType: 'Linux', screen: {carried}})
    expect(analysis.outcome).to.equal('bootloader-failure')
    expect(analysis.screen).to.deep.equal(carried)
    expect(seen).to.deep.include({kind: 'linux-grub-rescue', lines: [], state: 'failed'})
    expect(readingOfSnapshotScreen(carried).summary).to.equal(GRUB_RESCUE.summary)
  })

  it('a screenshot that was not read: the log decides, and the record says why', async () => {
    const {analysis} = witnessVerdict({
      log: await log(HEALTHY_LOG),
      osType: 'Linux',
      screen: {unread: 'the screen reader is off (BOOTDIAG_SCREEN_READER=off)'},
    })
    expect(analysis).to.deep.include({decidedBy: 'serial-log', outcome: 'booted'})
    expect(analysis.screen).to.equal(undefined)
    expect(analysis.screenUnread).to.equal('the screen reader is off (BOOTDIAG_SCREEN_READER=off)')
  })

  it('a Windows VM whose screenshot was not read has nothing to go by: no-output, and the summary says why', async () => {
    const {analysis} = witnessVerdict({log: await log(''), osType: 'Windows', screen: {unread: 'OCR failed'}})
    expect(analysis.outcome).to.equal('no-output')
    expect(analysis.summary).to.match(/; the screenshot was not read \(OCR failed\)$/)
  })

  it('no log at all (no blob): the screen alone, and no log part', () => {
    const {analysis} = witnessVerdict({log: null, screen: {reading: LOCK}})
    expect(analysis).to.deep.include({decidedBy: 'screenshot', outcome: 'booted'})
    expect(analysis).not.to.have.property('log')
    expect(analysis.summary).to.equal('screen: Windows is up: lock screen')
  })
})
