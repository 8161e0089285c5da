/**
 * Text for a terminal that cannot steer the terminal. Names and messages reach bootdiag from Resource
 * Manager, from archives and from logs; a control character in one of them (ESC, BEL, a carriage return, a
 * newline, a C1 control, a bidirectional override) could clear the screen, retitle the window, or forge a
 * line of a cron log. Every human output shows such characters escaped, as `\x1b`, `\n`, `\u202e`.
 *
 * JSON output needs none of this (JSON escapes control characters itself); tables, tsv, notes, warnings,
 * errors, reports and progress lines go through here.
 */

/** C0 controls, DEL, C1 controls, the line and paragraph separators, bidirectional embeddings, overrides and isolates. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g
/** The same, except the newline. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g
/** bootdiag's own colours and the progress line's erase (SGR `ESC[…m`, `ESC[2K`), kept by `printableOutput`. */
const OWN_SEQUENCE = /\u001B\[[0-9;]{0,16}[mK]/y

const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

function escapeOne(char: string): string {
  const named = NAMED[char]
  if (named) return named
  const code = char.codePointAt(0)!
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** One value (a name, a message) with every control character shown escaped: it stays on one line. */
export function printable(text: string): string {
  return text.replace(CONTROL, escapeOne)
}

/** Text of several lines: each line as `printable`, the newlines between them kept. */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, escapeOne)
}

/** True when `text` holds a character `printable` would escape. */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0
  return CONTROL.test(text)
}

/**
 * A block bootdiag composed (a report, a table) whose values were made printable: the last line of defence
 * for a value that was not. Newlines and bootdiag's own colour sequences are kept; every other control
 * character is escaped, so no sequence but a colour can reach the terminal.
 */
export function printableOutput(text: string): string {
  let out = ''
  let last = 0
  CONTROL_BUT_NEWLINE.lastIndex = 0
  for (let match = CONTROL_BUT_NEWLINE.exec(text); match; match = CONTROL_BUT_NEWLINE.exec(text)) {
    const at = match.index
    if (match[0] === '\u001B') {
      OWN_SEQUENCE.lastIndex = at
      const own = OWN_SEQUENCE.exec(text)
      if (own) {
        CONTROL_BUT_NEWLINE.lastIndex = at + own[0].length
        continue
      }
    }

    out += text.slice(last, at) + escapeOne(match[0])
    last = at + 1
  }

  return last === 0 ? text : out + text.slice(last)
}
