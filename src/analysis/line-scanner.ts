/**
 * The reader: consumes the log as a stream of byte chunks, numbers its lines (1-based, split at '\n')
 * and hands on only the lines that hold an anchor, with the anchors found. Memory stays bounded
 * whatever the input: one chunk plus at most one carried partial line of MAX_LINE_BYTES; a longer
 * line is handed on in pieces (same line number).
 *
 * The inner loop is one automaton step per byte (see anchor-automaton.ts); nothing is decoded here.
 */
import {FLAG_HIT, FLAG_NEWLINE, type AnchorAutomaton} from './anchor-automaton.js'

/** Longest piece of a line kept for matching; longer lines are cut into pieces of about this size. */
export const MAX_LINE_BYTES = 64 * 1024
/** Most distinct anchors remembered for one line. */
const MAX_ANCHORS_PER_LINE = 64

export interface CandidateLine {
  /** 1-based line number */
  readonly number: number
  /** the line's bytes without '\n' (valid only during the callback) */
  readonly bytes: Uint8Array
  /** ids of the distinct anchors found in the line */
  readonly anchors: readonly number[]
}

export interface ScannerEvents {
  /** a line that holds at least one anchor */
  candidate(line: CandidateLine): void
  /** the end of a chunk: `recentLines(n)` can read back the last complete lines of it */
  chunkEnd?(): void
}

export class LineScanner {
  private state = 0
  private lineNumber = 1
  private byteCount = 0
  /** start of the current line in the current chunk (may be negative: the carry holds the head) */
  private lineStart = 0
  private carry: Buffer = Buffer.alloc(0)
  /** the current line has a byte other than NUL (for counting a last line without '\n') */
  private carryHasText = false
  private readonly anchorSeen: Uint8Array
  private anchors: number[] = []
  private chunk: Buffer = Buffer.alloc(0)

  constructor(
    private readonly automaton: AnchorAutomaton,
    private readonly events: ScannerEvents,
  ) {
    let anchorCount = 1
    for (const id of automaton.outputs) anchorCount = Math.max(anchorCount, id + 1)
    this.anchorSeen = new Uint8Array(anchorCount)
  }

  /** Bytes read so far. */
  get bytes(): number {
    return this.byteCount
  }

  /** Number of the line being read (the next line once a '\n' was read). */
  get currentLine(): number {
    return this.lineNumber
  }

  push(input: Uint8Array): void {
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
    if (chunk.length === 0) return
    this.chunk = chunk
    this.byteCount += chunk.length
    const {table, flags, outputStart, outputs} = this.automaton
    const length = chunk.length
    let state = this.state
    this.lineStart = -this.carry.length
    for (let index = 0; index < length; index++) {
      state = table[(state << 8) | chunk[index]]
      const flag = flags[state]
      if (flag !== 0) {
        if (flag & FLAG_NEWLINE) {
          this.endLine(index)
          this.lineStart = index + 1
        } else if (flag & FLAG_HIT) {
          for (let output = outputStart[state]; output < outputStart[state + 1]; output++) this.noteAnchor(outputs[output])
        }
      }
    }

    this.state = state
    this.keepPartialLine()
    this.events.chunkEnd?.()
  }

  /** End of input: a last line without '\n' counts if it holds anything but NULs. */
  end(): {bytes: number; lines: number} {
    const partial = this.carry.length > 0 && (this.carryHasText || hasText(this.carry))
    if (partial || this.carryHasText) {
      if (this.anchors.length > 0) this.emit(this.carry)
      return {bytes: this.byteCount, lines: this.lineNumber}
    }

    return {bytes: this.byteCount, lines: this.lineNumber - 1}
  }

  /**
   * The last `count` complete lines before the current one that lie in the current chunk, newest
   * first, with their numbers. For reading back a timestamp; bounded by the chunk.
   */
  *recentLines(count: number): Generator<{number: number; bytes: Uint8Array}> {
    const chunk = this.chunk
    let end = Math.min(this.lineStart, chunk.length) - 1
    let number = this.lineNumber - 1
    for (let seen = 0; seen < count && end >= 0; seen++, number--) {
      const start = end > 0 ? chunk.lastIndexOf(0x0a, end - 1) + 1 : 0
      yield {number, bytes: chunk.subarray(start, end)}
      end = start - 1
    }
  }

  private noteAnchor(id: number): void {
    if (this.anchorSeen[id] === 0 && this.anchors.length < MAX_ANCHORS_PER_LINE) {
      this.anchorSeen[id] = 1
      this.anchors.push(id)
    }
  }

  private endLine(newlineIndex: number): void {
    if (this.anchors.length > 0) {
      const bytes = this.lineStart >= 0
        ? this.chunk.subarray(this.lineStart, newlineIndex)
        : Buffer.concat([this.carry, this.chunk.subarray(0, newlineIndex)])
      this.emit(bytes)
    }

    this.carry = EMPTY
    this.carryHasText = false
    this.lineNumber++
  }

  private emit(bytes: Uint8Array): void {
    const anchors = this.anchors
    this.events.candidate({number: this.lineNumber, bytes, anchors})
    for (const id of anchors) this.anchorSeen[id] = 0
    this.anchors = []
  }

  /** Carry the unfinished last line to the next chunk; hand a too-long one on in pieces. */
  private keepPartialLine(): void {
    const start = Math.max(this.lineStart, 0)
    const tail = this.chunk.subarray(start)
    const pending = this.lineStart >= 0 ? tail : Buffer.concat([this.carry, tail])
    if (pending.length <= MAX_LINE_BYTES) {
      this.carry = Buffer.from(pending)
      return
    }

    // a very long line: match what we have now, keep nothing but the line number
    this.carryHasText ||= hasText(pending)
    if (this.anchors.length > 0) this.emit(pending)
    this.carry = EMPTY
  }
}

const EMPTY = Buffer.alloc(0)

function hasText(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return true
  return false
}
