/**
 * The shape of the screen catalogue: one record per kind of screen, as data (the same discipline as the
 * log analyser's rules). index.ts validates and compiles the records once; classify.ts is the engine.
 *
 * A screen matches a record when one of its `strings` is found in the screen's text with at most
 * (1 - threshold) of its characters edited (OCR noise), or when one of its `patterns` (regular
 * expressions, case-insensitive, matched against each line read) matches a line. Strings are compared
 * after normalisation (lower case, every run of non-alphanumerics one space), so write them as they read
 * on screen: punctuation does not matter.
 */
import type {Outcome, Stage} from '../../analysis/types.js'
import type {ScreenKind, ScreenOs, ScreenState} from '../types.js'

/**
 * How codes are read off a screen of this kind:
 * - `bug-check`: a Windows stop code name (after "Stop code:", "this error:" or alone on a line), snapped
 *   to the canonical list (bug-checks.ts), e.g. CRITICAL_PROCESS_DIED
 * - `status`: an NTSTATUS or bug check number written 0x…, normalised to lower case `0xc0000225`
 * - `update-error`: a Windows Update error written without 0x after "Error", e.g. C01A001D
 * - `grub-error`: GRUB 2's message after `error:`, snapped to GRUB's own wording when close
 * - `grub-legacy`: GRUB legacy's `Error NN`
 */
export type CodeReader = 'bug-check' | 'status' | 'update-error' | 'grub-error' | 'grub-legacy'

/** A feature of the picture itself (layout.ts) that identifies a screen with no text. */
export type PictureFeature = 'windows-logo'

export interface ScreenRecord {
  kind: ScreenKind
  os: ScreenOs
  state: ScreenState
  /** the DESIGN outcome this screen implies, when it implies one */
  outcome?: Outcome
  /** the DESIGN stage this screen implies, when it implies one */
  stage?: Stage
  /** text that identifies the screen (several wordings: older Windows versions, variants) */
  strings: readonly string[]
  /** regular expressions on one line (case-insensitive), for prompts and texts with variable parts */
  patterns?: readonly string[]
  /** a picture feature that identifies the screen when no text does */
  feature?: PictureFeature
  /** least similarity (0..1) for a string to count as found; default 0.8 */
  threshold?: number
  codes?: readonly CodeReader[]
  /** read a progress percentage ("80% complete", "(5%") */
  percent?: boolean
  /** breaks ties with other kinds of the same state: a more specific screen (GRUB rescue over GRUB error) */
  priority?: number
  /** a code found on this screen means it failed (an update error on an update screen) */
  codeMeansFailure?: boolean
  /**
   * One line for the verdict. `{codes}` becomes ": CODE, CODE" (or nothing), `{percent}` becomes
   * " (80%)" (or nothing), `{line}` the first line that identified the screen.
   */
  summary: string
  /** what to do next */
  advice: string
  /** the Microsoft troubleshooting article for this kind of screen */
  docs: string
}
