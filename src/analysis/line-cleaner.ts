/**
 * Turns the raw bytes of one console line into the text a person would have seen: lenient UTF-8
 * (invalid bytes become U+FFFD, never an exception), ANSI colour and cursor sequences removed, text
 * redrawn after a carriage return kept, NULs and other control characters dropped, and characters
 * doubled by two consoles on one port folded back. Also reads the kernel's `[ 12.345678]` timestamp.
 *
 * Only lines that hold an anchor reach this module, so its cost is per interesting line, not per byte.
 */

/** The lexical patterns of console text (the failure signatures live in rules/). All linear. */
const CONSOLE_TEXT = {
  /** CSI (`ESC [ … final`, possibly cut short), OSC (`ESC ] … BEL`), and two-byte escapes (`ESC M`, `ESC c`) */
  ansi: /\x1b(?:\[[0-?]{0,64}[ -/]{0,8}[@-~]?|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?|[ -/]{0,4}[0-~])?/g,
  /** C0 controls but tab, DEL and C1 controls (NEL, U+0085, is systemd's "…" after a cp1252 round trip) */
  control: /[\x00-\x08\x0a-\x1f\x7f-\x84\x86-\x9f]/g,
  nextLine: /\x85/g,
  /** a kernel timestamp at the start of the line, optionally after a `<6>` log level */
  kernelTime: /^(?:<\d{1,3}>)?\[\s{0,12}(\d{1,9}\.\d{6})\]/,
  /** what precedes a message: kernel timestamp (and caller id, CPU), systemd status (`[DEPEND] `) */
  prefix: /^(?:<\d{1,3}>)?(?:\[\s{0,12}\d{1,9}\.\d{6}\](?:\[\s{0,8}[CT]\d{1,8}\])?\s{0,2}(?:\d{3}: )?)?(?:\[[ *A-Z]{1,8}\]\s{0,2})?/,
} as const

/** The longest text kept for a finding or an evidence line. */
export const MAX_TEXT_LENGTH = 500

export interface DecodeOptions {
  /** the line was written twice, character by character (two consoles on one serial port) */
  doubled?: boolean
}

/** Decode and clean one line's bytes (without its '\n'). */
export function cleanLine(bytes: Uint8Array, options: DecodeOptions = {}): string {
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
  if (text.includes('\x1b')) text = text.replace(CONSOLE_TEXT.ansi, '')
  if (text.includes('\r')) text = keepRedrawnText(text)
  text = text.replace(CONSOLE_TEXT.control, '')
  if (text.includes('\x85')) text = text.replace(CONSOLE_TEXT.nextLine, '…')
  if (options.doubled) text = foldDoubledCharacters(text)
  return text.trimEnd()
}

/**
 * A carriage return moves the cursor back to the start of the line: systemd redraws its status line
 * this way and kernel messages land in the middle of it. Keep every non-blank piece, joined by a
 * space, so no message is lost; a line that only ends in CRs is unchanged.
 */
function keepRedrawnText(text: string): string {
  const pieces = text.split('\r').filter((piece) => piece.trim() !== '')
  return pieces.join(' ')
}

/** "PPrroobbiinngg  EEDDDD" -> "Probing EDD": fold each pair of equal characters into one. */
export function foldDoubledCharacters(text: string): string {
  let folded = ''
  for (let index = 0; index < text.length; index++) {
    folded += text[index]
    if (text[index + 1] === text[index]) index++
  }

  return folded
}

/** The kernel timestamp of a cleaned line in seconds, or null. */
export function kernelTime(text: string): number | null {
  const match = CONSOLE_TEXT.kernelTime.exec(text)
  return match ? Number(match[1]) : null
}

/** The message of a cleaned line: without its kernel timestamp and systemd status prefix. */
export function messageOf(text: string): string {
  return text.replace(CONSOLE_TEXT.prefix, '').trim()
}

/** Text for a finding or evidence line: at most MAX_TEXT_LENGTH characters. */
export function shortText(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH - 1)}…`
}
