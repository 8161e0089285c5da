/**
 * The analyser's vocabulary and its JSON contract (`bootdiag analyze -o json`). Names follow
 * docs/DESIGN.md exactly; fields may be added, none renamed. Nothing here knows Azure or oclif.
 */

/** Stages of one boot, in the order they are reached. */
export const STAGES = [
  'firmware',
  'bootloader',
  'kernel',
  'initramfs',
  'switch-root',
  'systemd-services',
  'login-prompt',
  'agent-provisioned',
  'shutdown',
] as const
export type Stage = (typeof STAGES)[number]

/** How a session ended. */
export const OUTCOMES = [
  'booted',
  'boot-stuck',
  'kernel-panic',
  'initramfs-failure',
  'emergency-mode',
  'fsck-failure',
  'bootloader-failure',
  'kernel-hang',
  'provisioning-failed',
  'shutdown-complete',
  'reboot',
  'shutdown-hung',
  'no-output',
] as const
export type Outcome = (typeof OUTCOMES)[number]

/** Outcomes that mean the machine is fine (exit code 0); every other outcome exits 3. */
export const HEALTHY_OUTCOMES: readonly Outcome[] = ['booted', 'shutdown-complete', 'reboot']

export function isHealthyOutcome(outcome: Outcome): boolean {
  return HEALTHY_OUTCOMES.includes(outcome)
}

/** Categories of findings (docs/DESIGN.md, fixed list). */
export const FINDING_CATEGORIES = [
  'panic',
  'oops',
  'hung-task',
  'soft-lockup',
  'rcu-stall',
  'oom',
  'io-error',
  'fs-error',
  'fsck',
  'mount-failure',
  'unit-failure',
  'dependency-failure',
  'start-job-timeout',
  'initramfs',
  'emergency',
  'selinux',
  'disk-full',
  'bootloader',
  'provisioning',
  'network',
  'other',
] as const
export type FindingCategory = (typeof FINDING_CATEGORIES)[number]

export type Severity = 'info' | 'warning' | 'error' | 'critical'

export interface StageReached {
  stage: Stage
  /** 1-based line of the input where the stage was first seen */
  line: number
  /** kernel timestamp in seconds (`[   12.345678]`) of that line, or null */
  time: number | null
}

export interface EvidenceLine {
  line: number
  /** decoded text, control sequences removed */
  text: string
}

export interface Finding {
  /** the catalogue rule's id */
  rule: string
  category: FindingCategory
  severity: Severity
  line: number
  text: string
  title: string
  advice: string
  /** a troubleshooting article, when one fits */
  docs?: string
  /** how many lines of this session matched this rule with the same subject (first one is `line`) */
  count?: number
  /** the last line of this session that matched it */
  lastLine?: number
  /** the text of that last line, when it differs from `text` (e.g. a stop job's growing wait) */
  lastText?: string
}

export interface Session {
  /** 0-based position of the session in the log */
  index: number
  /** the log began in the middle of this session (no kernel start seen) */
  partial: boolean
  startLine: number
  endLine: number
  /** kernel release from `Linux version X`, or null */
  kernel: string | null
  stages: StageReached[]
  lastStage: Stage | null
  outcome: Outcome
  evidence: EvidenceLine[]
  findings: Finding[]
  /** seconds spent in each stage, from kernel timestamps where present */
  durations: Partial<Record<Stage, number>>
  /** distinct findings left out because the session already holds the maximum kept */
  findingsOmitted?: number
  /** one line on where this session got to and why it stopped (the verdict's summary for the last one) */
  summary?: string
  /** what to do next about this session's outcome */
  advice?: string
}

export interface Verdict {
  outcome: Outcome
  lastStage: Stage | null
  /** index of the session the verdict comes from (the last one), or null for an empty log */
  session: number | null
  /** one line, e.g. "boot stopped in emergency-mode: Dependency failed for /data (line 812)" */
  summary: string
  /** what to do next, one or two sentences */
  advice?: string
}

export interface AnalysisReport {
  /** the file path, '-' for stdin, or the snapshot's serial.log path */
  source: string
  bytes: number
  lines: number
  sessions: Session[]
  verdict: Verdict
  /** sessions left out of `sessions` (the oldest ones) because the log holds more than the maximum kept */
  sessionsOmitted?: number
}
