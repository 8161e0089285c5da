/**
 * The screen reader's vocabulary and its JSON contract (the `screen` field of `bootdiag analyze -o json`).
 * Names follow docs/DESIGN.md ("The screenshot"); fields may be added, none renamed. Nothing here knows Azure,
 * oclif or the file system.
 */
import type {Outcome, Stage} from '../analysis/types.js'

export const SCREEN_OSES = ['linux', 'windows', 'firmware', 'unknown'] as const
export type ScreenOs = (typeof SCREEN_OSES)[number]

export const SCREEN_STATES = ['healthy', 'failed', 'in-progress', 'unknown'] as const
export type ScreenState = (typeof SCREEN_STATES)[number]

export const SCREEN_KINDS = [
  // Linux
  'linux-login-prompt',
  'linux-kernel-panic',
  'linux-emergency',
  'linux-initramfs-shell',
  'linux-grub-menu',
  'linux-grub-rescue',
  'linux-grub-shell',
  'linux-grub-error',
  'linux-console',
  // Windows
  'win-login-healthy',
  'win-booting',
  'win-getting-ready',
  'win-updating',
  'win-update-rollback',
  'win-policy-wait',
  'win-chkdsk',
  'win-shutting-down',
  'win-stop-error',
  'win-boot-manager-error',
  'win-recovery-screen',
  'win-boot-menu',
  'win-bitlocker-recovery',
  'win-setup-error',
  'win-bootmgr-missing',
  'win-disk-read-error',
  'win-not-bootable-disk',
  'win-boot-device-missing',
  // firmware
  'uefi-boot-summary',
  'uefi-pxe-boot',
  // other
  'blank',
  'unknown',
] as const
export type ScreenKind = (typeof SCREEN_KINDS)[number]

/** One line of text read off the screen, top to bottom. */
export interface ScreenLine {
  text: string
  /** 0..1: how sure the reader is of this line's characters */
  confidence: number
}

/** What identified the screen: a line read and the catalogue string, pattern or log rule it matched. */
export interface ScreenEvidence {
  /** 0-based index into `lines` */
  line: number
  text: string
  /** the catalogue string or pattern, or the log analyser's rule id */
  match: string
  /** the log rule's title, for evidence from the log catalogue */
  title?: string
}

/** How the text was read: the console's own font, a general OCR engine, or not at all (blank, no text). */
export const SCREEN_READERS = ['console-font', 'ocr', 'none'] as const
export type ScreenReader = (typeof SCREEN_READERS)[number]

/** What the screenshot shows (docs/DESIGN.md, "The screenshot"). */
export interface ScreenReading {
  os: ScreenOs
  kind: ScreenKind
  state: ScreenState
  /** the outcome the screen implies, when it implies one (a stop error: kernel-panic) */
  outcome: Outcome | null
  /** the stage the screen implies, when it implies one */
  stage: Stage | null
  /** stop codes in Windows' spelling, status/error codes, GRUB's error text */
  codes: string[]
  /** progress shown on screen (update or crash-dump %), else null */
  percent: number | null
  lines: ScreenLine[]
  /** one line, like the log verdict's */
  summary: string
  /** what to do next, when the kind has advice */
  advice?: string
  /** the Microsoft troubleshooting article for this kind of screen */
  docs?: string
  /** the lines that identified the kind (and, for console text, the log catalogue's findings) */
  evidence?: ScreenEvidence[]
  /** how the text was read */
  reader?: ScreenReader
}
