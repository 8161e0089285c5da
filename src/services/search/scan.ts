/**
 * Search one serial log as a stream of bytes, grep-like: every line a pattern matches, with its 1-based
 * line number. Bounded memory whatever the log: chunks of about 1 MiB; a line longer than MAX_LINE_BYTES is
 * searched in pieces (a match across a piece boundary is missed). Bytes are read as latin1 (one character
 * per byte, never a decoding error): a plain pattern is searched as its UTF-8 bytes with Buffer.indexOf, a
 * regular expression over the latin1 text. `checkpoint` asks where the line holding that byte starts: a
 * later log that begins with this one's first `checkpoint` bytes is searched from there on.
 */

/** A place in a log: the byte offset of a line's start and that line's number. */
export interface LinePosition {
  offset: number
  line: number
}

export interface Matcher {
  /** the first match starting at or after `from` and before `to` (byte offsets in `buffer`), or -1 */
  find(buffer: Buffer, from: number, to: number): number
}

export const MAX_LINE_BYTES = 1024 * 1024
/** A matching line is reported with at most this many bytes. */
export const MAX_REPORTED_BYTES = 4096

/** A plain pattern: its UTF-8 bytes, case-sensitive. */
export function literalMatcher(pattern: string): Matcher {
  const needle = Buffer.from(pattern, 'utf8')
  return {
    find(buffer, from, to) {
      if (needle.length === 0) return from < to ? from : -1
      const at = buffer.indexOf(needle, from)
      return at !== -1 && at < to ? at : -1
    },
  }
}

/**
 * A regular expression (JavaScript syntax, `^` and `$` at line ends) over the bytes as latin1 text; its
 * non-ASCII characters are matched as their UTF-8 bytes. Throws SyntaxError for a bad expression.
 */
export function regexMatcher(source: string, ignoreCase: boolean): Matcher {
  const re = new RegExp(Buffer.from(source, 'utf8').toString('latin1'), `gm${ignoreCase ? 'i' : ''}`)
  let cached: {buffer: Buffer; from: number; to: number; text: string} | undefined
  return {
    find(buffer, from, to) {
      // A region's text is made once: later finds in the same region reuse it.
      if (!cached || cached.buffer !== buffer || cached.to !== to || from < cached.from)
        cached = {buffer, from, text: buffer.toString('latin1', from, to), to}
      re.lastIndex = from - cached.from
      const match = re.exec(cached.text)
      return match ? cached.from + match.index : -1
    },
  }
}

export interface ScanOptions {
  /** where the stream starts in the log: a line's start and its number (default: the log's start) */
  start?: LinePosition
  /** report the start of the line holding this byte offset */
  checkpoint?: number
  signal?: AbortSignal
  /** awaited after each chunk (back-pressure from whoever receives the matches) */
  between?: () => Promise<void>
}

export interface ScanResult {
  /** bytes read */
  bytes: number
  /** lines seen (from the start position on) */
  lines: number
  /** the line holding byte `checkpoint`, when asked */
  resume?: LinePosition
  /** stopped early because onMatch said so */
  stopped: boolean
}

/**
 * Scan `chunks` (the log from `start.offset` on) and call onMatch(line, bytes) for each matching line, at
 * most once per line; onMatch returns false to stop.
 */
export async function scanLog(
  chunks: AsyncIterable<Uint8Array>,
  matcher: Matcher,
  onMatch: (line: number, text: Buffer) => boolean | void,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const start = options.start ?? {line: 1, offset: 0}
  const checkpoint = options.checkpoint
  let resume: LinePosition | undefined
  let line = start.line
  /** file offset of the current (unfinished) line's first byte */
  let lineStart = start.offset
  let offset = start.offset
  /** the unfinished line's bytes so far (at most MAX_LINE_BYTES: longer lines are searched in pieces) */
  let carry: Buffer[] = []
  let carryBytes = 0
  /** the unfinished line matched in an earlier piece */
  let lineReported = false
  let stopped = false

  const report = (text: Buffer) => {
    lineReported = true
    if (onMatch(line, text.subarray(0, MAX_REPORTED_BYTES)) === false) stopped = true
  }

  /** A line ends at file offset `end` (its newline): the checkpoint, then the next line. */
  const endLine = (end: number) => {
    if (checkpoint !== undefined && resume === undefined && checkpoint <= end) resume = {line, offset: lineStart}
    line++
    lineStart = end + 1
    lineReported = false
  }

  for await (const piece of chunks) {
    options.signal?.throwIfAborted()
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
    const base = offset
    offset += chunk.length
    let from = 0
    const first = chunk.indexOf(10)
    if (first === -1) {
      carry.push(chunk)
      carryBytes += chunk.length
      if (carryBytes > MAX_LINE_BYTES) {
        const text = Buffer.concat(carry)
        if (!lineReported && matcher.find(text, 0, text.length) !== -1) report(text)
        carry = []
        carryBytes = 0
      }
    } else {
      // The unfinished line, completed by this chunk's first bytes.
      if (carryBytes > 0 || lineReported) {
        const text = Buffer.concat([...carry, chunk.subarray(0, first)])
        if (!lineReported && matcher.find(text, 0, text.length) !== -1) report(text)
        carry = []
        carryBytes = 0
        endLine(base + first)
        from = first + 1
      }

      // Whole lines: newlines counted one by one, the matcher asked only for the next match.
      const last = chunk.lastIndexOf(10)
      let match = stopped ? -1 : matcher.find(chunk, from, last + 1)
      for (
        let newline = chunk.indexOf(10, from);
        newline !== -1 && newline <= last;
        newline = chunk.indexOf(10, newline + 1)
      ) {
        if (match !== -1 && match <= newline) {
          report(chunk.subarray(from, newline))
          if (stopped) break
          match = matcher.find(chunk, newline + 1, last + 1)
        }

        endLine(base + newline)
        from = newline + 1
      }

      if (stopped) break
      if (last + 1 < chunk.length) {
        carry = [chunk.subarray(last + 1)]
        carryBytes = chunk.length - last - 1
      }
    }

    if (stopped) break
    if (options.between) await options.between()
  }

  // The last line, without a newline.
  if (!stopped && carryBytes > 0) {
    const text = Buffer.concat(carry)
    if (!lineReported && matcher.find(text, 0, text.length) !== -1) report(text)
  }

  if (checkpoint !== undefined && resume === undefined && !stopped) resume = {line, offset: lineStart}
  return {bytes: offset - start.offset, lines: line - start.line, resume, stopped}
}
