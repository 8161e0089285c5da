/**
 * The progress bar `archive` draws on stderr while it runs — only on a terminal (a cron job, a pipe or a
 * log file gets none). One line, redrawn at most ten times a second, erased before any other stderr output
 * and at the end:
 *
 *   archive [██████████░░░░░░░░░░] 523/1000  new 12  unchanged 510  failed 1  1.2 MB
 */
import type {FleetProgress} from '../services/archive/fleet.js'
import {humanBytes} from './archive-summary.js'

export interface ProgressStream {
  isTTY?: boolean
  columns?: number
  write(text: string): unknown
}

export class ArchiveProgress {
  private last?: FleetProgress
  private drawnAt = Number.NEGATIVE_INFINITY
  private shown = false

  constructor(
    private readonly stream: ProgressStream,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a bar is drawn at all (stderr is a terminal). */
  get enabled(): boolean {
    return Boolean(this.stream.isTTY)
  }

  update(progress: FleetProgress): void {
    this.last = progress
    if (!this.enabled) return
    const now = this.clock()
    if (progress.done < progress.total && now - this.drawnAt < 100) return
    this.drawnAt = now
    this.draw()
  }

  /** Let something else write to the terminal (a warning) without tearing the bar. */
  interrupt(write: () => void): void {
    const wasShown = this.shown
    this.clear()
    write()
    if (wasShown && this.last) this.draw()
  }

  /** Erase the bar (at the end, or before an error is printed). */
  clear(): void {
    if (this.shown) this.stream.write('\r\u001B[2K')
    this.shown = false
  }

  private draw(): void {
    const p = this.last!
    const counts = `${p.done}/${p.total}  new ${p.new}  unchanged ${p.unchanged}  failed ${p.failed}  ${humanBytes(p.bytesDownloaded)}`
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - counts.length - 12))
    const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width)
    this.stream.write(`\r\u001B[2Karchive [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${counts}`)
    this.shown = true
  }
}
