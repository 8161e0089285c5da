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
  /** a kernel timestamp at the start of the line, optionally after a `<6>` log level */
  kernelTime: /^(?:<\d{1,3}>)?\[\s{0,12}(\d{1,9}\.\d{6})\]/,
  /** what precedes a message: kernel timestamp (and caller id, CPU), systemd status (`[DEPEND] `) */
  prefix:
    /^(?:<\d{1,3}>)?(?:\[\s{0,12}\d{1,9}\.\d{6}\](?:\[\s{0,8}[CT]\d{1,8}\])?\s{0,2}(?:\d{3}: )?)?(?:\[[ *A-Z]{1,8}\]\s{0,2})?/,
  /**
   * What a capture tool on the other end of the serial line puts in front of every line, one of:
   * - the `> ` of a log quoted in a mail;
   * - grabserial's / minicom's `[absolute delta] `;
   * - a date and time (conserver, ipmitool, ts, rsyslog): `[2024-01-02 03:04:05] `,
   *   `2024-01-02T03:04:05.123456+00:00 `;
   * - a time of day with a fraction (KernelCI's and LAVA's text logs, tio): `03:04:05.123456  `,
   *   `[03:04:05.123] `;
   * - a `Jan  2 03:04:05` date (moreutils' ts), then in a syslog or journal line the host and its tag:
   *   an optional `<13>` priority first, and the tag goes when it has no pid (`kernel: `, `console: `;
   *   `systemd[1]: ` is the message's, as the console shows it; `host login: ` is a prompt), or RFC 5424's `<13>1 2024-01-02T03:04:05.123Z host app procid msgid - `.
   * A kernel's own `<6>[    1.234567]` is not one: its priority is followed by a timestamp, not a date.
   */
  capturePrefix:
    /^(?:(?:> ?)+|\[\d{1,9}\.\d{3,9} {1,2}\d{1,9}\.\d{3,9}\] ?|\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?\]? {1,2}(?=\S)|\[?\d\d:\d\d:\d\d[.,]\d{3,9}\]? {1,2}(?=\S)|(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:[\w.-]{1,64} (?!login:)(?:[\w./@-]{1,48}: |(?=[\w./@-]{1,48}\[\d{1,10}\]: )))?(?=\S)|<\d{1,3}>1 \S{1,40} \S{1,64} \S{1,48} \S{1,32} \S{1,32} (?:-|\[[^\]]{0,500}\]) ?)/,
} as const

/** Separates the redrawn pieces of a cleaned line (see cleanLine). */
export const PIECE_SEPARATOR = '\r'

/** The longest text kept for a finding or an evidence line. */
export const MAX_TEXT_LENGTH = 500

const ESC = 0x1b
const CR = 0x0d
const TAB = 0x09
const BS = 0x08
const SPACE = 0x20
const DEL = 0x7f
/** UTF-8 "…", what systemd meant where a cp1252 round trip left U+0085 */
const ELLIPSIS = [0xe2, 0x80, 0xa6]
let scratch = Buffer.alloc(4096)

/**
 * Decode and clean one line, `source[start..end)` without its '\n', in one pass over the bytes:
 * - ANSI sequences go: CSI `ESC [ params intermediates final` (possibly cut short), OSC `ESC ] … BEL`,
 *   and two-byte escapes like `ESC M` (reverse index) and `ESC c`;
 * - a carriage return starts a redrawn piece (systemd redraws its status line this way, and kernel
 *   messages land in the middle of it), and so does a terminal reset (`ESC c`) or a screen clear
 *   (`ESC [2J`: what comes next is a new screen, e.g. a getty or systemd starting on a console that a
 *   boot loader left mid-line): blank pieces go, the others are kept, separated by one '\r'
 *   (PIECE_SEPARATOR) for the caller to read one by one;
 * - a backspace takes back the character before it (iPXE and spinners erase text this way);
 * - NUL and other C0 controls but tab, DEL and C1 controls are dropped (U+0085 becomes "…");
 * - the rest is UTF-8, decoded leniently (invalid bytes become U+FFFD, never an exception);
 * - `doubled`: the line was written twice, character by character (two consoles on one port).
 */
export function cleanLine(source: Buffer, start = 0, end = source.length, doubled = false): string {
  while (end > start && source[end - 1] === CR) end--
  if (scratch.length < end - start + 8) scratch = Buffer.alloc(Math.max(end - start + 8, scratch.length * 2))
  const out = scratch
  let length = 0
  let highBytes = false
  let pieceStart = 0
  let pieceHasText = false
  let separator = -1
  for (let index = start; index < end; index++) {
    const byte = source[index]
    if (byte === ESC && !clearsScreen(source, index, end)) {
      index = skipEscape(source, index, end)
    } else if (byte === CR || byte === ESC) {
      // a carriage return, or a terminal reset or screen clear (what follows is drawn anew)
      if (byte === ESC) index = skipEscape(source, index, end)
      if (pieceHasText) {
        separator = length
        out[length++] = CR
        pieceStart = length
        pieceHasText = false
      } else {
        length = pieceStart
      }
    } else if (byte >= SPACE && byte !== DEL) {
      if (byte >= 0x80) {
        highBytes = true
        const next = index + 1 < end ? source[index + 1] : 0
        if (byte === 0xc2 && next >= 0x80 && next <= 0x9f) {
          index++
          if (next !== 0x85) continue
          for (const ellipsis of ELLIPSIS) out[length++] = ellipsis
          pieceHasText = true
          continue
        }
      }

      out[length++] = byte
      if (byte !== SPACE) pieceHasText = true
    } else if (byte === TAB) {
      out[length++] = byte
    } else if (byte === BS && length > pieceStart) {
      // a backspace takes back the character before it (UTF-8: all its bytes), as a terminal shows it
      do length--
      while (length > pieceStart && (out[length] & 0xc0) === 0x80)
      pieceHasText = length > pieceStart
    }
  }

  if (!pieceHasText) length = separator >= 0 && pieceStart === separator + 1 ? separator : pieceStart
  let text = highBytes ? out.toString('utf8', 0, length) : out.toString('latin1', 0, length)
  if (doubled) text = foldDoubledCharacters(text)
  return text.trimEnd()
}

/** The escape sequence at `index` resets the terminal (`ESC c`) or clears the screen (`ESC [2J`, `ESC [3J`). */
function clearsScreen(source: Buffer, index: number, end: number): boolean {
  const kind = source[index + 1]
  if (kind === 0x63) return index + 1 < end
  return (
    kind === 0x5b &&
    index + 3 < end &&
    (source[index + 2] === 0x32 || source[index + 2] === 0x33) &&
    source[index + 3] === 0x4a
  )
}

/** Index of the last byte of the escape sequence starting at `index` (the ESC). */
function skipEscape(source: Buffer, index: number, end: number): number {
  let at = index + 1
  if (at >= end) return index
  const kind = source[at]
  if (kind === 0x5b) {
    // CSI: parameters 0x30-0x3f, intermediates 0x20-0x2f, then a final byte 0x40-0x7e if present
    at++
    for (let count = 0; at < end && count < 64 && source[at] >= 0x30 && source[at] <= 0x3f; count++) at++
    for (let count = 0; at < end && count < 8 && source[at] >= 0x20 && source[at] <= 0x2f; count++) at++
    if (at < end && source[at] >= 0x40 && source[at] <= 0x7e) return at
    return at - 1
  }

  if (kind === 0x5d) {
    // OSC: up to BEL or ESC \
    for (let count = 0; at + 1 < end && count < 512; count++) {
      const byte = source[at + 1]
      if (byte === 0x07) return at + 1
      if (byte === ESC) return at + 2 < end && source[at + 2] === 0x5c ? at + 2 : at
      at++
    }

    return at
  }

  for (let count = 0; at < end && count < 4 && source[at] >= 0x20 && source[at] <= 0x2f; count++) at++
  if (at < end && source[at] >= 0x30 && source[at] <= 0x7e) return at
  return at - 1
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

/** The message of a cleaned line: without a capture tool's prefix, its kernel timestamp and systemd status prefix. */
export function messageOf(text: string): string {
  return withoutCapturePrefix(text).replace(CONSOLE_TEXT.prefix, '').trim()
}

/**
 * The line as the serial port gave it, without what a capture tool put in front (grabserial's
 * `[12.345678 0.000097] `, a date and time, a syslog date and host): the stage markers and rules read
 * console text, whatever recorded it.
 */
export function withoutCapturePrefix(text: string): string {
  // two at most: a capture of a capture (grabserial's lines forwarded by syslog)
  for (let round = 0; round < 2; round++) {
    const first = text.charCodeAt(0)
    // '[', '<', a digit, an upper-case letter or a mail quote ('>'): the only ways a capture prefix starts
    if (
      first !== 0x5b &&
      first !== 0x3c &&
      first !== 0x3e &&
      !(first >= 0x30 && first <= 0x39) &&
      !(first >= 0x41 && first <= 0x5a)
    )
      return text
    // a kernel timestamp's padding ('[    1.234567]'): no capture prefix starts '[ ' (the common case, fast)
    if (first === 0x5b && text.charCodeAt(1) === 0x20) return text
    const match = CONSOLE_TEXT.capturePrefix.exec(text)
    if (!match || match[0].length === 0) return text
    text = text.slice(match[0].length)
  }

  return text
}

/**
 * Most of these lines (the first lines of a log, as bytes read one per character) begin with a capture
 * tool's prefix: at least three with text, three in five of them prefixed.
 */
export function mostlyCapturePrefixed(lines: readonly string[]): boolean {
  let withText = 0
  let prefixed = 0
  for (const line of lines) {
    const text = line.replace(/^[\0\r]+/, '').trimEnd()
    if (text === '') continue
    withText++
    if (withoutCapturePrefix(text) !== text) prefixed++
  }

  return withText >= 3 && prefixed * 5 >= withText * 3
}

/** Text for a finding or evidence line: at most MAX_TEXT_LENGTH characters. */
export function shortText(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : `${text.slice(0, MAX_TEXT_LENGTH - 1)}…`
}
