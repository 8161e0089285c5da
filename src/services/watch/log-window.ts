/**
 * The part of a growing serial log that `watch` judges, and its judgement: the current boot session as
 * the analyser sees it *now*, as if the log ended here.
 *
 * The streaming analyser judges a session when the input ends, and a boot that waits at a prompt
 * (`web-01 login: `, `(initramfs) `) ends without a newline. So the window keeps the bytes of the
 * current session (from its first line to the end, the unfinished last line included) and each
 * judgement runs the same analyser over them afresh; the lines before the window are given to it as
 * empty lines, so every line number in the verdict is the line's number in the whole log. When a new
 * session starts, the window drops the bytes before it: a judgement costs the current session, not the
 * whole log. A session longer than MAX_WINDOW_BYTES is judged from its last MAX_WINDOW_BYTES only.
 */
import {Analyzer, type Session} from '../../analysis/index.js'

/** Bytes of one session kept for judging; beyond this the oldest lines are dropped. */
export const MAX_WINDOW_BYTES = 16 * 1024 * 1024

const NEWLINE = 0x0a

export interface WindowStart {
  /** 1-based number, in the whole log, of the line the window's first byte belongs to */
  firstLine: number
  /**
   * The window starts in the middle of a boot that is not watched (the log as it was before an
   * operation): a partial first session is that old boot's end, not the new boot.
   */
  startsInOldSession: boolean
}

export interface WindowJudgement {
  /** the sessions being watched, oldest first (line numbers of the whole log) */
  sessions: Session[]
  /** the last of them: where the watched boot is now; null before a new boot shows in the log */
  current: Session | null
}

export class BootLogWindow {
  private chunks: Buffer[] = []
  private size = 0
  private firstLine: number
  private startsInOldSession: boolean
  private padding: Buffer = Buffer.alloc(0)

  constructor(start: WindowStart = {firstLine: 1, startsInOldSession: false}) {
    this.firstLine = start.firstLine
    this.startsInOldSession = start.startsInOldSession
  }

  /** Start over (the log was replaced): an empty window at line 1 of a new log. */
  reset(start: WindowStart = {firstLine: 1, startsInOldSession: false}): void {
    this.chunks = []
    this.size = 0
    this.firstLine = start.firstLine
    this.startsInOldSession = start.startsInOldSession
  }

  /** More of the log, right after what the window holds. */
  append(bytes: Buffer): void {
    if (bytes.length === 0) return
    this.chunks.push(bytes)
    this.size += bytes.length
    if (this.size > MAX_WINDOW_BYTES) this.dropHead(this.size - MAX_WINDOW_BYTES)
  }

  /** The analyser's view of the watched sessions now. */
  judge(source: string): WindowJudgement {
    const bytes = this.bytes()
    const analyzer = new Analyzer()
    const before = this.firstLine - 1
    if (before > 0) {
      if (this.padding.length !== before) this.padding = Buffer.alloc(before, NEWLINE)
      analyzer.push(this.padding)
    }

    analyzer.push(bytes)
    const report = analyzer.finish(source)
    // A partial first session is numbered from line 1 by the analyser; it starts where the window does.
    const sessions = report.sessions.map((session) =>
      session.startLine < this.firstLine ? {...session, startLine: this.firstLine} : session,
    )
    const watched = this.startsInOldSession && sessions[0]?.partial ? sessions.slice(1) : sessions
    const current = watched.at(-1) ?? null
    // Sessions before the last are complete: keep only the last one's bytes for the next judgement.
    const last = sessions.at(-1)
    if (last && last.startLine > this.firstLine) this.dropLines(bytes, last.startLine - this.firstLine)
    return {current, sessions: watched}
  }

  private bytes(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)]
    return this.chunks[0] ?? Buffer.alloc(0)
  }

  /** Drop the window's first `count` lines (the window then starts at a session's first line). */
  private dropLines(bytes: Buffer, count: number): void {
    let cut = 0
    for (let seen = 0; seen < count; seen++) {
      const newline = bytes.indexOf(NEWLINE, cut)
      if (newline < 0) return
      cut = newline + 1
    }

    this.chunks = [bytes.subarray(cut)]
    this.size = bytes.length - cut
    this.firstLine += count
    this.startsInOldSession = false
  }

  /** Drop at least `excess` bytes from the front, at a line boundary. */
  private dropHead(excess: number): void {
    const bytes = this.bytes()
    let cut = bytes.indexOf(NEWLINE, excess - 1)
    cut = cut < 0 ? excess : cut + 1
    let dropped = 0
    for (let index = bytes.indexOf(NEWLINE); index >= 0 && index < cut; index = bytes.indexOf(NEWLINE, index + 1))
      dropped++
    this.chunks = [Buffer.from(bytes.subarray(cut))]
    this.size = bytes.length - cut
    this.firstLine += dropped
  }
}
