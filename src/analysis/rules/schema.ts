/**
 * The shapes of the analyser's data: failure signatures (rules) and stage markers. Both are plain
 * records with their pattern as a string; catalogue.ts validates and compiles them once.
 *
 * A pattern is a JavaScript regular expression matched against ONE decoded, cleaned line (ANSI
 * sequences, NULs and carriage returns already removed). Patterns must stay linear on long lines:
 * bound every quantifier that can be followed by a failing part (`.{0,200}` rather than `.*`).
 *
 * Anchors are literal pieces, at least one of which every match contains. The reader looks for all
 * anchors at once, in the raw bytes (one Aho-Corasick pass), and only lines holding one reach the
 * patterns. An anchor must therefore be free of ANSI sequences in the raw log: pick text that systemd
 * does not colour (e.g. `Dependency failed for`, not the unit name). When `anchors` is omitted, the
 * longest mandatory literal run of the pattern is used.
 */
import type {FindingCategory, Outcome, Severity, Stage} from '../types.js'

export interface RuleRecord {
  /** kebab-case, unique; names the fixture test/fixtures/rules/<id>.log */
  id: string
  category: FindingCategory
  /** the stage where this signature usually shows */
  stage: Stage
  severity: Severity
  /** regular expression source; a named group `subject` names what failed (used to group repeats) */
  pattern: string
  anchors?: readonly string[]
  title: string
  /** what to do next */
  advice: string
  /** a learn.microsoft.com troubleshooting article, when one fits */
  docs?: string
  /** the outcome this signature proves when the boot shows no progress past it (see verdict.ts) */
  outcome?: Outcome
  /** the outcome instead, when the signature shows before the real root took over (before switch-root) */
  outcomeInInitramfs?: Outcome
  /** ids of more generic rules that this one replaces when both match the same line */
  supersedes?: readonly string[]
}

/**
 * What a stage marker means beyond "this stage was reached":
 * - `prelude`: firmware or boot loader starting; opens a new session when the current one got past them
 * - `kernel-start`: early kernel output; opens a new session when the current one got past the kernel
 * - `kernel-banner`: `Linux version …`; always a new kernel, unless it is user space printing it again
 * - `booted`: systemd's final target (multi-user, graphical)
 * - `powered-off` / `restarted`: the last words of a shutdown
 */
export type MarkerRole = 'prelude' | 'kernel-start' | 'kernel-banner' | 'booted' | 'powered-off' | 'restarted'

export interface StageMarkerRecord {
  id: string
  stage: Stage
  pattern: string
  anchors?: readonly string[]
  role?: MarkerRole
  /** stages during which this marker does not move the session on (generic systemd lines in an initrd) */
  inertIn?: readonly Stage[]
}
