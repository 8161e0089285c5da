/**
 * The base of every bootdiag command: the output flags (-o, --query, --json), --debug, Ctrl-C/SIGTERM
 * wiring (one AbortController per run), and the single place where errors become a one-line message on
 * stderr and a documented exit code. Commands stay thin: parse, call a service, `present` the result.
 */
import {inspect} from 'node:util'

import {Command, Flags, type Interfaces, ux} from '@oclif/core'

import {
  type BootdiagError,
  ExitCode,
  InterruptedError,
  UsageError,
  fileSystemError,
  isAbortError,
  isBootdiagError,
  unexpectedError,
} from '../errors.js'
import {
  type Column,
  OUTPUT_FORMATS,
  type OutputFormat,
  checkQuery,
  defaultOutputFormat,
  render,
} from '../output/format.js'
import {printable, printableLines, printableOutput} from '../util/printable.js'
import {redact} from '../util/redact.js'
import {colorEnabled} from '../util/terminal.js'
import {nearest} from '../util/nearest.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    debug: Flags.boolean({
      env: 'BOOTDIAG_DEBUG',
      helpGroup: 'GLOBAL',
      summary: 'Print diagnostics to stderr: HTTP traffic (secrets removed) and stack traces.',
    }),
    json: Flags.boolean({
      helpGroup: 'OUTPUT',
      summary: 'Same as -o json (--query applies to it too).',
    }),
    output: Flags.option({
      char: 'o',
      env: 'BOOTDIAG_OUTPUT',
      helpGroup: 'OUTPUT',
      options: OUTPUT_FORMATS,
      summary: 'Output format. Default: table on a terminal, json when piped.',
    })(),
    query: Flags.string({
      helpGroup: 'OUTPUT',
      summary: 'JMESPath query applied to the result, as in az (https://jmespath.org).',
    }),
  }

  static override enableJsonFlag = true

  protected args!: BaseArgs<T>
  protected flags!: BaseFlags<T>
  /** Aborted on the first SIGINT/SIGTERM: pass it to every long operation. */
  protected readonly abortController = new AbortController()
  private successCode: number = ExitCode.ok
  private interruptedBy?: 'SIGINT' | 'SIGTERM'
  /** the flags given on the command line (not from the environment), by name */
  private givenFlags = new Set<string>()
  private readonly signalHandlers: Array<[NodeJS.Signals, () => void]> = []

  /**
   * The exit code of a run that completed (e.g. 3 when analyze finds a failure). Kept in process.exitCode
   * at once, so a run whose reader went away (bin/run.js: EPIPE) still ends with it.
   */
  protected get exitCodeOnSuccess(): number {
    return this.successCode
  }

  protected set exitCodeOnSuccess(code: number) {
    this.successCode = code
    process.exitCode = code
  }

  protected get signal(): AbortSignal {
    return this.abortController.signal
  }

  /** The format stdout is written in: --json wins, then -o, then the terminal default. */
  protected get outputFormat(): OutputFormat {
    if (this.jsonEnabled()) return 'json'
    return this.flags?.output ?? defaultOutputFormat(Boolean(process.stdout.isTTY))
  }

  /** Whether a flag was given on the command line (not only through its environment variable). */
  protected givenOnCommandLine(flag: string): boolean {
    return this.givenFlags.has(flag)
  }

  /** `bootdiag analyze`: how the user calls this command. */
  protected get commandLine(): string {
    return [this.config.bin, ...(this.id?.split(':') ?? [])].join(' ')
  }

  /** True when a script reads stdout, so no prompt may appear and no decoration is printed. */
  protected get machineOutput(): boolean {
    return this.outputFormat !== 'table'
  }

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags, raw} = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    for (const token of raw) if (token.type === 'flag') this.givenFlags.add(token.flag)
    if (this.flags.json && this.givenFlags.has('output') && this.flags.output !== 'json')
      throw new UsageError(
        `--json and -o ${this.flags.output} ask for two formats: pass one of them. Run '${this.commandLine} --help' for usage.`,
      )
    checkQuery(this.flags.query)
    if (this.flags.debug) {
      const {enableDebugLog} = await import('./debug-log.js')
      await enableDebugLog()
    }

    this.trapSignals()
  }

  /**
   * Print a command's result on stdout in the chosen format (oclif prints it for --json). `columns`
   * shape the table and tsv; `human`, when given, is the table format's view (a report, not a grid).
   */
  protected present<Row>(
    result: unknown,
    options: {columns?: Column<Row>[]; human?: (color: boolean) => string} = {},
  ): void {
    if (this.jsonEnabled()) return
    if (options.human && this.outputFormat === 'table' && !this.flags.query) {
      const text = options.human(colorEnabled(process.stdout))
      if (text) ux.stdout(printableOutput(redact(text)))
      return
    }

    const format = this.outputFormat
    const text = redact(
      render(result, {
        color: colorEnabled(process.stdout),
        columns: options.columns,
        format,
        query: this.flags.query,
      }),
    )
    // tsv escapes each value (output/format.ts), as the table does; json escapes control characters itself
    if (text) ux.stdout(format === 'table' ? printableOutput(text) : text)
  }

  /**
   * A note for the person at the terminal: stderr, never stdout, secrets removed, one line (a control
   * character in a name, a newline included, is shown escaped).
   */
  protected note(message: string): void {
    process.stderr.write(`${printable(redact(message))}\n`)
  }

  /** Several lines composed by output/ (whose values are already printable): stderr, secrets removed. */
  protected noteBlock(text: string): void {
    process.stderr.write(`${printableOutput(redact(text))}\n`)
  }

  protected warnUser(message: string): void {
    const prefix = colorEnabled(process.stderr) ? '\u001B[33mWarning:\u001B[39m' : 'Warning:'
    process.stderr.write(`${prefix} ${printable(redact(message))}\n`)
  }

  public override logJson(json: unknown): void {
    ux.stdout(redact(render(json, {color: false, format: 'json', query: this.flags?.query})))
  }

  public override toSuccessJson(result: unknown): unknown {
    return result
  }

  /** Turn any failure into a BootdiagError. Subclasses add mappings (Azure errors) and call super. */
  protected toBootdiagError(error: unknown): BootdiagError {
    if (this.interruptedBy) return new InterruptedError(this.interruptedBy)
    if (isBootdiagError(error)) return error
    if (isAbortError(error)) return new InterruptedError('SIGINT')
    if (isParseError(error)) {
      const suggestion = flagSuggestion(error, this.knownFlags())
      return new UsageError(
        `${parseErrorText(error.message)}.${suggestion ? ` Did you mean ${suggestion}?` : ''} Run '${this.commandLine} --help' for usage.`,
        {cause: error},
      )
    }

    return fileSystemError(error) ?? unexpectedError(error)
  }

  public override async catch(error: Error & {exitCode?: number}): Promise<void> {
    // oclif's own "exit" (this.exit) is not a failure to report.
    if ((error as {code?: string}).code === 'EEXIT') throw error
    try {
      ux.action.stop('failed')
    } catch {
      // no spinner was running
    }

    const failure = this.toBootdiagError(error)
    const color = colorEnabled(process.stderr)
    const prefix = color ? '\u001B[31mError:\u001B[39m' : 'Error:'
    process.stderr.write(`${prefix} ${printable(redact(failure.message.replaceAll(/\s*\n\s*/g, ' ')))}\n`)
    if (this.flags?.debug) {
      const cause = failure.cause ?? error
      const stack = cause instanceof Error ? (cause.stack ?? cause.message) : inspect(cause)
      process.stderr.write(`${printableLines(redact(stack))}\n`)
    }

    this.exit(failure.exitCode)
  }

  public override async finally(error: Error | undefined): Promise<void> {
    for (const [signal, handler] of this.signalHandlers) process.off(signal, handler)
    if (!error && this.exitCodeOnSuccess !== ExitCode.ok) process.exitCode = this.exitCodeOnSuccess
    await super.finally(error)
  }

  /** Every flag this command takes, as typed: `--name` and `-c`. */
  private knownFlags(): string[] {
    const flags = {...(this.ctor as typeof BaseCommand).baseFlags, ...this.ctor.flags}
    return Object.entries(flags).flatMap(([name, flag]) => [
      `--${name}`,
      ...((flag as {char?: string}).char ? [`-${(flag as {char?: string}).char}`] : []),
    ])
  }

  /** Throw if Ctrl-C was pressed, so loops stop between steps. */
  protected throwIfInterrupted(): void {
    if (this.interruptedBy) throw new InterruptedError(this.interruptedBy)
  }

  private trapSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = () => {
        if (this.interruptedBy) {
          // A second signal: stop now.
          process.exit(signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm)
        }

        this.interruptedBy = signal
        this.abortController.abort(new InterruptedError(signal))
      }

      process.on(signal, handler)
      this.signalHandlers.push([signal, handler])
    }
  }
}
/**
 * oclif's parse messages on one line: drop its "The following error(s) occurred:" header and "See more
 * help" footer, join the rest (e.g. "--force=true cannot also be provided when using --skip-snapshot").
 */
function parseErrorText(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) => line && !/^The following errors? occurred:?$/i.test(line) && !/^See more help with --help$/i.test(line),
    )
  return lines.join('; ').replace(/\.$/, '') || 'Invalid flags'
}

/** The nearest flags to the unknown one of a parse error, as `'--name'` (or `'--a' or '--b'`), if any is near. */
function flagSuggestion(error: Error, known: string[]): string | undefined {
  const unknown = (error as {flags?: unknown}).flags
  const typed = Array.isArray(unknown) ? String(unknown[0] ?? '') : /Nonexistent flags?: (\S+)/.exec(error.message)?.[1]
  if (!typed?.startsWith('--')) return undefined
  const name = typed.split('=')[0]
  const near = nearest(
    name,
    known.filter((flag) => flag.startsWith('--')),
  )
  return near.length > 0 ? near.map((flag) => `'${flag}'`).join(' or ') : undefined
}

/** oclif's flag/argument parsing errors (bad or missing flags): usage errors, exit 2. */
function isParseError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    ('parse' in error ||
      (error as {oclif?: {exit?: number}}).oclif?.exit === 2 ||
      /^Flag --\S+ expects (a value|one of these values)/.test(error.message))
  )
}
