/**
 * screenTimeline: a VM's screens across snapshots say what one screenshot cannot — a reboot loop, or a
 * boot that stays on the same transient screen for longer than a boot takes.
 */
import {expect} from 'chai'

import {STUCK_AFTER_MS, type TimelineSnapshot, screenTimeline} from '../../../../src/services/report/screen-timeline.js'

const LOGO = {kind: 'win-booting', state: 'in-progress', summary: 'Windows is starting (logo)'}
const BSOD = {
  codes: ['CRITICAL_PROCESS_DIED'],
  kind: 'win-stop-error',
  state: 'failed',
  summary: 'Windows stop error (blue screen): CRITICAL_PROCESS_DIED',
}
const LOCK = {kind: 'win-login-healthy', state: 'healthy', summary: 'Windows is up: lock screen'}
const POLICY = {
  kind: 'win-policy-wait',
  state: 'in-progress',
  summary: 'Windows is waiting for a service or policy: Please wait for the Group Policy Client',
}
const updating = (percent: number) => ({
  kind: 'win-updating',
  state: 'in-progress',
  summary: `Windows is installing updates or features (${percent}%)`,
})

/** Snapshots `minutes` apart from 09:00, each with the screen given (null: none read). */
function every(
  minutes: number,
  ...screens: Array<TimelineSnapshot['screen']>
): Array<TimelineSnapshot & {name: string}> {
  return screens.map((screen, i) => ({
    name: `s${i}`,
    screen,
    takenAt: new Date(Date.UTC(2026, 11, 8, 9, i * minutes)).toISOString(),
  }))
}

describe('screenTimeline: the screen across snapshots', () => {
  it('boot logo → stop error → boot logo is a reboot loop, with the snapshots that show it', () => {
    const snapshots = every(10, LOCK, LOGO, BSOD, LOGO)
    const timeline = screenTimeline(snapshots)
    expect(timeline.pattern).to.equal('cycling')
    expect(timeline.snapshots.map((s) => s.name)).to.deep.equal(['s1', 's2', 's3'])
    expect(timeline.durationMs).to.equal(20 * 60_000)
    expect(timeline.summary).to.equal(
      'reboot loop: the screen cycles between win-booting, win-stop-error (CRITICAL_PROCESS_DIED) (3 snapshots over 20 min)',
    )
  })

  it('stop error → boot logo → stop error is a reboot loop too', () => {
    expect(screenTimeline(every(5, BSOD, LOGO, BSOD)).pattern).to.equal('cycling')
  })

  it('one failed boot (logo, then a stop error that stays) is not a loop', () => {
    expect(screenTimeline(every(10, LOGO, BSOD, BSOD, BSOD))).to.deep.include({pattern: null, summary: null})
  })

  it('a loop that ended in a healthy screen is over', () => {
    expect(screenTimeline(every(10, LOGO, BSOD, LOGO, LOCK)).pattern).to.equal(null)
  })

  it('the same "Please wait for …" screen for an hour is stuck; the snapshots are the ones that show it', () => {
    const snapshots = every(20, LOCK, POLICY, POLICY, POLICY, POLICY)
    const timeline = screenTimeline(snapshots)
    expect(timeline.pattern).to.equal('stuck')
    expect(timeline.snapshots.map((s) => s.name)).to.deep.equal(['s1', 's2', 's3', 's4'])
    expect(timeline.durationMs).to.equal(60 * 60_000)
    expect(timeline.summary).to.equal(
      'stuck on the same screen for 1 h: win-policy-wait: Windows is waiting for a service or policy: Please wait for the Group Policy Client (4 snapshots)',
    )
  })

  it('the same in-progress screen for less than a boot takes is not stuck (yet)', () => {
    const short = every(10, POLICY, POLICY, POLICY)
    expect(screenTimeline(short).pattern).to.equal(null)
    expect(20 * 60_000).to.be.below(STUCK_AFTER_MS)
  })

  it('an update whose percentage moves is progress, not stuck', () => {
    expect(screenTimeline(every(30, updating(10), updating(40), updating(70), updating(90))).pattern).to.equal(null)
  })

  it('one snapshot of a screen the archive kept seeing unchanged for an hour is stuck (seenUntil)', () => {
    const [only] = every(0, POLICY)
    const timeline = screenTimeline([only], {seenUntil: new Date(Date.parse(String(only.takenAt)) + 3_600_000)})
    expect(timeline).to.deep.include({durationMs: 3_600_000, pattern: 'stuck'})
    expect(timeline.snapshots).to.deep.equal([only])
  })

  it('a threshold of its own; snapshots out of order, without a screen, or with a bad time are handled', () => {
    const snapshots = every(10, POLICY, null, POLICY, POLICY)
    const shuffled = [snapshots[3], snapshots[0], {screen: POLICY, takenAt: 'not a time'}, snapshots[1], snapshots[2]]
    const timeline = screenTimeline(shuffled, {stuckAfterMs: 15 * 60_000})
    expect(timeline.pattern).to.equal('stuck')
    expect(timeline.snapshots.map((s) => (s as {name?: string}).name)).to.deep.equal(['s0', 's2', 's3'])
    expect(screenTimeline([])).to.deep.equal({durationMs: 0, pattern: null, snapshots: [], summary: null})
  })
})
