/**
 * What `archive --notify` POSTs: one JSON body per VM whose verdict became a failure or whose failure
 * signature changed — the VM, the new verdict (outcome, last stage, signature, summary), the snapshot, the
 * previous verdict — with a one-line `text` that Slack and Teams incoming webhooks show as the message.
 * When a run finds more changes than one message each is worth (an incident across the fleet), one digest
 * instead, grouped by signature.
 */
import type {PreviousVerdict} from '../services/archive/archive-vm.js'
import type {VerdictChange, VerdictChangeKind} from '../services/alerts/verdict-changes.js'

/** Where the run was, for the messages. */
export interface MessageRun {
  /** the archive: a folder, or a container URL (never a SAS) */
  archive: string
  startedAt: string
  toolVersion: string
}

export interface NotificationBody {
  /** one line, for Slack (`text`) and Teams (`text` of a simple card) */
  text: string
  event: VerdictChangeKind
  vm: VerdictChange['vm']
  outcome: string
  lastStage: string | null
  signature: string | null
  summary: string
  snapshot: string
  previousVerdict: PreviousVerdict | null
  archive: string
  runStartedAt: string
  tool: string
}

export interface DigestBody {
  text: string
  event: 'many-changes'
  /** VMs that became failures or changed signature */
  count: number
  groups: Array<{signature: string | null; outcome: string; vms: number; examples: string[]}>
  archive: string
  runStartedAt: string
  tool: string
}

const MAX_TEXT = 600

export function notificationBody(change: VerdictChange, run: MessageRun): NotificationBody {
  return {
    archive: run.archive,
    event: change.kind,
    lastStage: change.lastStage,
    outcome: change.outcome,
    previousVerdict: change.previous,
    runStartedAt: run.startedAt,
    signature: change.signature,
    snapshot: change.snapshot,
    summary: change.summary,
    text: notificationText(change),
    tool: `bootdiag/${run.toolVersion}`,
    vm: change.vm,
  }
}

/** `bootdiag: web-01 (rg-web) now fails — <summary>; before: booted. Snapshot: <where>` */
export function notificationText(change: VerdictChange): string {
  const who = `${change.vm.name} (${change.vm.resourceGroup})`
  const before = previousText(change.previous)
  const what = change.kind === 'signature-changed' ? 'fails differently' : 'now fails'
  const line = `bootdiag: ${who} ${what} — ${change.summary}; before: ${before}. Snapshot: ${change.snapshot}`
  return safeLine(line)
}

function previousText(previous: PreviousVerdict | null): string {
  if (!previous) return 'first snapshot'
  if (!previous.outcome) return 'no verdict'
  return previous.signature ?? previous.outcome
}

/** One message for many changes: counts per signature, a few VM names each. */
export function digestBody(changes: VerdictChange[], run: MessageRun): DigestBody {
  const groups = new Map<string, DigestBody['groups'][number]>()
  for (const change of changes) {
    const key = change.signature ?? change.outcome
    const group = groups.get(key) ?? {examples: [], outcome: change.outcome, signature: change.signature, vms: 0}
    group.vms++
    if (group.examples.length < 5) group.examples.push(`${change.vm.name} (${change.vm.resourceGroup})`)
    groups.set(key, group)
  }

  const sorted = [...groups.values()].sort((a, b) => b.vms - a.vms)
  const top = sorted
    .slice(0, 3)
    .map((group) => `${group.signature ?? group.outcome} — ${group.vms} VM${group.vms === 1 ? '' : 's'}`)
  const more = sorted.length > 3 ? `; and ${sorted.length - 3} more signatures` : ''
  return {
    archive: run.archive,
    count: changes.length,
    event: 'many-changes',
    groups: sorted,
    runStartedAt: run.startedAt,
    text: safeLine(`bootdiag: ${changes.length} VMs now fail or fail differently: ${top.join('; ')}${more}.`),
    tool: `bootdiag/${run.toolVersion}`,
  }
}

/**
 * One line a chat shows as text: no control characters or line breaks, `&`, `<` and `>` escaped (Slack
 * reads `<!channel>` and `<url|label>` as commands and links; a boot log must not ping anyone), bounded.
 */
export function safeLine(text: string): string {
  const flat = text
    .replaceAll(/[\u0000-\u001F\u007F]+/g, ' ')
    .replaceAll(/\s+/g, ' ')
    .trim()
  const bounded = flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat
  return bounded.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
