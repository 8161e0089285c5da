/**
 * bootdiag's error model: every failure a user can meet is a BootdiagError with a one-line message that
 * says what to do next, and an exit code from the one table every command shares (README "Exit codes").
 * Nothing here knows about oclif; the base command turns these into output and process exit codes.
 */
import {existsSync} from 'node:fs'

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

/**
 * Every `code` a BootdiagError can carry: part of the JSON contract (the `error.code` of `archive` and the
 * VM operations' results; docs/schemas/error-code.schema.json lists them, and a test keeps the two equal).
 * Add a code here when a new failure needs one; never rename one.
 */
export const ERROR_CODES = [
  'AmbiguousSubscription',
  'AmbiguousVm',
  'ArchiveContainerNotFound',
  'ArchiveDenied',
  'ArchiveLink',
  'ArchiveLockUnusable',
  'ArchiveLocked',
  'ArchiveStorageError',
  'Auth',
  'AzureError',
  'BadArmEndpoint',
  'BadCloudMetadata',
  'BadDuration',
  'BadPattern',
  'BootDiagnosticsDisabled',
  'ChecksumMismatch',
  'CloudMetadataUnavailable',
  'ConfirmationRequired',
  'DiskFull',
  'Error',
  'FileAccess',
  'FileTooLarge',
  'IndexUnavailable',
  'Interrupted',
  'LongDownload',
  'MalformedId',
  'NetworkError',
  'NoBlobSource',
  'NoSubscription',
  'NoVms',
  'NotASnapshot',
  'NotAnArchive',
  'NotConfirmed',
  'NotFound',
  'NotReadable',
  'NotWritable',
  'OperationFailed',
  'PermissionDenied',
  'ResourceGroupNotFound',
  'SasExpired',
  'ShortDownload',
  'SignInFailed',
  'SignInServiceError',
  'SnapshotFailed',
  'SnapshotNotFound',
  'StorageAuthenticationFailed',
  'StorageFirewall',
  'StorageRoleMissing',
  'SubscriptionNotFound',
  'SubscriptionRequired',
  'Throttled',
  'TlsUntrusted',
  'TooManySnapshots',
  'Unauthorized',
  'Unexpected',
  'UnexpectedBlobAnswer',
  'UnreadableScreenshot',
  'UnknownCloud',
  'Usage',
  'VmNotFound',
  'VmNotRunning',
  'VmRequired',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface BootdiagErrorOptions {
  /** a stable machine-readable identifier, e.g. 'VmNotFound' */
  code?: ErrorCode
  cause?: unknown
  exitCode?: ExitCodeValue
}

/** A failure the user can act on. `message` is one line and ends with what to do. */
export class BootdiagError extends Error {
  readonly code: ErrorCode
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

/**
 * The one mapping of file-system errors (ENOSPC, EACCES, ...) to what a user reads. `action` says what was
 * being done ("write the archive", "read the serial log"), `path` the file, `fix` the way out for that
 * kind of path (a flag to pass). Undefined when the error is not a file-system error.
 */
export function fileSystemError(
  error: unknown,
  context: {what?: string; fix?: string; missingFix?: string; writing?: boolean} = {},
): BootdiagError | undefined {
  if (isBootdiagError(error)) return error
  const {code, path, syscall = ''} = (error ?? {}) as NodeJS.ErrnoException
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined
  const writing = context.writing ?? isWriteCall(code, syscall, path)
  const writeFix = context.fix ?? 'Choose a writable folder with --archive.'
  const readFix = context.fix ?? 'Check the path and its permissions.'
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT': {
      const reason = code === 'ENOSPC' ? 'No space left on the device' : 'The disk quota is used up'
      const writingWhat = context.what ? ` for ${context.what}` : ''
      return new BootdiagError(
        `${reason}${writingWhat} (${code}); nothing partial was kept. Free some space and run again.`,
        {cause: error, code: 'DiskFull'},
      )
    }

    case 'EFBIG': {
      return new BootdiagError(
        `${context.what ?? 'A file'} grew larger than this system lets a process write (EFBIG: the file-size limit, ulimit -f); nothing partial was kept. Raise the limit or free space, then run again.`,
        {cause: error, code: 'FileTooLarge'},
      )
    }

    case 'EROFS': {
      return new BootdiagError(
        `Cannot write ${context.what ?? path ?? 'the destination'} (EROFS); nothing partial was kept. ${writeFix}`,
        {cause: error, code: 'NotWritable'},
      )
    }

    case 'EACCES':
    case 'EPERM': {
      if (writing)
        return new BootdiagError(
          `Cannot write ${context.what ?? path ?? 'the destination'} (${code}); nothing partial was kept. ${writeFix}`,
          {cause: error, code: 'NotWritable'},
        )
      return new BootdiagError(
        `Cannot read ${context.what ?? path ?? 'a file'} (${code}: permission denied). ${readFix}`,
        {
          cause: error,
          code: 'NotReadable',
        },
      )
    }

    case 'ENOENT':
    case 'ENOTDIR':
    case 'EISDIR': {
      if (writing)
        return new BootdiagError(
          `Cannot write ${context.what ?? path ?? 'the destination'} (${code}): its folder does not exist. ${context.fix ?? 'Check the path.'}`,
          {cause: error, code: 'NotWritable'},
        )
      if (code === 'EISDIR')
        return new BootdiagError(
          `${context.what ?? path ?? 'The path'} is a directory, not a file (EISDIR). ${readFix}`,
          {
            cause: error,
            code: 'FileAccess',
          },
        )
      return new NotFoundError(
        `No such file or directory: ${context.what ?? path ?? 'a file'}. ${context.missingFix ?? readFix}`,
        {
          cause: error,
        },
      )
    }

    default: {
      return undefined
    }
  }
}

/**
 * The archive cannot take more (disk full, quota, size limit) or refuses writes: every VM would fail alike,
 * so an archive run stops instead of failing VM after VM.
 */
export function isWriteFailure(error: unknown): boolean {
  const {code, path, syscall} = (error ?? {}) as NodeJS.ErrnoException
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'EROFS') return true
  return (code === 'EACCES' || code === 'EPERM') && (path !== undefined || syscall === 'write')
}

/**
 * Whether a file-system error came from a call that writes. An open can be either: it counts when the file
 * does not exist, since then it was being created (reading a missing file fails with ENOENT instead).
 */
function isWriteCall(code: string, syscall: string, path: string | undefined): boolean {
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' || code === 'EROFS') return true
  if (syscall === 'open') return path !== undefined && !existsSync(path)
  return ['mkdir', 'rename', 'unlink', 'rmdir', 'write', 'copyfile', 'symlink', 'link', 'utime', 'chmod'].includes(
    syscall,
  )
}

/** A failure nothing else recognised: its first line, and where to look. */
export function unexpectedError(error: unknown): BootdiagError {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
  return new BootdiagError(`${message || 'Unexpected error'} (run again with --debug for details).`, {
    cause: error,
    code: 'Unexpected',
  })
}
