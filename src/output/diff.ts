/** `bootdiag diff` for people: how B relates to A, the verdicts, then the sessions and findings new in B. */
import type {SnapshotDiff} from '../services/history/diff.js'
import {shortTime} from './report.js'

export function formatDiff(diff: SnapshotDiff, color: boolean): string {
  const bold = (text: string) => (color ? `\u001B[1m${text}\u001B[22m` : text)
  const sideLine = (tag: string, side: SnapshotDiff['a']) =>
    `${tag} ${side.snapshot}${side.takenAt ? ` (${shortTime(side.takenAt)})` : ''}: ${side.outcome}${side.lastStage ? ` at ${side.lastStage}` : ''}, ${side.lines} lines, ${side.sessions} session${side.sessions === 1 ? '' : 's'}`
  const relation = {
    grown: "B's log is A's with more after it",
    replaced: "B's log is another log (A's was replaced)",
    same: 'the two logs are the same',
  }[diff.relation]
  const lines = [
    sideLine('A', diff.a),
    sideLine('B', diff.b),
    relation + (diff.verdictChanged ? '; the verdict changed.' : '.'),
  ]
  lines.push(
    '',
    bold(
      `New in B: ${diff.sessions.length} session${diff.sessions.length === 1 ? '' : 's'}, ${diff.findings.length} finding${diff.findings.length === 1 ? '' : 's'}`,
    ),
  )
  for (const session of diff.sessions)
    lines.push(
      `  session ${session.index + 1} (${session.status}, lines ${session.startLine}-${session.endLine}${session.kernel ? `, kernel ${session.kernel}` : ''}): ${session.outcome}${session.lastStage ? ` at ${session.lastStage}` : ''}`,
    )
  for (const finding of diff.findings)
    lines.push(`  line ${finding.line} [${finding.category}, ${finding.severity}] ${finding.title}: ${finding.text}`)
  return lines.join('\n')
}
