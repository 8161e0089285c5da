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
import type {FindingCategory, Outcome, RepairAction, Severity, Stage} from '../types.js'

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
  /**
   * The stage a match proves was reached, whatever the log showed before (a kernel message proves the
   * kernel ran; systemd's "Failed to start" proves its services were starting; an emergency prompt, that
   * systemd got that far). When the rule's `outcomeInInitramfs` applies, the match proves `initramfs`
   * instead. `systemd-services` proven this way is, like systemd's own status lines, inert inside the
   * initramfs and may still be taken back by a later initramfs marker (see StageMarkerRecord.initrdToo).
   */
  implies?: Stage
  /**
   * The outcome holds only if the session never reaches this stage, before the match or after it: a
   * crash after provisioning is done is no provisioning failure, and a step the agent retries may still
   * succeed.
   */
  unless?: Stage
}

/**
 * What a stage marker means beyond "this stage was reached":
 * - `firmware-start`: the banner a firmware or boot loader prints once when it starts (SeaBIOS, U-Boot,
 *   coreboot's bootblock, OpenSBI); opens a new session when the current one got past its stage, and when
 *   the same banner (its `banner` group, else its match) comes again: the machine was reset, whether or
 *   not a kernel started in between
 * - `prelude`: firmware or boot loader output; opens a new session when the current one got past the kernel
 * - `kernel-start`: early kernel output; opens a new session when the current one got past the kernel
 * - `kernel-banner`: `Linux version …`; always a new kernel, unless it is user space printing it again
 * - `booted`: systemd's final target (multi-user, graphical), or another init's console coming up
 * - `powered-off` / `restarted`: the kernel's last words (`reboot: Power down`, `reboot: Restarting system`)
 * - `powering-off` / `restarting`: user space's last words (systemd-shutdown, sysvinit's halt script): the
 *   shutdown completed if a new boot follows; a log that ends there ends in a shutdown the kernel never
 *   confirmed
 * - `alive`: user space answering (a shell prompt): progress, and nothing else — no stage, no session (a
 *   hang reported before it has cleared; an emergency shell is still an emergency shell)
 */
export type MarkerRole =
  | 'firmware-start'
  | 'prelude'
  | 'kernel-start'
  | 'kernel-banner'
  | 'booted'
  | 'powered-off'
  | 'restarted'
  | 'powering-off'
  | 'restarting'
  | 'alive'

export interface StageMarkerRecord {
  id: string
  stage: Stage
  pattern: string
  anchors?: readonly string[]
  role?: MarkerRole
  /** stages during which this marker does not move the session on */
  inertIn?: readonly Stage[]
  /**
   * The initrd prints this too (systemd's status lines, udev's start): inert in the initramfs, and when it
   * moves a session on from before the initramfs (a quiet boot shows no kernel or initramfs lines), the
   * stage is tentative: a later initramfs or switch-root marker shows it was the initrd's, and takes it back.
   */
  initrdToo?: boolean
  /**
   * The stage it reaches is tentative wherever the session is: the line may be the initrd's own (systemd
   * starting, before it says "Running in initrd"), and a later initramfs marker takes it back.
   */
  mayBeInitrd?: boolean
}

/**
 * An entry of the advice catalogue (advice.ts): what to do next about findings of some rules, or about
 * sessions that ended in some outcomes, where its conditions hold.
 */
export interface AdviceRecord {
  /** kebab-case, unique; names its fixtures test/fixtures/advice/<id>.log and <id>.not.log */
  id: string
  /** findings of these rules */
  rules?: readonly string[]
  /** sessions that ended in one of these outcomes */
  outcomes?: readonly Outcome[]
  /** (outcomes) the finding that explains the outcome is of one of these categories */
  causeCategories?: readonly FindingCategory[]
  /** (outcomes) the failure came before the boot completed (true), or after it (false) */
  beforeBoot?: boolean
  /** what the finding (for an outcome: its cause) names must match this regular expression */
  subject?: string
  /** ...and must not match this one */
  notSubject?: string
  /** the advice; `{subject}` is what the finding (or the cause) names */
  text: string
  /** what `{subject}` reads when nothing is named; without it, the entry applies only where something is */
  unnamed?: string
  /** the troubleshooting article for this failure */
  docs?: string
  /** the Azure Linux Auto Repair action that fixes it (its commands are added to the advice) */
  repair?: RepairAction
}
