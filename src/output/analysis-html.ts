/**
 * The HTML report of `bootdiag analyze --html FILE`: one self-contained page (inline CSS and SVG, no
 * script, no external font, image or link to load) with the verdict, a timeline chart of the stages of
 * each boot session, its evidence, findings and advice, and the screenshot as a data: URI beside the text
 * read from it and the screen's verdict.
 *
 * Pure: (report, options) -> string. Log text is untrusted: everything passes through `printable`
 * (control characters, secrets) and `escapeHtml`, and a Content-Security-Policy that allows no script
 * and no fetch backs that up. Only https links to articles are made clickable; none is loaded.
 */
import {STAGES, isHealthyOutcome} from '../analysis/types.js'
import type {Finding, Session, Stage} from '../analysis/types.js'
import type {ScreenReading} from '../screen/types.js'
import type {AnalyzeOutput} from '../services/analyze/analyze-target.js'
import {
  LOW_CONFIDENCE,
  formatBytes,
  formatDuration,
  formatSeconds,
  nextSteps,
  outcomeAdvice,
  printable,
  safeDocsUrl,
  sessionHeadline,
  verdictHeadline,
} from './analysis-text.js'

export interface AnalysisHtmlOptions {
  /** when the report was made, shown in the footer */
  generatedAt: Date
  /** the screenshot as PNG, embedded in the page (ignored unless it is a PNG) */
  screenshotPng?: Buffer
  /** the bootdiag version, shown in the footer */
  version?: string
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Escape text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** Untrusted text, made printable and escaped. */
function t(text: string): string {
  return escapeHtml(printable(text))
}

export function isPng(bytes: Buffer | undefined): bytes is Buffer {
  return Boolean(
    bytes && bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE),
  )
}

export function renderAnalysisHtml(report: AnalyzeOutput, options: AnalysisHtmlOptions): string {
  const healthy = isHealthyOutcome(report.verdict.outcome)
  const source = report.source === '-' ? 'stdin' : report.source
  const sessions = report.sessions ?? []
  const omitted = report.sessionsOmitted ?? 0
  const count = sessions.length + omitted
  const body: string[] = []
  const what = report.sessions
    ? `${report.lines ?? 0} line${report.lines === 1 ? '' : 's'} · ${formatBytes(report.bytes)} · ${count} boot session${count === 1 ? '' : 's'}${
        omitted > 0 ? ` (the ${omitted} oldest left out)` : ''
      }`
    : `${formatBytes(report.bytes)} · a screenshot, no serial log`
  const decided = report.verdict.decidedBy ? ` · verdict from <b>${t(WITNESS[report.verdict.decidedBy])}</b>` : ''

  body.push(
    `<header class="verdict ${healthy ? 'ok' : 'bad'}">`,
    `<div class="mark" aria-hidden="true">${healthy ? '✓' : '✗'}</div>`,
    '<div>',
    `<h1><span class="outcome">${t(report.verdict.outcome)}</span> — <span class="summary">${t(verdictHeadline(report))}</span></h1>`,
    `<p class="meta">${t(source)} · ${what}${report.verdict.lastStage ? ` · last stage <b>${t(report.verdict.lastStage)}</b>` : ''}${decided}</p>`,
    '</div>',
    '</header>',
    '<main>',
  )

  if (sessions.length > 1) body.push(sessionsOverview(sessions))
  const screenTold = report.screen !== undefined && report.screen.state !== 'unknown'
  if (report.sessions && sessions.length === 0 && !screenTold) {
    const general = outcomeAdvice(report.verdict.outcome)
    const advice = report.verdict.advice || general.advice
    body.push('<section class="session bad">', '<h2>No boot session in this log</h2>')
    if (advice) body.push('<h3>What to do next</h3>', '<ol class="next">', adviceItem(advice, general.docs), '</ol>')
    body.push('</section>')
  }

  if (options.screenshotPng !== undefined || report.screen || report.screenUnread)
    body.push(screenshotSection(options.screenshotPng, report.screen, report.screenUnread))
  const verdictSession = report.verdict.log ? report.verdict.log.session : report.verdict.session
  for (const session of sessions) body.push(sessionSection(session, count, verdictSession === session.index))

  body.push(
    '</main>',
    `<footer>Made by bootdiag${options.version ? ` ${t(options.version)}` : ''} on ${t(options.generatedAt.toISOString())}. ` +
      'This page is self-contained: it loads nothing from the network. Line numbers are those of the analysed log.</footer>',
  )

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>bootdiag: ${t(report.verdict.outcome)} — ${t(source)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** Who gave the verdict, in words. */
const WITNESS: Record<NonNullable<AnalyzeOutput['verdict']['decidedBy']>, string> = {
  both: 'both witnesses',
  screenshot: 'the screenshot',
  'serial-log': 'the serial log',
}

function sessionsOverview(sessions: Session[]): string {
  const rows = sessions.map((session) => {
    const ok = isHealthyOutcome(session.outcome)
    return (
      `<tr><td><a href="#session-${session.index + 1}">${session.index + 1}</a></td>` +
      `<td>${session.startLine}–${session.endLine}</td><td>${session.kernel ? t(session.kernel) : '–'}</td>` +
      `<td><span class="badge ${ok ? 'ok' : 'bad'}">${t(session.outcome)}</span></td>` +
      `<td>${session.lastStage ? t(session.lastStage) : '–'}</td><td>${session.findings.length}</td></tr>`
    )
  })
  return [
    '<section class="overview">',
    '<h2>Boot sessions</h2>',
    '<table><thead><tr><th>#</th><th>lines</th><th>kernel</th><th>outcome</th><th>last stage</th><th>findings</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
    '</section>',
  ].join('\n')
}

/** The screenshot beside what was read off it: the screen's kind, state, codes, progress, text and advice. */
function screenshotSection(
  png: Buffer | undefined,
  screen: ScreenReading | undefined,
  unread: string | undefined,
): string {
  const out = ['<section class="screenshot">', '<h2>Screenshot</h2>', '<div class="screen-grid">']
  if (png === undefined) {
    out.push('<p class="note">No screenshot image to show.</p>')
  } else if (isPng(png)) {
    out.push(
      '<figure>',
      `<img alt="The VM's screen when the snapshot was taken" src="data:image/png;base64,${png.toString('base64')}">`,
      '<figcaption>The screen when the snapshot was taken. A GRUB rescue prompt, a Windows stop error or a firmware error shows only here, not in the serial log.</figcaption>',
      '</figure>',
    )
  } else {
    out.push('<p class="note">The screenshot is not a PNG image; it was left out.</p>')
  }

  out.push('<div class="screen-reading">')
  if (screen) {
    const cls = screen.state === 'healthy' ? 'ok' : screen.state === 'failed' ? 'bad' : 'wait'
    out.push(
      `<p><span class="badge ${cls}">${t(screen.kind)}</span> <span class="badge ${cls}">${t(screen.state)}</span> <span class="dim">${t(screen.os)}${screen.reader ? ` · ${t(READER[screen.reader] ?? screen.reader)}` : ''}</span></p>`,
      `<p class="screen-summary">${t(screen.summary)}</p>`,
    )
    const facts: string[] = []
    if (screen.codes.length > 0)
      facts.push(`<tr><th>codes</th><td>${screen.codes.map((code) => `<code>${t(code)}</code>`).join(', ')}</td></tr>`)
    if (screen.percent !== null) facts.push(`<tr><th>progress</th><td>${screen.percent}%</td></tr>`)
    if (screen.outcome)
      facts.push(
        `<tr><th>outcome</th><td>${t(screen.outcome)}${screen.stage ? ` (stage ${t(screen.stage)})` : ''}</td></tr>`,
      )
    if (facts.length > 0) out.push(`<table class="screen-facts">${facts.join('')}</table>`)
    if (screen.advice || safeDocsUrl(screen.docs))
      out.push(
        '<h3>What to do next</h3>',
        '<ol class="next">',
        adviceItem(screen.advice ?? 'Read the article.', screen.docs),
        '</ol>',
      )
  } else if (unread) {
    out.push(`<p class="note">The screenshot was not read: ${t(unread)}.</p>`)
  }

  out.push('</div>', '</div>')
  // the text read, under both: as wide as the page, line by line as on the screen
  if (screen) {
    if (screen.lines.length > 0) {
      out.push(
        '<h3>Text read</h3>',
        `<pre class="log screen-text">${screen.lines
          .map(
            (line, index) =>
              `<span class="ln">${index + 1}</span><span class="tx${line.confidence < LOW_CONFIDENCE ? ' unsure' : ''}" title="confidence ${Math.round(line.confidence * 100)}%">${t(line.text)}</span>`,
          )
          .join('\n')}</pre>`,
      )
    } else {
      out.push('<p class="note">No text was read off this screen.</p>')
    }
  }

  out.push('</section>')
  return out.join('\n')
}

const READER: Record<string, string> = {
  'console-font': "read by the console's font",
  none: 'no text read',
  ocr: 'read by OCR',
}

function sessionSection(session: Session, count: number, isVerdict: boolean): string {
  const ok = isHealthyOutcome(session.outcome)
  const meaning = outcomeAdvice(session.outcome).meaning
  const meta = [
    `lines ${session.startLine}–${session.endLine}`,
    `kernel ${session.kernel ? t(session.kernel) : 'unknown'}`,
  ]
  if (session.partial) meta.push('partial: the log began mid-boot')
  if (isVerdict && count > 1) meta.push('latest: the verdict comes from this session')
  const out = [
    `<section class="session ${ok ? 'ok' : 'bad'}" id="session-${session.index + 1}">`,
    `<h2>Session ${session.index + 1} of ${count} <span class="badge ${ok ? 'ok' : 'bad'}">${t(session.outcome)}</span></h2>`,
    `<p class="meta">${meta.join(' · ')}</p>`,
    `<p class="outcome-line">${escapeHtml(capitalise(meaning))}${session.lastStage ? `; last stage <b>${t(session.lastStage)}</b>` : ''}.</p>`,
  ]
  // The verdict's session has its summary in the page heading already.
  const headline = isVerdict ? undefined : sessionHeadline(session)
  if (headline) out.push(`<p class="summary-line">${t(headline)}</p>`)

  if (session.stages.length > 0) {
    out.push('<h3>Stages</h3>', `<figure class="timeline">${timelineSvg(session)}</figure>`, stagesTable(session))
  } else {
    out.push('<p class="note">No boot or shutdown stage was seen in this session.</p>')
  }

  if (session.evidence.length > 0) {
    out.push('<h3>Evidence</h3>', logBlock(session.evidence))
  }

  if (session.findings.length > 0) {
    const findings = [...session.findings].sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.line - b.line,
    )
    out.push('<h3>Findings</h3>', '<ul class="findings">')
    for (const finding of findings) out.push(findingItem(finding))
    out.push('</ul>')
  }

  const omittedFindings = session.findingsOmitted ?? 0
  if (omittedFindings > 0) {
    out.push(
      `<p class="note">… and ${omittedFindings} more finding${omittedFindings === 1 ? '' : 's'} not kept by the analyser.</p>`,
    )
  }

  const steps = nextSteps(session)
  if (steps.length > 0) {
    out.push(
      '<h3>What to do next</h3>',
      '<ol class="next">',
      ...steps.map((step) => adviceItem(step.advice, step.docs)),
      '</ol>',
    )
  }

  out.push('</section>')
  return out.join('\n')
}

function findingItem(finding: Finding): string {
  const where = [t(finding.category), `line ${finding.line}`]
  if (finding.count && finding.count > 1)
    where.push(`${finding.count} times${finding.lastLine ? `, last on line ${finding.lastLine}` : ''}`)
  const lines = [{line: finding.line, text: finding.text}]
  if (finding.lastLine && finding.lastText && finding.lastLine !== finding.line)
    lines.push({line: finding.lastLine, text: finding.lastText})
  return [
    `<li class="sev-${t(finding.severity)}">`,
    `<p><span class="sev">${t(finding.severity)}</span> <strong>${t(finding.title)}</strong> <span class="dim">${where.join(' · ')}</span></p>`,
    logBlock(lines),
    '</li>',
  ].join('\n')
}

function adviceItem(advice: string, docs: string | undefined): string {
  const link = safeDocsUrl(docs)
  return `<li>${t(advice)}${link ? ` <a href="${escapeHtml(link)}" rel="noopener noreferrer" target="_blank">${t(articleName(link))}</a>` : ''}</li>`
}

/** "linux-no-boot-dracut" -> "Microsoft article: linux-no-boot-dracut". */
function articleName(url: string): string {
  const last = new URL(url).pathname.split('/').findLast(Boolean) ?? url
  return new URL(url).hostname.endsWith('microsoft.com') ? `Microsoft article: ${last}` : `Article: ${last}`
}

function logBlock(lines: Array<{line: number; text: string}>): string {
  const rows = lines.map((entry) => `<span class="ln">${entry.line}</span><span class="tx">${t(entry.text)}</span>`)
  return `<pre class="log">${rows.join('\n')}</pre>`
}

function stagesTable(session: Session): string {
  const rows = session.stages.map((reached) => {
    const spent = session.durations[reached.stage]
    const last = reached.stage === session.lastStage
    return (
      `<tr${last ? ' class="last"' : ''}><td>${t(reached.stage)}</td><td class="num">${reached.line}</td>` +
      `<td class="num">${reached.time === null ? '–' : formatSeconds(reached.time)}</td>` +
      `<td class="num">${spent === undefined ? '–' : formatDuration(spent)}</td></tr>`
    )
  })
  return [
    '<table class="stages">',
    '<thead><tr><th>stage</th><th>first line</th><th>kernel time</th><th>time spent</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------------
// Timeline: one lane per stage, a bar from the stage's first kernel time for the time spent in it.
// Without kernel timestamps the stages are drawn in order, one slot each, and the caption says so.

interface Lane {
  stage: Stage
  reached: boolean
  line?: number
  start?: number
  spent?: number
  timed: boolean
}

const SVG_WIDTH = 760
const LABEL_WIDTH = 170
const RIGHT_WIDTH = 90
const CHART_WIDTH = SVG_WIDTH - LABEL_WIDTH - RIGHT_WIDTH
const LANE_HEIGHT = 24
const AXIS_HEIGHT = 26

export function timelineLanes(session: Session): Lane[] {
  const reached = session.stages
  const lanes: Lane[] = []
  let clock = 0
  for (const [i, stage] of reached.entries()) {
    const next = reached[i + 1]
    const known = session.durations[stage.stage]
    const spent =
      known ??
      (stage.time !== null && next?.time !== null && next !== undefined
        ? Math.max(0, next.time - stage.time)
        : undefined)
    const start = stage.time ?? clock
    lanes.push({line: stage.line, reached: true, spent, stage: stage.stage, start, timed: stage.time !== null})
    clock = Math.max(clock, start + (spent ?? 0))
  }

  // Where a boot failed, show the stages it never reached, up to the login prompt.
  const last = session.lastStage ?? reached.at(-1)?.stage
  if (!isHealthyOutcome(session.outcome) && last && last !== 'shutdown') {
    const seen = new Set(reached.map((r) => r.stage))
    for (const stage of STAGES.slice(STAGES.indexOf(last) + 1, STAGES.indexOf('login-prompt') + 1)) {
      if (!seen.has(stage)) lanes.push({reached: false, stage, timed: false})
    }
  }

  return lanes
}

/** A round tick step giving about five ticks over [0, max]. */
export function tickStep(max: number): number {
  const raw = max / 5
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const factor of [1, 2, 5, 10]) if (power * factor >= raw) return power * factor
  return power * 10
}

export function timelineSvg(session: Session): string {
  const lanes = timelineLanes(session)
  const reached = lanes.filter((lane) => lane.reached)
  const timed = reached.some((lane) => lane.timed)
  const ok = isHealthyOutcome(session.outcome)
  const height = AXIS_HEIGHT + lanes.length * LANE_HEIGHT + 6
  const maxTime = timed ? Math.max(...reached.map((lane) => (lane.start ?? 0) + (lane.spent ?? 0)), 0.001) : 0
  const slot = CHART_WIDTH / Math.max(1, reached.length)
  const x = (seconds: number) => LABEL_WIDTH + (seconds / maxTime) * CHART_WIDTH
  const last = session.lastStage ?? reached.at(-1)?.stage
  const parts: string[] = []

  const label = timed
    ? `Timeline of session ${session.index + 1}: stages by kernel time, ${reached.length} reached, outcome ${session.outcome}`
    : `Stages of session ${session.index + 1} in order (no kernel timestamps), outcome ${session.outcome}`
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SVG_WIDTH} ${height}" width="${SVG_WIDTH}" height="${height}" role="img" aria-label="${escapeHtml(label)}">`,
    `<title>${escapeHtml(label)}</title>`,
    `<defs><pattern id="hatch-${session.index + 1}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>`,
  )

  // Axis.
  if (timed) {
    const step = tickStep(maxTime)
    for (let tick = 0; tick <= maxTime + step / 1000; tick += step) {
      const tx = x(tick)
      parts.push(
        `<line class="grid" x1="${tx.toFixed(1)}" y1="${AXIS_HEIGHT - 4}" x2="${tx.toFixed(1)}" y2="${height - 4}"/>`,
        `<text class="tick" x="${tx.toFixed(1)}" y="${AXIS_HEIGHT - 9}" text-anchor="middle">${escapeHtml(trimNumber(tick))} s</text>`,
      )
    }
  } else {
    parts.push(
      `<text class="tick" x="${LABEL_WIDTH}" y="${AXIS_HEIGHT - 9}">in order, not to scale (no kernel timestamps)</text>`,
    )
  }

  for (const [i, lane] of lanes.entries()) {
    const y = AXIS_HEIGHT + i * LANE_HEIGHT
    const mid = y + LANE_HEIGHT / 2
    parts.push(
      `<text class="stage${lane.reached ? '' : ' missing'}" x="${LABEL_WIDTH - 10}" y="${mid + 4}" text-anchor="end">${escapeHtml(lane.stage)}</text>`,
    )
    if (!lane.reached) {
      const from = timed ? x(maxTime) : LABEL_WIDTH + reached.length * slot
      parts.push(
        `<text class="missing" x="${Math.min(from + 6, LABEL_WIDTH + CHART_WIDTH - 70).toFixed(1)}" y="${mid + 4}">not reached</text>`,
      )
      continue
    }

    const isLast = lane.stage === last
    let bx: number
    let bw: number
    if (timed) {
      bx = x(lane.start ?? 0)
      bw = Math.max(3, x((lane.start ?? 0) + (lane.spent ?? 0)) - bx)
    } else {
      const index = reached.indexOf(lane)
      bx = LABEL_WIDTH + index * slot + 1
      bw = Math.max(3, slot - 2)
    }

    const cls = isLast ? (ok ? 'bar last ok' : 'bar last bad') : 'bar'
    const fill = timed && !lane.timed ? ` style="fill:url(#hatch-${session.index + 1})"` : ''
    const tip = [
      `${lane.stage}: first seen on line ${lane.line}`,
      lane.timed && lane.start !== undefined ? `at ${formatSeconds(lane.start)}` : 'no kernel timestamp',
      lane.spent === undefined ? '' : `spent ${formatDuration(lane.spent)}`,
    ]
      .filter(Boolean)
      .join(', ')
    parts.push(
      `<rect class="${cls}"${fill} x="${bx.toFixed(1)}" y="${y + 5}" width="${bw.toFixed(1)}" height="${LANE_HEIGHT - 10}" rx="2"><title>${escapeHtml(tip)}</title></rect>`,
    )
    if (isLast && !ok) {
      const mx = Math.min(bx + bw + 9, LABEL_WIDTH + CHART_WIDTH + 12)
      parts.push(`<text class="stop" x="${mx.toFixed(1)}" y="${mid + 5}" text-anchor="middle">✗</text>`)
    }

    const right = lane.spent === undefined ? '–' : formatDuration(lane.spent)
    parts.push(`<text class="spent" x="${SVG_WIDTH - 4}" y="${mid + 4}" text-anchor="end">${escapeHtml(right)}</text>`)
  }

  parts.push('</svg>')
  const ending = ok ? `Outcome: ${session.outcome}.` : `Stopped${last ? ` in ${last}` : ''}: ${session.outcome}.`
  const how = timed
    ? "Bars start at the stage's first kernel time and last for the time spent in it; hatched bars had no timestamp."
    : 'The log has no kernel timestamps: stages are shown in the order they were reached, not to scale.'
  return `${parts.join('')}<figcaption>${escapeHtml(`${ending} ${how}`)}</figcaption>`
}

function trimNumber(value: number): string {
  return String(Number(value.toFixed(3)))
}

function severityRank(severity: string): number {
  return ({critical: 0, error: 1, info: 3, warning: 2} as Record<string, number>)[severity] ?? 4
}

function capitalise(text: string): string {
  // "systemd" is a name and keeps its lower case.
  return text.startsWith('systemd') ? text : text.charAt(0).toUpperCase() + text.slice(1)
}

const CSS = `
:root{--fg:#1d2330;--dim:#5d6678;--bg:#fff;--panel:#f5f7fa;--line:#d9dee7;--ok:#1a7f37;--ok-bg:#e6f4ea;--bad:#c62828;--bad-bg:#fdecea;--warn:#9a6700;--bar:#4a7dd6;--hatch:#c9d6ee}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ef;--dim:#9aa3b5;--bg:#14171d;--panel:#1d222b;--line:#2e3541;--ok:#4cc26d;--ok-bg:#15301f;--bad:#ff6b6b;--bad-bg:#3a1b1b;--warn:#e3b341;--bar:#6c9cf0;--hatch:#2c3a55}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.verdict{display:flex;gap:16px;align-items:center;padding:18px 28px;border-bottom:1px solid var(--line)}
header.verdict.ok{background:var(--ok-bg)}header.verdict.bad{background:var(--bad-bg)}
.mark{font-size:34px;font-weight:700;line-height:1}.ok .mark{color:var(--ok)}.bad .mark{color:var(--bad)}
h1{font-size:20px;margin:0}h1 .outcome{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.verdict.ok .outcome{color:var(--ok)}.verdict.bad .outcome{color:var(--bad)}
h2{font-size:18px;margin:0 0 4px}h3{font-size:15px;margin:18px 0 6px}
.meta,.dim,.note,figcaption,footer{color:var(--dim)}.meta{margin:2px 0 0;overflow-wrap:anywhere}
main{max-width:1040px;margin:0 auto;padding:8px 28px 24px}
section{margin:20px 0;padding:16px 20px;background:var(--panel);border:1px solid var(--line);border-radius:8px}
section.session.bad{border-left:4px solid var(--bad)}section.session.ok{border-left:4px solid var(--ok)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font:600 13px ui-monospace,Menlo,Consolas,monospace;vertical-align:middle}
.badge.ok{background:var(--ok-bg);color:var(--ok)}.badge.bad{background:var(--bad-bg);color:var(--bad)}
table{border-collapse:collapse;font-size:14px}th,td{padding:3px 12px 3px 0;text-align:left;border-bottom:1px solid var(--line)}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.last td{font-weight:600}
a{color:var(--bar)}
figure{margin:0}.timeline svg{max-width:100%;height:auto;display:block}
.timeline .grid{stroke:var(--line);stroke-width:1}.timeline .tick,.timeline .spent{font-size:11px;fill:var(--dim)}
.timeline .stage{font-size:13px;fill:var(--fg);font-family:ui-monospace,Menlo,Consolas,monospace}
.timeline .missing{font-size:12px;fill:var(--dim);font-style:italic}
.timeline .bar{fill:var(--bar)}.timeline .bar.last.ok{fill:var(--ok)}.timeline .bar.last.bad{fill:var(--bad)}
.timeline .stop{fill:var(--bad);font-size:16px;font-weight:700}.hatch-bg{fill:var(--hatch)}.hatch-line{stroke:var(--bar);stroke-width:2}
pre.log{margin:6px 0;padding:8px 10px;background:var(--bg);border:1px solid var(--line);border-radius:6px;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
pre.log .ln{display:inline-block;min-width:5ch;margin-right:1.5ch;text-align:right;color:var(--dim);user-select:none}
ul.findings{list-style:none;padding:0;margin:0}ul.findings li{margin:0 0 10px}ul.findings p{margin:0}
.sev{display:inline-block;min-width:64px;font:700 12px ui-monospace,Menlo,Consolas,monospace;text-transform:uppercase}
.sev-critical .sev,.sev-error .sev{color:var(--bad)}.sev-warning .sev{color:var(--warn)}.sev-info .sev{color:var(--dim)}
ol.next{margin:0;padding-left:22px}ol.next li{margin:0 0 6px}
.screenshot img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;image-rendering:pixelated;background:#000}
.screen-grid{display:grid;grid-template-columns:minmax(0,640px) minmax(0,1fr);gap:20px;align-items:start}
@media (max-width:900px){.screen-grid{grid-template-columns:minmax(0,1fr)}}
.screen-reading p{margin:0 0 6px}.screen-summary{font-weight:600}
.badge.wait{background:var(--panel);color:var(--warn);border:1px solid var(--line)}
.screen-facts th{font-weight:600;color:var(--dim);padding-right:12px}
pre.screen-text .tx.unsure{color:var(--dim);font-style:italic}
footer{max-width:1040px;margin:0 auto;padding:0 28px 28px;font-size:13px}
@media print{section{break-inside:avoid}}
`.trim()
