/**
 * The reader: consumes the log as a stream of byte chunks, numbers its lines (1-based, split at '\n')
 * and hands on only the lines that hold an anchor, with the anchors found. Memory stays bounded
 * whatever the input: one chunk plus at most one carried partial line of MAX_LINE_BYTES; a longer
 * line is handed on in pieces (same line number).
 *
 * The inner loop is one automaton step per byte (see anchor-automaton.ts); nothing is decoded here.
 */
import {FLAG_NEWLINE, type AnchorAutomaton} from './anchor-automaton.js'

/** Longest piece of a line kept for matching; longer lines are cut into pieces of about this size. */
export const MAX_LINE_BYTES = 64 * 1024
/**
 * Pieces of one line handed on at most (about 1 MiB): the rest of a longer line is only counted, not
 * matched — a line of a gigabyte full of signatures costs no more memory or time than a megabyte of it.
 */
export const MAX_PIECES_PER_LINE = 16
/** Most distinct anchors remembered for one line. */
export const MAX_ANCHORS_PER_LINE = 64

export interface ScannerEvents {
  /**
   * A line that holds at least one anchor: its 1-based number, its bytes `source[start..end)` without
   * the '\n', and the ids of the distinct anchors in it (`anchors[0..anchorCount)`). Valid only during
   * the call (reused).
   */
  candidate(number: number, source: Buffer, start: number, end: number, anchors: Int32Array, anchorCount: number): void
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
  /** the current line was too long to carry: handed on in pieces (this many), then only counted */
  private longLine = false
  private longPieces = 0
  private readonly anchorSeen: Uint8Array
  private readonly anchors = new Int32Array(MAX_ANCHORS_PER_LINE)
  private anchorCount = 0
  private chunk: Buffer = Buffer.alloc(0)
  /** the current line holds an anchor marked `progressOnly` */
  private progressHit = false
  private progressLine = 0
  /** the kernel timestamp of the last complete line that began with one, and that line's number */
  private kernelTime = -1
  private kernelTimeLine = 0
  /** the carried head of the current line begins with '[' */
  private pendingCarryStamp = false
  /** watching for the first line, from this line number on, that begins with a kernel timestamp (0: not watching) */
  private stampWatchFrom = 0
  /** lines whose kernel time is in [stampIgnoreFrom, stampIgnoreTo] do not end the watch */
  private stampIgnoreFrom = 0
  private stampIgnoreTo = -1
  private stampSeenLine = 0
  private stampSeenTime = 0
  /** lines that look like kernel messages (`[` and a dot where a timestamp has one), for telling a kernel log */
  private stamped = 0
  /** lines that ended with CR LF */
  private crEnded = 0
  /**
   * Per anchor id: 1 when, in the analyser's current state, a line holding it shows progress and
   * nothing else. Such anchors do not make a line a candidate (see `setProgressOnly`).
   */
  private readonly progressOnly: Uint8Array
  /** Per automaton state: what entering it means (see STATE_*), derived from flags and progressOnly. */
  private readonly stateKind: Uint8Array
  /** stateKind for each progressOnly set seen, by identity */
  private readonly kindsCache = new WeakMap<Uint8Array, Uint8Array>()
  /** the states where at least one anchor ends */
  private readonly hitStates: Uint32Array

  constructor(
    private readonly automaton: AnchorAutomaton,
    private readonly events: ScannerEvents,
  ) {
    let anchorCount = 1
    for (const id of automaton.outputs) anchorCount = Math.max(anchorCount, id + 1)
    this.anchorSeen = new Uint8Array(anchorCount)
    this.progressOnly = new Uint8Array(anchorCount)
    this.stateKind = new Uint8Array(automaton.stateCount)
    const hitStates: number[] = []
    for (let state = 0; state < automaton.stateCount; state++) {
      if (automaton.flags[state] & FLAG_NEWLINE) this.stateKind[state] = STATE_NEWLINE
      if (automaton.outputStart[state + 1] > automaton.outputStart[state]) hitStates.push(state)
    }

    this.hitStates = Uint32Array.from(hitStates)
    this.progressOnlyChanged()
  }

  /**
   * Lines begin with what a capture tool put in front of them (a date, grabserial's times, a syslog
   * header; see line-cleaner.ts): look for the kernel's timestamp behind it. Set by the analyser from the
   * log's first lines, before any line is scanned.
   */
  capturePrefixed = false

  /** Bytes read so far. */
  get bytes(): number {
    return this.byteCount
  }

  /** Number of the line being read (the next line once a '\n' was read). */
  get currentLine(): number {
    return this.lineNumber
  }

  /**
   * Which anchors only show progress from now on (1 per anchor id). Takes effect at once, also in the
   * middle of a chunk; the arrays are copied, so pass the same array again to hit the cache.
   */
  setProgressOnly(flags: Uint8Array): void {
    this.progressOnly.set(flags)
    const cached = this.kindsCache.get(flags)
    if (cached) {
      this.stateKind.set(cached)
      return
    }

    this.progressOnlyChanged()
    this.kindsCache.set(flags, Uint8Array.from(this.stateKind))
  }

  /** Recompute the kind of each state where anchors end, after `progressOnly` changed. */
  private progressOnlyChanged(): void {
    const {outputStart, outputs} = this.automaton
    for (const state of this.hitStates) {
      let kind = STATE_PROGRESS
      for (let output = outputStart[state]; output < outputStart[state + 1]; output++) {
        if (this.progressOnly[outputs[output]] !== 1) kind = STATE_ANCHOR
      }

      this.stateKind[state] = kind
    }
  }

  /**
   * The kernel timestamp (`[ 12.345678]` at the very start) of the last complete line that had one,
   * and its line number; null when no line had one yet. Does not depend on how the input was chunked.
   */
  get lastKernelTime(): {time: number; line: number} | null {
    return this.kernelTime < 0 ? null : {time: this.kernelTime, line: this.kernelTimeLine}
  }

  /**
   * Watch for the first line, from `fromLine` on (0: stop watching), that begins with a kernel timestamp,
   * anchor or not, and whose time is not in [ignoreFrom, ignoreTo] (none by default); `watchedKernelLine`
   * gives it. Watching again forgets what was seen.
   */
  watchKernelTime(fromLine: number, ignoreFrom = 0, ignoreTo = -1): void {
    this.stampWatchFrom = fromLine
    this.stampIgnoreFrom = ignoreFrom
    this.stampIgnoreTo = ignoreTo
    this.stampSeenLine = 0
  }

  /** The line the watch saw, and its kernel time in seconds; null if none yet. */
  get watchedKernelLine(): {line: number; time: number} | null {
    return this.stampSeenLine === 0 ? null : {line: this.stampSeenLine, time: this.stampSeenTime}
  }

  /** Lines that looked like kernel messages (a `[` with a dot where a timestamp has one), roughly. */
  get kernelLikeLines(): number {
    return this.stamped
  }

  /** Lines that ended with CR LF, as a serial port writes them. */
  get crLfLines(): number {
    return this.crEnded
  }

  /** The last line, so far, that held a `progressOnly` anchor (0 if none). */
  get lastProgressLine(): number {
    return this.progressLine
  }

  push(input: Uint8Array): void {
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
    if (chunk.length === 0) return
    this.chunk = chunk
    this.byteCount += chunk.length
    const {table, outputStart, outputs} = this.automaton
    const kinds = this.stateKind
    const progressOnly = this.progressOnly
    const length = chunk.length
    // the hot loop keeps its state in locals and writes it back before calling out
    let state = this.state
    let lineNumber = this.lineNumber
    let lineStart = -this.carry.length
    let candidate = this.anchorCount > 0
    let progress = this.progressHit
    // the last complete line of this chunk that began with '[' (a kernel timestamp, maybe): read lazily
    let stampStart = -1
    let stampEnd = -1
    let stampLine = 0
    // counted in locals: on a plain line the loop writes nothing to `this`
    let crEnded = this.crEnded
    let stamped = this.stamped
    if (lineStart < 0 && (this.carry[0] === BRACKET || this.capturePrefixed)) this.pendingCarryStamp = true
    for (let index = 0; index < length; index++) {
      // the tight part: run the automaton until it enters a state that needs attention
      index = runToEvent(table, kinds, chunk, index, length, state)
      if (index >= length) {
        state = eventState[0]
        break
      }

      state = eventState[0]
      const kind = kinds[state]
      if (kind === STATE_NEWLINE) {
        // a serial port ends its lines with CR LF; a file written on the machine (dmesg) with LF
        if (index > 0 ? chunk[index - 1] === CR : this.carry.length > 0 && this.carry.at(-1) === CR) crEnded++
        if (lineStart >= 0) {
          // behind a capture tool's prefix, the kernel's timestamp is further on
          const at = this.capturePrefixed ? stampAfterPrefix(chunk, lineStart, index) : lineStart
          if (chunk[at] === BRACKET && hasStampDot(chunk, at, index)) {
            stampStart = at
            stampEnd = index
            stampLine = lineNumber
            stamped++
            if (this.stampWatchFrom !== 0 && lineNumber >= this.stampWatchFrom) this.watchSaw(at, index, lineNumber)
          }
        } else if (this.pendingCarryStamp) {
          this.lineNumber = lineNumber
          this.lineStart = lineStart
          if (this.readCarriedKernelTime(index)) stamped++
        }

        if (candidate) {
          if (stampStart >= 0) {
            this.readKernelTime(stampStart, stampEnd, stampLine)
            stampStart = -1
          }

          this.lineNumber = lineNumber
          this.lineStart = lineStart
          this.progressHit = progress
          this.endLine(index)
          candidate = false
          progress = false
        } else if (progress) {
          this.progressLine = lineNumber
          progress = false
        }

        if (this.longLine) this.endLongLine()

        lineNumber++
        if (lineStart < 0) {
          this.carry = EMPTY
          this.carryHasText = false
        }

        lineStart = index + 1
      } else if (kind === STATE_PROGRESS) {
        progress = true
      } else {
        for (let output = outputStart[state]; output < outputStart[state + 1]; output++) {
          const id = outputs[output]
          if (progressOnly[id] === 1) {
            progress = true
          } else {
            this.noteAnchor(id)
            candidate = true
          }
        }
      }
    }

    if (stampStart >= 0) this.readKernelTime(stampStart, stampEnd, stampLine)
    this.crEnded = crEnded
    this.stamped = stamped
    this.lineNumber = lineNumber
    this.lineStart = lineStart
    this.progressHit = progress
    this.state = state
    this.keepPartialLine()
  }

  /** End of input: a last line without '\n' counts if it holds anything but NULs. */
  end(): {bytes: number; lines: number} {
    if (this.carryHasText || hasText(this.carry)) {
      const at = this.capturePrefixed ? stampAfterPrefix(this.carry, 0, this.carry.length) : 0
      if (this.carry[at] === BRACKET && hasStampDot(this.carry, at, this.carry.length)) this.stamped++
      if (this.anchorCount > 0) this.emit(this.carry, 0, this.carry.length)
      if (this.progressHit) this.progressLine = this.lineNumber
      return {bytes: this.byteCount, lines: this.lineNumber}
    }

    return {bytes: this.byteCount, lines: this.lineNumber - 1}
  }

  /** The line ending at `newlineIndex` starts with '[': keep its kernel timestamp, if it is one. */
  private readKernelTime(start: number, end: number, line: number): void {
    const time = parseKernelTime(this.chunk, start, end)
    if (time >= 0) {
      this.kernelTime = time
      this.kernelTimeLine = line
    }
  }

  /**
   * The line ending at `newlineIndex` began in an earlier chunk with '[': its head is in the carry.
   * True when it looks like a kernel message (for counting them).
   */
  private readCarriedKernelTime(newlineIndex: number): boolean {
    this.pendingCarryStamp = false
    const reach = this.capturePrefixed ? MAX_CAPTURE_PREFIX_BYTES + TIMESTAMP_BYTES : TIMESTAMP_BYTES
    const head = Buffer.concat([this.carry.subarray(0, reach), this.chunk.subarray(0, Math.min(newlineIndex, reach))])
    const at = this.capturePrefixed ? stampAfterPrefix(head, 0, head.length) : 0
    const looksStamped = head[at] === BRACKET && hasStampDot(head, at, head.length)
    const time = parseKernelTime(head, at, head.length)
    if (time >= 0) {
      this.kernelTime = time
      this.kernelTimeLine = this.lineNumber
      if (this.stampWatchFrom !== 0 && this.lineNumber >= this.stampWatchFrom && !this.ignoredTime(time)) {
        this.stampSeenLine = this.lineNumber
        this.stampSeenTime = time
        this.stampWatchFrom = 0
      }
    }

    return looksStamped
  }

  /** A watched line begins like a kernel message: keep it if it has a timestamp, and stop watching. */
  private watchSaw(start: number, end: number, line: number): void {
    const time = parseKernelTime(this.chunk, start, end)
    if (time < 0 || this.ignoredTime(time)) return
    this.stampSeenLine = line
    this.stampSeenTime = time
    this.stampWatchFrom = 0
  }

  private ignoredTime(time: number): boolean {
    return time >= this.stampIgnoreFrom && time <= this.stampIgnoreTo
  }

  private noteAnchor(id: number): void {
    if (this.anchorSeen[id] === 0 && this.anchorCount < MAX_ANCHORS_PER_LINE) {
      this.anchorSeen[id] = 1
      this.anchors[this.anchorCount++] = id
    }
  }

  /** The current line (with anchors) ends at `newlineIndex`: hand it on. The caller moves to the next line. */
  private endLine(newlineIndex: number): void {
    if (this.lineStart >= 0) {
      this.emit(this.chunk, this.lineStart, newlineIndex)
    } else {
      const bytes = Buffer.concat([this.carry, this.chunk.subarray(0, newlineIndex)])
      this.emit(bytes, 0, bytes.length)
    }

    if (this.progressHit) {
      this.progressLine = this.lineNumber
      this.progressHit = false
    }
  }

  private emit(source: Buffer, start: number, end: number): void {
    const {anchors, anchorCount, anchorSeen} = this
    // past the cap of a long line: its anchors are forgotten, nothing is handed on
    if (this.longPieces < MAX_PIECES_PER_LINE)
      this.events.candidate(this.lineNumber, source, start, end, anchors, anchorCount)
    for (let index = 0; index < anchorCount; index++) anchorSeen[anchors[index]] = 0
    this.anchorCount = 0
  }

  /** Carry the unfinished last line to the next chunk; hand a too-long one on in pieces, up to a cap. */
  private keepPartialLine(): void {
    const start = Math.max(this.lineStart, 0)
    const tail = this.chunk.subarray(start)
    if (this.longPieces >= MAX_PIECES_PER_LINE) {
      // past the cap: nothing is copied or kept; only whether the line holds text counts
      if (!this.carryHasText) this.carryHasText = hasText(tail)
      if (this.anchorCount > 0) this.emit(tail, 0, 0)
      return
    }

    const pending = this.lineStart >= 0 ? tail : Buffer.concat([this.carry, tail])
    if (pending.length <= MAX_LINE_BYTES) {
      this.carry = Buffer.from(pending)
      return
    }

    // a very long line: match what we have now, keep nothing but the line number
    this.carryHasText ||= hasText(pending)
    if (this.anchorCount > 0) this.emit(pending, 0, pending.length)
    this.longLine = true
    this.longPieces++
    this.carry = EMPTY
    this.pendingCarryStamp = false
  }

  /** The newline of a line that was too long to carry: the next line starts afresh. */
  private endLongLine(): void {
    this.longLine = false
    this.longPieces = 0
    this.carryHasText = false
  }
}

const EMPTY = Buffer.alloc(0)
/** the state runToEvent stopped in */
const eventState = new Int32Array(1)

/**
 * Step the automaton from `state` over chunk[start..length) until it enters a state whose kind is not
 * plain; return that index (or `length`), leaving the state in eventState[0]. Kept small so that V8
 * compiles it to a tight loop: this is where nearly all the time goes.
 */
function runToEvent(
  table: Uint16Array | Uint32Array,
  kinds: Uint8Array,
  chunk: Buffer,
  start: number,
  length: number,
  state: number,
): number {
  for (let index = start; index < length; index++) {
    state = table[(state << 8) | chunk[index]]
    if (kinds[state] !== STATE_PLAIN) {
      eventState[0] = state
      return index
    }
  }

  eventState[0] = state
  return length
}
const BRACKET = 0x5b
const DOT = 0x2e
const CR = 0x0d
/** longest `[   12.345678]`: bracket, 12 spaces, 9 + 1 + 6 digits, bracket */
const TIMESTAMP_BYTES = 30
const DIGIT_0 = 0x30
const DIGIT_9 = 0x39

/** `[   12.345678]` (up to 12 spaces, 1-9 digits, '.', 6 digits, ']') at `start`, in seconds; -1 if not. */
function parseKernelTime(source: Uint8Array, start: number, end: number): number {
  let at = start + 1
  for (let spaces = 0; at < end && source[at] === 0x20 && spaces < 12; spaces++) at++
  let seconds = 0
  let digits = 0
  for (; at < end && source[at] >= DIGIT_0 && source[at] <= DIGIT_9 && digits < 9; digits++, at++)
    seconds = seconds * 10 + source[at] - DIGIT_0
  if (digits === 0 || at >= end || source[at] !== 0x2e) return -1
  at++
  let fraction = 0
  for (let places = 0; places < 6; places++, at++) {
    if (at >= end || source[at] < DIGIT_0 || source[at] > DIGIT_9) return -1
    fraction = fraction * 10 + source[at] - DIGIT_0
  }

  return at < end && source[at] === 0x5d ? seconds + fraction / 1e6 : -1
}
const STATE_PLAIN = 0
const STATE_NEWLINE = 1
/** an anchor ends here, and all anchors ending here are progress-only */
const STATE_PROGRESS = 2
const STATE_ANCHOR = 3

/** `[%5lu.%06lu]`: the dot of a kernel timestamp is at offset 6 (7, 8 after 27 hours, 11 days of uptime) of the line. */
function hasStampDot(source: Uint8Array, start: number, end: number): boolean {
  const length = end - start
  return (
    (length > 6 && source[start + 6] === DOT) ||
    (length > 7 && source[start + 7] === DOT) ||
    (length > 8 && source[start + 8] === DOT)
  )
}

/** How far into a line a capture tool's prefix may reach (LAVA's YAML wrapping is the longest, about 70 bytes). */
const MAX_CAPTURE_PREFIX_BYTES = 128

/**
 * Where the kernel timestamp of a line with a capture prefix begins: the first '[' in the line's first
 * MAX_CAPTURE_PREFIX_BYTES that opens one (`[   12.345678]`), else the line's start.
 */
function stampAfterPrefix(source: Uint8Array, start: number, end: number): number {
  const limit = Math.min(end, start + MAX_CAPTURE_PREFIX_BYTES)
  for (let at = start; at < limit; at++) {
    if (source[at] === BRACKET && parseKernelTime(source, at, end) >= 0) return at
  }

  return start
}

function hasText(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return true
  return false
}
