/**
 * What a VM's screen does across snapshots (DESIGN.md, "The screenshot"): one screenshot shows one moment,
 * so a reboot loop or a boot that hangs on a transient screen only shows across the archive's snapshots.
 * Pure: the snapshots' screen readings (snapshot.json `analysis.screen`) in, a pattern out.
 *
 * - `cycling`: since the screen was last healthy, it left a screen and came back to it (boot logo → stop
 *   error → boot logo, or error → boot → error) with a failure among them: a reboot loop.
 * - `stuck`: the newest screens are one and the same in-progress screen (same kind and summary, so an
 *   update whose percentage moves is progress, not stuck) for longer than a boot takes (STUCK_AFTER_MS):
 *   "Please wait for the Group Policy Client" for an hour.
 * - null: neither (healthy, a single failure, progress, or not enough snapshots to tell).
 */

/** Longer than any boot takes on the same in-progress screen: stuck. */
export const STUCK_AFTER_MS = 30 * 60 * 1000

/** The screen of one snapshot, as snapshot.json's `analysis.screen` keeps it. */
export interface TimelineScreen {
  kind: string
  state: string
  summary: string
  codes?: string[]
}

export interface TimelineSnapshot {
  /** when the snapshot was taken (snapshot.json `takenAt`) */
  takenAt: string | Date
  /** its screen's reading; null or absent when the snapshot has no screenshot or it was not read */
  screen?: TimelineScreen | null
}

export interface ScreenTimeline<T extends TimelineSnapshot = TimelineSnapshot> {
  pattern: 'cycling' | 'stuck' | null
  /** the snapshots that show the pattern, oldest first (none when there is no pattern) */
  snapshots: T[]
  /** how long the pattern has lasted: from its first snapshot to the newest (or `seenUntil`) */
  durationMs: number
  /** one line for people, null when there is no pattern */
  summary: string | null
}

export interface ScreenTimelineOptions {
  /** in-progress on the same screen for longer than this: stuck (default STUCK_AFTER_MS) */
  stuckAfterMs?: number
  /**
   * The last time the newest screen was seen unchanged, when later than the newest snapshot: an archive
   * writes no snapshot while the screenshot stays the same, so its last run's time tells how long it stayed.
   */
  seenUntil?: string | Date
}

export function screenTimeline<T extends TimelineSnapshot>(
  snapshots: readonly T[],
  options: ScreenTimelineOptions = {},
): ScreenTimeline<T> {
  const read = snapshots
    .filter((snapshot): snapshot is T & {screen: TimelineScreen} => Boolean(snapshot.screen))
    .map((snapshot) => ({at: time(snapshot.takenAt), snapshot}))
    .filter((entry) => Number.isFinite(entry.at))
    .sort((a, b) => a.at - b.at)
  const none: ScreenTimeline<T> = {durationMs: 0, pattern: null, snapshots: [], summary: null}
  if (read.length === 0) return none
  const newest = read.at(-1)!
  const until = Math.max(newest.at, options.seenUntil === undefined ? newest.at : time(options.seenUntil))

  // stuck: the newest screens are one in-progress screen, for too long
  const key = screenKey(newest.snapshot.screen)
  let first = read.length - 1
  while (first > 0 && screenKey(read[first - 1].snapshot.screen) === key) first--
  const stuckFor = until - read[first].at
  if (newest.snapshot.screen.state === 'in-progress' && stuckFor > (options.stuckAfterMs ?? STUCK_AFTER_MS)) {
    const same = read.slice(first).map((entry) => entry.snapshot)
    return {
      durationMs: stuckFor,
      pattern: 'stuck',
      snapshots: same,
      summary: `stuck on the same screen for ${duration(stuckFor)}: ${newest.snapshot.screen.kind}: ${newest.snapshot.screen.summary} (${count(same.length)})`,
    }
  }

  // cycling: since the last healthy screen, a screen left and came back, with a failure among them
  let start = read.length
  while (start > 0 && read[start - 1].snapshot.screen.state !== 'healthy') start--
  const run = read.slice(start)
  const kinds = run
    .map((entry) => screenKey(entry.snapshot.screen, false))
    .filter((kind, i, all) => kind !== all[i - 1])
  const returned = kinds.some((kind, i) => kinds.indexOf(kind) < i)
  const failed = run.filter((entry) => entry.snapshot.screen.state === 'failed')
  if (returned && failed.length > 0) {
    const shown = run.map((entry) => entry.snapshot)
    const screens = [...new Set(run.map((entry) => describe(entry.snapshot.screen)))]
    const durationMs = until - run[0].at
    return {
      durationMs,
      pattern: 'cycling',
      snapshots: shown,
      summary: `reboot loop: the screen cycles between ${screens.join(', ')} (${count(shown.length)} over ${duration(durationMs)})`,
    }
  }

  return none
}

/** Same screen: same kind and summary (percentages, service names and codes are in the summary). */
function screenKey(screen: TimelineScreen, withSummary = true): string {
  return withSummary ? `${screen.kind}\u0000${screen.summary}` : screen.kind
}

function describe(screen: TimelineScreen): string {
  return screen.codes?.length ? `${screen.kind} (${screen.codes.join(', ')})` : screen.kind
}

function time(value: string | Date): number {
  return value instanceof Date ? value.getTime() : Date.parse(value)
}

function count(snapshots: number): string {
  return `${snapshots} snapshot${snapshots === 1 ? '' : 's'}`
}

/** 95 min → "1 h 35 min"; 20 min → "20 min". */
function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`
}
