/**
 * A one-line status on stderr that redraws itself in place (a spinner, the watch's session, stage and
 * elapsed time) — only when stderr is a terminal; elsewhere it prints nothing. Anything else written to
 * the terminal goes through `print`, which takes the status line away, writes, and draws it again.
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
const CLEAR_LINE = '\r\u001B[2K'

export interface StatusStream {
  isTTY?: boolean
  columns?: number
  write(text: string): unknown
}

export class StatusLine {
  private text = ''
  private frame = 0
  private timer?: NodeJS.Timeout
  private shown = false

  constructor(
    private readonly stream: StatusStream = process.stderr,
    private readonly enabled: boolean = Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb',
  ) {}

  /** Show (or change) the status; the spinner turns while it is shown. */
  update(text: string): void {
    if (!this.enabled) return
    this.text = text
    this.timer ??= setInterval(() => this.draw(), 100).unref()
    this.draw()
  }

  /** Write other text to the terminal without mixing it into the status line. */
  print(write: () => void): void {
    this.erase()
    write()
    if (this.timer) this.draw()
  }

  /** Take the status line away for good (before a result or an error is printed). */
  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
    this.erase()
  }

  private draw(): void {
    const frame = FRAMES[this.frame++ % FRAMES.length]
    const width = Math.max(20, (this.stream.columns ?? 80) - 1)
    const line = `${frame} ${this.text}`
    this.stream.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`)
    this.shown = true
  }

  private erase(): void {
    if (!this.shown) return
    this.stream.write(CLEAR_LINE)
    this.shown = false
  }
}
