/**
 * What the line scanner reads: the log's bytes as a console showed them, streaming, with two repairs made
 * before any line is scanned.
 *
 * - Escape sequences go (CSI `ESC [ … final`, OSC `ESC ] … BEL`, two-byte escapes), as line-cleaner.ts
 *   drops them from a line's text: an SGR colour code between every character ("K\e[0me\e[0mr…") would
 *   otherwise hide every anchor from the scanner. No newline is ever removed, so line numbers stay those
 *   of the log.
 * - A log whose lines end with a bare carriage return (old consoles, some serial bridges) has no newline
 *   at all: when the first 64 KiB hold a carriage return and no newline, each bare carriage return ends a
 *   line (a CR LF stays one line end). Until that is known the first bytes are held back.
 *
 * The cost is one `indexOf` per chunk when it holds no escape; otherwise a copy of the text between them.
 */

const ESC = 0x1b
const CR = 0x0d
const LF = 0x0a
const BEL = 0x07
const BACKSLASH = 0x5c

/** How many bytes decide whether lines end with a bare carriage return. */
export const LINE_END_PROBE_BYTES = 64 * 1024

/** Longest parameter run of a CSI and longest OSC body, as in line-cleaner.ts. */
const MAX_CSI_PARAMETERS = 64
const MAX_CSI_INTERMEDIATES = 8
const MAX_OSC_BYTES = 512
const MAX_ESCAPE_INTERMEDIATES = 4

/** Where the filter stands in an escape sequence (one may end in the next chunk). */
const State = {
  Text: 0,
  Escape: 1,
  CsiParameters: 2,
  CsiIntermediates: 3,
  Osc: 4,
  OscEscape: 5,
  EscapeIntermediates: 6,
} as const
type State = (typeof State)[keyof typeof State]

export class InputFilter {
  private state: State = State.Text
  private count = 0
  private lineEnds: 'undecided' | 'lf' | 'cr' = 'undecided'
  private held: Buffer[] = []
  private heldBytes = 0
  private heldCarriageReturn = false
  /** in cr mode: the last byte handed on was a carriage return made a line end */
  private lastWasCr = false
  private scratch = Buffer.alloc(0)

  /**
   * The bytes to scan for this chunk of the log (none while the first bytes are held back). Valid until the
   * next call: scan them before pushing more.
   */
  push(chunk: Buffer): Buffer[] {
    const text = this.state === State.Text && chunk.indexOf(ESC) === -1 ? chunk : this.stripEscapes(chunk)
    return this.lineEndsOf(text)
  }

  /** The end of the log: whatever was held back. */
  end(): Buffer[] {
    if (this.lineEnds !== 'undecided') return []
    this.lineEnds = this.heldCarriageReturn ? 'cr' : 'lf'
    return this.release()
  }

  private lineEndsOf(text: Buffer): Buffer[] {
    if (text.length === 0) return []
    if (this.lineEnds === 'lf') return [text]
    if (this.lineEnds === 'cr') return [this.carriageReturnsToNewlines(text)]
    // undecided: hold the first bytes until a newline shows, or 64 KiB without one
    this.held.push(Buffer.from(text))
    this.heldBytes += text.length
    if (text.indexOf(LF) !== -1) {
      this.lineEnds = 'lf'
      return this.release()
    }

    this.heldCarriageReturn ||= text.indexOf(CR) !== -1
    if (this.heldBytes < LINE_END_PROBE_BYTES) return []
    this.lineEnds = this.heldCarriageReturn ? 'cr' : 'lf'
    return this.release()
  }

  private release(): Buffer[] {
    const held = this.held
    this.held = []
    this.heldBytes = 0
    return this.lineEnds === 'cr' ? held.map((piece) => this.carriageReturnsToNewlines(piece)) : held
  }

  /** A bare carriage return becomes a newline; one followed by a newline (CR LF) stays as it is. */
  private carriageReturnsToNewlines(text: Buffer): Buffer {
    let out: Buffer | undefined
    for (let index = text.indexOf(CR); index !== -1; index = text.indexOf(CR, index + 1)) {
      if (index + 1 < text.length && text[index + 1] === LF) continue
      out ??= Buffer.from(text)
      out[index] = LF
    }

    // a CR at the end of one chunk and an LF at the start of the next: that LF is the same line end
    if (this.lastWasCr && text[0] === LF) {
      out = (out ?? text).subarray(1)
    }

    this.lastWasCr = text.at(-1) === CR
    return out ?? text
  }

  /** The chunk without its escape sequences (a sequence may start in one chunk and end in the next). */
  private stripEscapes(chunk: Buffer): Buffer {
    // One buffer, reused: what push returns is scanned before the next push (held bytes are copied).
    if (this.scratch.length < chunk.length) this.scratch = Buffer.allocUnsafe(Math.max(chunk.length, 64 * 1024))
    const out = this.scratch
    const {length: size} = chunk
    let length = 0
    let index = 0
    // (kept in locals in the loop, written back at the end)
    let state = this.state
    let count = this.count
    while (index < size) {
      if (state === State.Text) {
        const next = chunk.indexOf(ESC, index)
        if (next === -1) {
          length += chunk.copy(out, length, index)
          break
        }

        if (next > index) length += chunk.copy(out, length, index, next)
        state = State.Escape
        index = next + 1
        continue
      }

      const byte = chunk[index]
      // A byte that ends a sequence without being part of it is read again as text (`continue` before index++).
      if (state === State.CsiParameters) {
        if (byte >= 0x30 && byte <= 0x3f && count < MAX_CSI_PARAMETERS) count++
        else if (byte >= 0x20 && byte <= 0x2f) {
          state = State.CsiIntermediates
          count = 1
        } else {
          state = State.Text
          if (!(byte >= 0x40 && byte <= 0x7e)) continue
        }
      } else if (state === State.Escape) {
        if (byte === 0x5b) {
          state = State.CsiParameters
          count = 0
        } else if (byte === 0x5d) {
          state = State.Osc
          count = 0
        } else if (byte >= 0x20 && byte <= 0x2f) {
          state = State.EscapeIntermediates
          count = 1
        } else {
          state = State.Text
          if (!(byte >= 0x30 && byte <= 0x7e)) continue
        }
      } else if (state === State.CsiIntermediates) {
        if (byte >= 0x20 && byte <= 0x2f && count < MAX_CSI_INTERMEDIATES) count++
        else {
          state = State.Text
          if (!(byte >= 0x40 && byte <= 0x7e)) continue
        }
      } else if (state === State.Osc) {
        if (byte === BEL) state = State.Text
        else if (byte === ESC) state = State.OscEscape
        else if (byte === LF || count >= MAX_OSC_BYTES) {
          // never across a line end, never without bound
          state = State.Text
          continue
        } else count++
      } else if (state === State.OscEscape) {
        // ESC \ ends the string; an ESC followed by anything else starts a new sequence
        if (byte === BACKSLASH) state = State.Text
        else {
          state = State.Escape
          continue
        }
      } else {
        // EscapeIntermediates
        if (byte >= 0x20 && byte <= 0x2f && count < MAX_ESCAPE_INTERMEDIATES) count++
        else {
          state = State.Text
          if (!(byte >= 0x30 && byte <= 0x7e)) continue
        }
      }

      index++
    }

    this.state = state
    this.count = count
    return out.subarray(0, length)
  }
}
