/**
 * How `watch` (and `vm <operation> --watch`) shows a boot as it happens. One place for every format:
 *
 * - `ndjson` (--json, -o json, or stdout piped): one JSON object per event and line on stdout — the
 *   events of services/watch-boot.ts as they are (README "watch: events");
 * - `lines` (a terminal): the serial log's new lines on stdout, as the console showed them; stages,
 *   findings and notices on stderr, so `> boot.log` keeps only the log; the verdict last on stdout;
 * - `stages` (--stages): only stage changes, findings and the verdict, on stdout;
 * - `progress` (a VM operation's --watch): stages and findings on stderr; the command prints the result;
 * - `none` (-o none): nothing but the exit code.
 * A status line (session, stage, elapsed time) is drawn on stderr on a terminal, never into stdout.
 * Log text is untrusted: it is made printable (no escape sequences) and passes the secret scrubber.
 */
import type {WatchEvent, WatchResult, WatchStatus} from '../services/watch/watch-boot.js'
import {formatClock, formatDuration} from '../util/duration.js'
import {redact} from '../util/redact.js'
import {printable} from './analysis-text.js'
import {printable as printableName} from '../util/printable.js'
import {StatusLine} from './watch-status-line.js'

export type WatchOutputMode = 'ndjson' | 'lines' | 'stages' | 'progress' | 'none'

export interface TextStream {
  write(text: string): unknown
}

export interface WatchPrinterOptions {
  mode: WatchOutputMode
  /** ANSI colour on stderr/stdout (decided by the caller: terminal and no NO_COLOR) */
  color: boolean
  /** the VM's name, on the status line and in notices */
  vm: string
  stdout?: TextStream
  stderr?: TextStream
  statusLine?: StatusLine
}

const paint = (code: [number, number]) => (text: string, color: boolean) =>
  color ? `\u001B[${code[0]}m${text}\u001B[${code[1]}m` : text
const bold = paint([1, 22])
const dim = paint([2, 22])
const red = paint([31, 39])
const green = paint([32, 39])
const yellow = paint([33, 39])

const REPLACED_BECAUSE: Record<string, string> = {
  'content-changed': 'its bytes changed where the last read stopped',
  deleted: 'it was deleted',
  'etag-changed': 'it changed without growing',
  recreated: 'it is a new blob',
  shorter: 'it is shorter than what was already read',
}

/** Prints the events of one watch in the chosen mode. */
export class WatchPrinter {
  private readonly stdout: TextStream
  private readonly stderr: TextStream
  private readonly statusLine: StatusLine

  private readonly options: WatchPrinterOptions

  constructor(options: WatchPrinterOptions) {
    // the VM's name as typed or as Azure spells it: shown, never obeyed (no control character reaches the terminal)
    this.options = {...options, vm: printableName(options.vm)}
    this.stdout = options.stdout ?? process.stdout
    this.stderr = options.stderr ?? process.stderr
    this.statusLine = options.statusLine ?? new StatusLine(this.stderr, false)
  }

  event(event: WatchEvent): void {
    const {mode} = this.options
    if (mode === 'none') return
    if (mode === 'ndjson') {
      this.out(JSON.stringify(event))
      return
    }

    const text = describe(event, this.options)
    if (!text) return
    if (event.event === 'line') {
      if (mode === 'lines') this.out(text)
    } else if (event.event === 'done') {
      this.statusLine.stop()
      if (mode !== 'progress') this.out(text)
    } else if (
      mode === 'stages' &&
      (event.event === 'stage' ||
        event.event === 'finding' ||
        event.event === 'session' ||
        event.event === 'session-end')
    ) {
      this.out(text)
    } else {
      this.err(text)
    }
  }

  /** The status line: which session, which stage, how long — on a terminal only. */
  status(status: WatchStatus): void {
    if (this.options.mode === 'ndjson' || this.options.mode === 'none') return
    this.statusLine.update(statusText(this.options.vm, status))
  }

  stop(): void {
    this.statusLine.stop()
  }

  private out(text: string): void {
    this.statusLine.print(() => this.stdout.write(`${redact(text)}\n`))
  }

  private err(text: string): void {
    this.statusLine.print(() => this.stderr.write(`${redact(text)}\n`))
  }
}

/** The human text of one event ('' for none). */
export function describe(event: WatchEvent, options: {color: boolean; vm: string}): string {
  const {color, vm} = options
  switch (event.event) {
    case 'watching': {
      const from = event.from === 'before-operation' ? 'the new boot of' : 'the serial log of'
      return dim(
        `Watching ${from} ${vm} until ${event.until} (timeout ${formatDuration(event.timeoutSeconds * 1000)}, a read every ${formatDuration(event.intervalSeconds * 1000)}). Ctrl-C stops watching.`,
        color,
      )
    }

    case 'waiting': {
      return dim(
        event.reason === 'no-log'
          ? `No serial log for ${vm} yet; waiting for it (Azure writes it a few minutes after a boot at the latest).`
          : 'Waiting for the new boot to show in the serial log…',
        color,
      )
    }

    case 'replaced': {
      return yellow(
        `The serial log was replaced (${REPLACED_BECAUSE[event.reason] ?? event.reason}: a redeploy or deallocation starts a new one); reading it again from the start.`,
        color,
      )
    }

    case 'line': {
      return printable(event.text)
    }

    case 'session': {
      const kernel = event.kernel ? ` (kernel ${printable(event.kernel)})` : ''
      return bold(
        `── boot at line ${event.startLine}${event.partial ? ' (its start is not in the log)' : kernel}`,
        color,
      )
    }

    case 'stage': {
      const time = event.time === null ? '' : ` at ${event.time.toFixed(1)} s`
      return `${green('→', color)} ${bold(event.stage, color)} ${dim(`(line ${event.line}${time})`, color)}`
    }

    case 'finding': {
      const mark = event.severity === 'critical' || event.severity === 'error' ? red('✗', color) : yellow('!', color)
      return `${mark} ${event.title} ${dim(`[${event.category}, line ${event.line}]`, color)}: ${printable(event.text)}`
    }

    case 'session-end': {
      return dim(`── the boot at line ${event.startLine} ended: ${printable(event.summary)}`, color)
    }

    case 'done': {
      return verdictLine(event, color)
    }
  }
}

/** "Verdict: boot reached login-prompt in 41 s", coloured by what it means. */
export function verdictLine(result: WatchResult, color: boolean): string {
  const tint = result.result === 'reached' ? green : result.result === 'failed' ? red : yellow
  return `${bold('Verdict', color)}: ${tint(printable(result.summary), color)}`
}

export function statusText(vm: string, status: WatchStatus): string {
  const clock = formatClock(status.elapsedMs)
  if (status.state === 'no-log') return `${vm} · waiting for the serial log · ${clock}`
  if (status.state === 'no-new-boot' || !status.session) return `${vm} · waiting for the new boot · ${clock}`
  return `${vm} · boot at line ${status.session.startLine} · ${status.session.stage ?? 'no stage yet'} · ${clock} · until ${status.until}`
}
