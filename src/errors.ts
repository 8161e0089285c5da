/**
 * bootdiag's error model: every failure a user can meet is a BootdiagError with a one-line message that
 * says what to do next, and an exit code from the one table every command shares (README "Exit codes").
 * Nothing here knows about oclif; the base command turns these into output and process exit codes.
 */

export const ExitCode = {
  /** done; for analyze/watch: the verdict is healthy */
  ok: 0,
  /** error (Azure, I/O, not found, ...) */
  error: 1,
  /** bad or missing flags, or a prompt was needed without a TTY */
  usage: 2,
  /** analyze/watch: the log shows a failure outcome */
  failureOutcome: 3,
  /** sign-in failed or permission denied */
  auth: 4,
  /** watch: timed out; archive: some VMs failed, others were archived */
  partial: 5,
  /** another run holds the archive lock */
  locked: 6,
  /** interrupted by SIGINT */
  sigint: 130,
  /** interrupted by SIGTERM */
  sigterm: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export interface BootdiagErrorOptions {
  /** a stable machine-readable identifier, e.g. 'VmNotFound' */
  code?: string
  cause?: unknown
  exitCode?: ExitCodeValue
}

/** A failure the user can act on. `message` is one line and ends with what to do. */
export class BootdiagError extends Error {
  readonly code: string
  readonly exitCode: ExitCodeValue

  constructor(message: string, options: BootdiagErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'BootdiagError'
    this.code = options.code ?? 'Error'
    this.exitCode = options.exitCode ?? ExitCode.error
  }
}

/** Bad or missing flags (exit 2). */
export class UsageError extends BootdiagError {
  constructor(message: string, options: Omit<BootdiagErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'Usage', ...options, exitCode: ExitCode.usage})
    this.name = 'UsageError'
  }
}

/** Sign-in failed, or the identity lacks a permission (exit 4). */
export class AuthError extends BootdiagError {
  constructor(message: string, options: Omit<BootdiagErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'Auth', ...options, exitCode: ExitCode.auth})
    this.name = 'AuthError'
  }
}

/** A named thing (VM, resource group, subscription, file) does not exist (exit 1). */
export class NotFoundError extends BootdiagError {
  constructor(message: string, options: Omit<BootdiagErrorOptions, 'exitCode'> = {}) {
    super(message, {code: 'NotFound', ...options, exitCode: ExitCode.error})
    this.name = 'NotFoundError'
  }
}

/** The run was interrupted by a signal; nothing partial was left behind (exit 130/143). */
export class InterruptedError extends BootdiagError {
  constructor(
    readonly signal: 'SIGINT' | 'SIGTERM',
    message = `Interrupted by ${signal}; nothing partial was kept.`,
  ) {
    super(message, {code: 'Interrupted', exitCode: signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm})
    this.name = 'InterruptedError'
  }
}

export function isBootdiagError(error: unknown): error is BootdiagError {
  // Checked by shape, not instanceof: tsx may load this module twice in tests.
  return (
    error instanceof Error &&
    typeof (error as Partial<BootdiagError>).exitCode === 'number' &&
    typeof (error as Partial<BootdiagError>).code === 'string'
  )
}

/** Errors thrown by an aborted operation (AbortController), across the SDKs and node. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as {code?: string}).code === 'ABORT_ERR')
}
