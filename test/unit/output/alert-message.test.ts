/**
 * What --notify sends: the JSON body (VM, verdict, signature, summary, snapshot, previous verdict) and
 * its one-line text, safe for chat (no line breaks, nothing Slack reads as a command); a digest when a
 * run finds very many changes.
 */
import {expect} from 'chai'

import {digestBody, notificationBody, notificationText, safeLine} from '../../../src/output/alert-message.js'
import {verdictChanges} from '../../../src/services/alerts/verdict-changes.js'
import {PANIC, ROOT_MISSING, summaryOf, vmLine} from '../../helpers/archive-summaries.js'

const run = {archive: '/srv/bootdiag', startedAt: '2026-11-25T11:00:00.000Z', toolVersion: '0.2.0'}

describe('output: --notify messages', () => {
  it('a VM that became a failure: the body carries the verdict next to the previous one; the text says it in one line', () => {
    const [change] = verdictChanges(
      summaryOf([vmLine({name: 'web-01', previous: {outcome: 'booted'}, verdict: ROOT_MISSING})]),
    )

    const body = notificationBody(change, run)

    expect(body).to.deep.include({
      archive: '/srv/bootdiag',
      event: 'became-failure',
      lastStage: 'initramfs',
      outcome: 'initramfs-failure',
      runStartedAt: '2026-11-25T11:00:00.000Z',
      signature: ROOT_MISSING.signature,
      snapshot: change.snapshot,
      summary: ROOT_MISSING.summary,
      tool: 'bootdiag/0.2.0',
    })
    expect(body.vm).to.deep.include({name: 'web-01', resourceGroup: 'rg-web'})
    expect(body.previousVerdict).to.deep.include({outcome: 'booted', snapshot: '20261125T100000Z'})
    expect(body.text).to.equal(
      `bootdiag: web-01 (rg-web) now fails — boot stopped in initramfs-failure: ALERT! UUID=6b1c1c3e-5a7e-4c3e-9a52-b007ab1ab001 does not exist. Dropping to a shell! (line 812); before: booted. Snapshot: ${change.snapshot}`,
    )
    expect(JSON.parse(JSON.stringify(body))).to.deep.equal(body)
  })

  it('a VM failing differently names the signature it had; a first snapshot says so', () => {
    const changes = verdictChanges(
      summaryOf([
        vmLine({
          name: 'db-01',
          previous: {outcome: ROOT_MISSING.outcome, signature: ROOT_MISSING.signature},
          verdict: PANIC,
        }),
        vmLine({name: 'new-01', previous: null, verdict: PANIC}),
      ]),
    )

    expect(notificationText(changes[0])).to.match(
      /^bootdiag: db-01 \(rg-web\) fails differently — .*; before: initramfs-failure: ALERT! UUID=… does not exist/,
    )
    expect(notificationText(changes[1])).to.include('; before: first snapshot.')
  })

  it('a log line cannot ping a channel, break the line or run on: escaped, flattened, bounded', () => {
    expect(safeLine('panic <!channel> & <https://evil.example|click>\r\nnext\tline')).to.equal(
      'panic &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt; next line',
    )
    const long = safeLine('x'.repeat(5000))
    expect(long.length).to.equal(600)
    expect(long.endsWith('…')).to.equal(true)
  })

  it('many changes at once: one digest, grouped by signature, the biggest group first', () => {
    const vms = [
      ...Array.from({length: 7}, (_, i) =>
        vmLine({name: `web-${i}`, previous: {outcome: 'booted'}, verdict: ROOT_MISSING}),
      ),
      ...Array.from({length: 3}, (_, i) => vmLine({name: `db-${i}`, previous: {outcome: 'booted'}, verdict: PANIC})),
    ]

    const digest = digestBody(verdictChanges(summaryOf(vms)), run)

    expect(digest).to.deep.include({count: 10, event: 'many-changes'})
    expect(digest.groups.map((group) => [group.signature, group.vms, group.examples.length])).to.deep.equal([
      [ROOT_MISSING.signature, 7, 5],
      [PANIC.signature, 3, 3],
    ])
    expect(digest.text).to.equal(
      `bootdiag: 10 VMs now fail or fail differently: ${ROOT_MISSING.signature} — 7 VMs; ${PANIC.signature} — 3 VMs.`,
    )
  })
})
