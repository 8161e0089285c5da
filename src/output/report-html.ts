/**
 * `bootdiag report --html FILE`: one self-contained page (inline CSS and SVG, no script, nothing to load)
 * — the fleet overview, the failures grouped by signature, reboot loops and stuck screens, and a row per VM
 * with its latest screenshot as a thumbnail, its state, since when, what changed, and its timeline of
 * snapshots (a strip of coloured marks; the list in a <details>).
 *
 * Pure: (page, options) -> string. Every text from the archive passes through `printable` and escapeHtml,
 * and a Content-Security-Policy that allows no script and no fetch backs that up.
 */
import {indexVmKey} from '../store/index/records.js'
import type {ReportPage, TimelineEntry} from '../services/report/report-page.js'
import type {ReportVm} from '../services/report/report.js'
import {isFailure, stateOf} from '../services/report/report.js'
import {escapeHtml} from './analysis-html.js'
import {printable} from './analysis-text.js'
import {countsLine, describeChange, shortTime} from './report.js'

export interface ReportHtmlOptions {
  version?: string
}

function t(text: string | null | undefined): string {
  return escapeHtml(printable(text ?? ''))
}

/** The colour class of a state: healthy, failure, disabled or unknown. */
function tone(outcome: string | null, disabled = false): string {
  if (disabled) return 'disabled'
  if (outcome === null) return 'unknown'
  return isFailure(outcome) ? 'failure' : 'healthy'
}

const CSS = `
:root{color-scheme:light;--fg:#1b1f24;--muted:#5b636e;--line:#d9dee4;--ok:#1f883d;--bad:#cf222e;--off:#8c959f;--unk:#bf8700}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:var(--fg);background:#f6f8fa}
header,main,footer{max-width:1280px;margin:0 auto;padding:16px 24px}header h1{margin:0 0 4px;font-size:22px}
.muted{color:var(--muted)}section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:16px 0;padding:12px 16px}
h2{font-size:16px;margin:4px 0 10px}.counts{display:flex;flex-wrap:wrap;gap:8px;margin:0;padding:0;list-style:none}
.counts li{border-radius:16px;padding:3px 12px;color:#fff;font-weight:600}.healthy{background:var(--ok)}.failure{background:var(--bad)}
.disabled{background:var(--off)}.unknown{background:var(--unk)}table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-top:1px solid var(--line)}th{font-size:12px;color:var(--muted);border-top:0}
td.thumb{width:172px}td.thumb img{display:block;width:160px;height:auto;border:1px solid var(--line);border-radius:4px;background:#000}
.state{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-weight:600;white-space:nowrap}
.badge{display:inline-block;border:1px solid var(--bad);color:var(--bad);border-radius:4px;padding:0 4px;margin-left:4px;font-size:12px}
code,.sig{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:break-word}
svg.timeline{display:block;margin:2px 0}svg.timeline rect.healthy{fill:var(--ok)}svg.timeline rect.failure{fill:var(--bad)}
svg.timeline rect.unknown{fill:var(--unk)}details summary{cursor:pointer;color:var(--muted)}details table td{font-size:12px;padding:2px 6px}
ul.vms{margin:4px 0 0;padding-left:18px}td.nowrap{white-space:nowrap}
`

export function renderReportHtml(page: ReportPage, options: ReportHtmlOptions = {}): string {
  const {report} = page
  const total = report.vms.length
  const title = `bootdiag fleet report — ${total} VM${total === 1 ? '' : 's'}`
  const counts = Object.entries(report.counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(
      ([state, n]) =>
        `<li class="${tone(state === 'none' ? null : state, state === 'disabled')}">${n} ${t(state)}</li>`,
    )
    .join('')
  const groups = report.groups
    .map(
      (group) =>
        `<tr><td class="sig">${t(group.signature)}</td><td>${group.count}</td><td>${t(shortTime(group.since))}</td><td>${vmList(group.vms)}</td></tr>`,
    )
    .join('')
  const loops = report.rebootLoops
    .map(
      (vm) =>
        `<li>${t(vm.name)} <span class="muted">(${t(vm.resourceGroup)})</span>: ${vm.snapshots} snapshots since ${t(shortTime(vm.since))}</li>`,
    )
    .join('')
  const stuck = report.stuck
    .map(
      (vm) =>
        `<li>${t(vm.name)} <span class="muted">(${t(vm.resourceGroup)})</span>: since ${t(shortTime(vm.since))}</li>`,
    )
    .join('')
  const rows = report.vms.map((vm) => vmRow(vm, page)).join('\n')
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${t(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${t(title)}</h1><div class="muted">${t(countsLine(report.counts))} · archive ${t(report.archive)} · ${t(shortTime(page.generatedAt))}</div></header>`,
    '<main>',
    `<section class="overview"><h2>Overview</h2><ul class="counts">${counts}</ul></section>`,
    groups
      ? `<section class="groups"><h2>Failures by signature</h2><table><thead><tr><th>Signature</th><th>VMs</th><th>Since</th><th>Which</th></tr></thead><tbody>${groups}</tbody></table></section>`
      : '',
    loops ? `<section class="loops"><h2>Reboot loops</h2><ul>${loops}</ul></section>` : '',
    stuck ? `<section class="stuck"><h2>Stuck on the same screen</h2><ul>${stuck}</ul></section>` : '',
    `<section class="fleet"><h2>VMs</h2>${page.thumbnailsOmitted ? `<p class="muted">${page.thumbnailsOmitted} screenshots not shown (failing VMs first).</p>` : ''}<table class="vms"><thead><tr><th>Screen</th><th>VM</th><th>State</th><th>Since</th><th>Changed</th><th>Verdict</th><th>Timeline</th></tr></thead><tbody>${rows}</tbody></table></section>`,
    '</main>',
    `<footer class="muted">bootdiag${options.version ? ` ${t(options.version)}` : ''} · from the archive's index</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

function vmList(vms: Array<{name: string; resourceGroup: string}>): string {
  const shown = vms.slice(0, 12).map((vm) => `${t(vm.name)} <span class="muted">(${t(vm.resourceGroup)})</span>`)
  return shown.join(', ') + (vms.length > shown.length ? `, and ${vms.length - shown.length} more` : '')
}

function vmRow(vm: ReportVm, page: ReportPage): string {
  const key = indexVmKey(vm)
  const thumb = page.thumbnails[key]
  const state = stateOf(vm)
  const badges =
    (vm.rebootLoop ? '<span class="badge">reboot loop</span>' : '') +
    (vm.stuck ? '<span class="badge">stuck</span>' : '')
  const timeline = page.timelines[key] ?? []
  return [
    `<tr class="vm" data-state="${t(state)}">`,
    `<td class="thumb">${thumb ? `<img alt="latest screenshot of ${t(vm.name)}" src="data:image/png;base64,${thumb}">` : '<span class="muted">no screenshot</span>'}</td>`,
    `<td class="nowrap"><strong>${t(vm.name)}</strong><br><span class="muted">${t(vm.resourceGroup)}</span></td>`,
    `<td><span class="state ${tone(vm.outcome, vm.bootDiagnostics === 'disabled')}">${t(state)}</span>${badges}</td>`,
    `<td class="nowrap">${t(shortTime(vm.since))}</td>`,
    `<td>${t(describeChange(vm.changed))}</td>`,
    `<td>${vm.signature ? `<div class="sig">${t(vm.signature)}</div>` : ''}<div class="muted">${t(vm.summary)}</div></td>`,
    `<td>${timelineStrip(timeline)}${timelineList(timeline)}</td>`,
    '</tr>',
  ].join('')
}

function entryTitle(entry: TimelineEntry): string {
  return `${shortTime(entry.takenAt)} ${entry.reason}: ${entry.outcome ?? 'no verdict'}${entry.signature ? ` — ${entry.signature}` : ''}`
}

function timelineStrip(timeline: TimelineEntry[]): string {
  if (timeline.length === 0) return ''
  const width = timeline.length * 10
  const marks = timeline
    .map(
      (entry, i) =>
        `<rect class="${tone(entry.outcome)}" x="${i * 10}" y="0" width="8" height="14" rx="2"><title>${t(entryTitle(entry))}</title></rect>`,
    )
    .join('')
  return `<svg class="timeline" role="img" aria-label="${timeline.length} snapshots" width="${width}" height="14" viewBox="0 0 ${width} 14">${marks}</svg>`
}

function timelineList(timeline: TimelineEntry[]): string {
  if (timeline.length === 0) return ''
  const rows = [...timeline]
    .reverse()
    .map(
      (entry) =>
        `<tr><td>${t(shortTime(entry.takenAt))}</td><td>${t(entry.reason)}</td><td>${t(entry.outcome ?? '')}</td><td>${t(describeChange(entry.changed))}</td></tr>`,
    )
    .join('')
  return `<details><summary>${timeline.length} snapshot${timeline.length === 1 ? '' : 's'}</summary><table>${rows}</table></details>`
}
