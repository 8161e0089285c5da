/**
 * The HTML report of `bootdiag analyze --html`: self-contained (nothing to fetch), every piece of log
 * text escaped, a timeline chart per session, the screenshot embedded. (test/e2e/analyze-html.test.ts
 * opens it in Chromium.)
 */
import {expect} from 'chai'
import {PNG} from 'pngjs'

import {escapeHtml, isPng, renderAnalysisHtml, tickStep, timelineLanes} from '../../../src/output/analysis-html.js'
import {
  HOSTILE_SCRIPT,
  SAS_SECRET,
  emergencyReport,
  emergencySession,
  emptyReport,
  hostileReport,
  untimedBootReport,
} from '../../helpers/analysis-reports.js'

const generatedAt = new Date('2026-03-04T05:06:07Z')

function tinyPng(): Buffer {
  const png = new PNG({height: 2, width: 3})
  png.data.fill(200)
  return PNG.sync.write(png)
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0
}

describe('analysis HTML report', () => {
  describe('given a log with a clean reboot and then a boot into emergency mode, and a screenshot', () => {
    const screenshot = tinyPng()
    const html = renderAnalysisHtml(emergencyReport(), {generatedAt, screenshotPng: screenshot, version: '0.1.0'})

    it('when rendered, then it is one HTML document whose policy forbids scripts and any fetch', () => {
      expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).to.equal(true)
      expect(html).to.include(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
      )
      expect(html.trimEnd().endsWith('</html>')).to.equal(true)
    })

    it('then it references nothing outside itself: no script, stylesheet link, font or remote image', () => {
      expect(html).not.to.match(/<script/i)
      expect(html).not.to.match(/<link/i)
      expect(html).not.to.match(/@import|@font-face|url\((?!#)/i)
      for (const [, value] of html.matchAll(/\bsrc="([^"]*)"/g)) expect(value).to.match(/^data:image\/png;base64,/)
      for (const [, value] of html.matchAll(/\bhref="([^"]*)"/g))
        expect(value).to.match(/^(#session-\d+|https:\/\/learn\.microsoft\.com\/)/)
    })

    it('then the verdict is the heading and the title', () => {
      expect(html).to.include('<header class="verdict bad">')
      expect(html).to.include(
        '<h1><span class="outcome">emergency-mode</span> — <span class="summary">boot stopped in emergency-mode: Dependency failed for /data (line 1391)</span></h1>',
      )
      expect(html).to.include('<title>bootdiag: emergency-mode — /var/tmp/vm1/serial.log</title>')
    })

    it('then an overview links to each session, and each session has its section', () => {
      expect(html).to.include('<a href="#session-1">1</a>')
      expect(html).to.include('<a href="#session-2">2</a>')
      expect(html).to.include('<section class="session ok" id="session-1">')
      expect(html).to.include('<section class="session bad" id="session-2">')
      expect(count(html, /<section/g)).to.equal(count(html, /<\/section>/g))
    })

    it('then each session has a timeline chart as inline SVG with a lane per stage', () => {
      expect(count(html, /<svg /g)).to.equal(2)
      expect(count(html, /<\/svg>/g)).to.equal(2)
      const second = html.slice(html.indexOf('id="session-2"'))
      expect(second).to.include('<text class="stage" x="160" y="42" text-anchor="end">firmware</text>')
      expect(second).to.include('<rect class="bar last bad"')
      // firmware has no kernel timestamp: its bar is hatched (an inline style, so the CSS cannot win)
      expect(second).to.include('<rect class="bar" style="fill:url(#hatch-2)" x="170.0"')
      expect(second).to.include('<pattern id="hatch-2"')
      expect(second).to.include('>not reached</text>')
      expect(second).to.include('systemd-services: first seen on line 1010, at 3.400 s, spent 92.6 s')
    })

    it('then the evidence, findings and advice with its Microsoft article are shown', () => {
      expect(html).to.include(
        '<span class="ln">1391</span><span class="tx">[DEPEND] Dependency failed for /data.</span>',
      )
      expect(html).to.include('<strong>A mount in /etc/fstab failed: /data</strong>')
      expect(html).to.include(
        '<a href="https://learn.microsoft.com/troubleshoot/azure/virtual-machines/linux/linux-virtual-machine-cannot-start-fstab-errors" rel="noopener noreferrer" target="_blank">',
      )
    })

    it('then the screenshot is embedded as a data: URI', () => {
      expect(html).to.include(`src="data:image/png;base64,${screenshot.toString('base64')}"`)
    })

    it('then the footer says when it was made and by which version', () => {
      expect(html).to.include('Made by bootdiag 0.1.0 on 2026-03-04T05:06:07.000Z.')
    })
  })

  describe("given the analyser's optional fields (folded findings, summaries, omissions)", () => {
    const report = emergencyReport()
    Object.assign(report, {sessionsOmitted: 2})
    Object.assign(report.sessions[0], {summary: 'reboot: reboot: Restarting system (line 639)'})
    Object.assign(report.sessions[1], {findingsOmitted: 1})
    Object.assign(report.sessions[1].findings[1], {
      count: 12,
      lastLine: 1399,
      lastText: '[ TIME ] Timed out waiting for device <ffff>.',
    })
    const html = renderAnalysisHtml(report, {generatedAt})

    it('when rendered, then the omitted sessions and findings are counted', () => {
      expect(html).to.include('4 boot sessions (the 2 oldest left out)')
      expect(html).to.include('… and 1 more finding not kept by the analyser.')
    })

    it('then a folded finding shows how often and its last line, escaped', () => {
      expect(html).to.include('start-job-timeout · line 1390 · 12 times, last on line 1399')
      expect(html).to.include(
        '<span class="ln">1399</span><span class="tx">[ TIME ] Timed out waiting for device &lt;ffff&gt;.</span>',
      )
    })

    it('then an earlier session shows its own summary', () => {
      expect(html).to.include('<p class="summary-line">reboot: Restarting system (line 639)</p>')
    })
  })

  describe('given hostile log text', () => {
    const html = renderAnalysisHtml(hostileReport(), {generatedAt})

    it('when rendered, then markup in the log is escaped wherever it appears', () => {
      expect(html).not.to.include(HOSTILE_SCRIPT)
      expect(html).not.to.include('<img src=x')
      expect(html).not.to.include('<iframe')
      expect(html).not.to.include('<b>bold</b>')
      expect(html).not.to.include('<a href="http://evil')
      expect(html).to.include('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;')
      expect(html).to.include(
        '&lt;/pre&gt;&lt;/svg&gt;&lt;/textarea&gt;&lt;!-- &amp; &quot;quotes&quot; &#39;single&#39;',
      )
    })

    it('then a docs link that is not https is not a link', () => {
      expect(html).not.to.include('javascript:')
    })

    it('then no control character or bidi override is written, and secrets are redacted', () => {
      expect(html).not.to.match(/[\u0000-\u0008\u000B-\u001F\u007F\u202E]/)
      expect(html).not.to.include(SAS_SECRET)
      expect(html).to.include('ext.zip?&lt;redacted&gt;')
    })

    it('then the page title and file path are escaped too', () => {
      expect(html).to.include(
        '<title>bootdiag: emergency-mode — /tmp/&lt;script&gt;x&lt;/script&gt;/serial.log</title>',
      )
    })
  })

  describe('given a screenshot file that is not a PNG', () => {
    it('when rendered, then no image is embedded and the page says why', () => {
      const html = renderAnalysisHtml(emergencyReport(), {
        generatedAt,
        screenshotPng: Buffer.from('<svg onload=alert(1)>'),
      })
      expect(html).not.to.include('<img')
      expect(html).to.include('is not a PNG image')
    })
  })

  describe('given a boot without kernel timestamps', () => {
    it('when rendered, then the stages are drawn in order and the caption says not to scale', () => {
      const html = renderAnalysisHtml(untimedBootReport(), {generatedAt})
      expect(html).to.include('in order, not to scale (no kernel timestamps)')
      expect(html).to.include('stages are shown in the order they were reached, not to scale')
      expect(html).to.include('<rect class="bar last ok"')
    })
  })

  describe('given an empty log', () => {
    it('when rendered, then the page says there is no session and what to do', () => {
      const html = renderAnalysisHtml(emptyReport(), {generatedAt})
      expect(html).to.include('<span class="outcome">no-output</span>')
      expect(html).to.include('<h2>No boot session in this log</h2>')
      expect(html).to.include('Check the screenshot')
      expect(html).not.to.include('<svg')
    })
  })

  describe('timeline lanes', () => {
    it('given a boot stuck in systemd-services, the lanes are the stages reached and then the missing ones to the login prompt', () => {
      const lanes = timelineLanes(emergencySession())
      expect(lanes.map((lane) => [lane.stage, lane.reached])).to.deep.equal([
        ['firmware', true],
        ['kernel', true],
        ['initramfs', true],
        ['switch-root', true],
        ['systemd-services', true],
        ['login-prompt', false],
      ])
      expect(lanes[0]).to.include({start: 0, timed: false})
      expect(lanes[2]).to.include({spent: 1.4, start: 1.6, timed: true})
    })

    it('given stages with times but no durations, the time spent is the gap to the next stage', () => {
      const session = emergencySession()
      session.durations = {}
      const lanes = timelineLanes(session)
      expect(lanes[1].spent).to.be.closeTo(1.6, 1e-9)
      expect(lanes[4].spent).to.equal(undefined)
    })

    it('picks round tick steps', () => {
      expect(tickStep(92.6)).to.equal(20)
      expect(tickStep(4)).to.equal(1)
      expect(tickStep(0.3)).to.be.closeTo(0.1, 1e-12)
    })
  })

  describe('helpers', () => {
    it('escapeHtml escapes the five characters that matter', () => {
      expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal(
        '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
      )
    })

    it('isPng checks the signature', () => {
      expect(isPng(tinyPng())).to.equal(true)
      expect(isPng(Buffer.from('BM\u0000\u0000'))).to.equal(false)
      expect(isPng(undefined)).to.equal(false)
    })
  })
})
