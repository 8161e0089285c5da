import {expect} from 'chai'

import {formatClock, formatDuration, parseDuration} from '../../../src/util/duration.js'

describe('durations: --timeout 15m, --interval 5s', () => {
  it('reads h, m, s and ms, combined, and a bare number as seconds', () => {
    const ms = (text: string) => parseDuration(text, {flag: '--timeout'})
    expect(ms('15m')).to.equal(900_000)
    expect(ms('5s')).to.equal(5000)
    expect(ms('1h30m')).to.equal(5_400_000)
    expect(ms('250ms')).to.equal(250)
    expect(ms('1.5s')).to.equal(1500)
    expect(ms('90')).to.equal(90_000)
    expect(ms(' 2M ')).to.equal(120_000)
  })

  it('anything else is a usage error (exit 2) that names the flag and shows the forms', () => {
    for (const bad of ['', 'soon', '5 minutes', '-5s', '5x', 'm5']) {
      expect(() => parseDuration(bad, {flag: '--interval'}), bad)
        .to.throw(
          /^--interval '.*' is not a duration: use a number with h, m, s or ms \(e\.g\. --interval 90s, 15m or 1h30m\)\.$/,
        )
        .with.property('exitCode', 2)
    }
  })

  it('bounds are checked with a readable limit', () => {
    expect(() => parseDuration('10ms', {flag: '--interval', minMs: 100})).to.throw(
      "--interval '10ms' is too short: the least is 100 ms.",
    )
    expect(() => parseDuration('48h', {flag: '--timeout', maxMs: 86_400_000})).to.throw(
      "--timeout '48h' is too long: the most is 24 h.",
    )
  })

  it('prints durations and clocks the way a person reads them', () => {
    expect([350, 41_000, 125_000, 120_000, 3_780_000, 3_600_000].map((ms) => formatDuration(ms))).to.deep.equal([
      '350 ms',
      '41 s',
      '2 min 5 s',
      '2 min',
      '1 h 3 min',
      '1 h',
    ])
    expect([41_000, 725_000, 3_723_000].map((ms) => formatClock(ms))).to.deep.equal(['00:41', '12:05', '1:02:03'])
  })
})
