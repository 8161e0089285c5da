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

/** Azure Linux Auto Repair (ALAR) actions (`az vm repair run --run-id linux-alar2 --parameters <action>`). */
export const REPAIR_ACTIONS = [
  'fstab',
  'initrd',
  'kernel',
  'grubfix',
  'efifix',
  'serialconsole',
  'auditd',
  'corrupt',
  'sudo',
] as const
export type RepairAction = (typeof REPAIR_ACTIONS)[number]

/** A repair that fits the evidence: the ALAR action and the exact commands, in order. */
export interface Repair {
  action: RepairAction
  /** `az vm repair create …`, `az vm repair run … --parameters <action> --run-on-repair`, `az vm repair restore …` */
  commands: string[]
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
  /** the advice catalogue entry the advice comes from (rules/advice.ts), when one applies */
  adviceId?: string
  /** what the finding names: the unit, mount, device or process (the rule's `subject`), when it names one */
  subject?: string
  /** an Azure Linux Auto Repair action that fits, with its commands */
  repair?: Repair
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
  /** the troubleshooting article for this session's outcome, when one fits */
  docs?: string
  /** the advice catalogue entry the advice comes from, when one applies */
  adviceId?: string
  /** an Azure Linux Auto Repair action that fits this session's outcome */
  repair?: Repair
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
  /** the troubleshooting article for the verdict, when one fits */
  docs?: string
  /** the advice catalogue entry the advice comes from, when one applies */
  adviceId?: string
  /** an Azure Linux Auto Repair action that fits the verdict */
  repair?: Repair
  /** the last sessions are a reboot loop: the same failure boot after boot */
  rebootLoop?: RebootLoop
}

/** Boots in a row, up to the last one, that each ended without booting (DESIGN: "reboot loop"). */
export interface RebootLoop {
  /** how many boots */
  boots: number
  /** index of the first session of the loop */
  firstSession: number
  /** how they ended (one entry when they all ended the same way) */
  outcomes: Outcome[]
  /** the furthest stage any of them reached */
  lastStage: Stage | null
}

/**
 * What the input looks like, from its first bytes and its lines: a serial console log (`console`), the
 * kernel's own log (`kernel-log`: every line a kernel message, as `dmesg` prints it), a systemd journal
 * (`journal-export`: `journalctl -o export`; `journal-json`: `-o json`), compressed data (`gzip`, when it
 * reached the analyser undecompressed), other `binary` data, or nothing (`empty`).
 */
export const INPUT_KINDS = [
  'console',
  'kernel-log',
  'journal-export',
  'journal-json',
  'gzip',
  'binary',
  'empty',
] as const
export type InputKind = (typeof INPUT_KINDS)[number]

export interface InputDescription {
  kind: InputKind
  /** the log begins in the middle of a run: its first session is partial (no firmware, boot loader or kernel start before it) */
  excerpt: boolean
  /** a few words on what the input is, e.g. "gzip-compressed data" or "a PNG image" */
  description: string
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
  /** what the input looks like (a console log, a kernel log, a journal, binary data…) */
  input?: InputDescription
}
