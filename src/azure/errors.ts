/**
 * Maps what the Azure SDKs throw (RestError, recognised by name and statusCode/code — never instanceof,
 * which breaks across package copies) to bootdiag's errors: one line, what to do, the right exit code.
 */
import {
  AuthError,
  BootdiagError,
  InterruptedError,
  NotFoundError,
  fileSystemError,
  isAbortError,
  isBootdiagError,
  unexpectedError,
} from '../errors.js'
import {displayUrl} from '../util/redact.js'

export interface RestErrorLike {
  name: string
  message: string
  statusCode?: number
  code?: string
  request?: {url?: string}
  response?: {headers?: {get(name: string): string | undefined}; bodyAsText?: string | null}
}

export function isRestError(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === 'RestError'
}

/** What the failing call was about, so the message can name it. */
export interface ErrorContext {
  subscriptionId?: string
  resourceGroup?: string
  vmName?: string
  /** "list VMs", "read the serial log", ... */
  action?: string
  /** the Azure permission the call needs, for when the error body does not say (paged lists lose it) */
  permission?: string
}

const ROLE_FOR_ACTION: Array<[RegExp, string]> = [
  [
    /retrieveBootDiagnosticsData/i,
    "'Virtual Machine Contributor' (or a role with Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action)",
  ],
  [/\/(restart|redeploy|powerOff|deallocate|start)\/action/i, "'Virtual Machine Contributor'"],
  [/\/read$/i, "'Reader'"],
]

function roleFor(action: string | undefined): string {
  if (action) for (const [pattern, role] of ROLE_FOR_ACTION) if (pattern.test(action)) return role
  return "'Reader' (and 'Virtual Machine Contributor' to read boot diagnostics)"
}

/** A storage-service error code: the x-ms-error-code header, or the code the SDK parsed. */
function storageErrorCode(error: RestErrorLike): string | undefined {
  return error.response?.headers?.get('x-ms-error-code') ?? error.code
}

/**
 * Any failure of a run that talks to Azure, as the one-line error a user reads: an interruption (the
 * signal's reason), Azure's answers, the file system, else unexpected. Services that report failures per
 * VM (and keep going) use it; commands use the same mapping through their base class.
 */
export function describeFailure(error: unknown, signal?: AbortSignal, context: ErrorContext = {}): BootdiagError {
  if (signal?.aborted && isBootdiagError(signal.reason)) return signal.reason
  if (isBootdiagError(error)) return error
  if (isAbortError(error)) return new InterruptedError('SIGINT')
  return toBootdiagErrorFromAzure(error, context) ?? fileSystemError(error) ?? unexpectedError(error)
}

export function toBootdiagErrorFromAzure(error: unknown, context: ErrorContext = {}): BootdiagError | undefined {
  if (isBootdiagError(error)) return error
  if (!isRestError(error)) return networkError(error)
  const status = error.statusCode
  const code = storageErrorCode(error) ?? ''
  const host = hostOf(error.request?.url)
  const what = context.action ? ` to ${context.action}` : ''

  if (status === 401) {
    return new AuthError(
      `Azure rejected the sign-in token${what} (${code || 'HTTP 401'}). Sign in again (e.g. 'az login'), and check that --cloud/--arm-endpoint match the account's cloud.`,
      {cause: error, code: 'Unauthorized'},
    )
  }

  if (status === 403) {
    switch (code) {
      case 'AuthorizationPermissionMismatch': {
        return new AuthError(
          `The signed-in identity may not read blobs in the boot diagnostics storage account${host ? ` ${host}` : ''}: it needs the 'Storage Blob Data Reader' role on that account (or use managed boot diagnostics).`,
          {cause: error, code: 'StorageRoleMissing'},
        )
      }

      case 'AuthorizationFailure': {
        return new AuthError(
          `The storage account${host ? ` ${host}` : ''} refused the request: its firewall or network rules do not allow this machine. Allow this network in the account's Networking settings, or run bootdiag from an allowed network.`,
          {cause: error, code: 'StorageFirewall'},
        )
      }

      case 'AuthenticationFailed': {
        const detail = `${error.message} ${JSON.stringify((error as {details?: unknown}).details ?? '')}`
        const timeFrame = /time frame|expired|Signed expiry/i.test(detail)
        return new AuthError(
          timeFrame
            ? "The storage SAS URL was rejected as expired or not yet valid. Run the command again for a fresh one, and check this machine's clock."
            : 'The storage service rejected the credentials (AuthenticationFailed). Run the command again; if it persists, check the clock and the account.',
          {cause: error, code: timeFrame ? 'SasExpired' : 'StorageAuthenticationFailed'},
        )
      }

      case 'AuthorizationFailed':
      case 'LinkedAuthorizationFailed':
      default: {
        const action = /perform action '([^']+)'/.exec(error.message)?.[1] ?? context.permission
        const scope = /over scope '([^']+)'/.exec(error.message)?.[1] ?? scopeOf(context)
        return new AuthError(
          `Permission denied${what}${action ? `: the identity may not perform ${action}` : ''}${scope ? ` on ${scope}` : ''}. Ask for the ${roleFor(action)} role on that scope, then sign in again.`,
          {cause: error, code: 'PermissionDenied'},
        )
      }
    }
  }

  if (status === 404) {
    if (code === 'ResourceGroupNotFound') {
      return new NotFoundError(
        `Resource group '${context.resourceGroup ?? '?'}' was not found${context.subscriptionId ? ` in subscription ${context.subscriptionId}` : ''}. Check the name, or pass --subscription for another subscription.`,
        {cause: error, code: 'ResourceGroupNotFound'},
      )
    }

    if (code === 'SubscriptionNotFound' || code === 'InvalidSubscriptionId') {
      return new NotFoundError(
        `Subscription '${context.subscriptionId ?? '?'}' was not found or is not visible to this identity. List yours with 'az account list', then pass --subscription.`,
        {cause: error, code: 'SubscriptionNotFound'},
      )
    }

    if (context.vmName && (code === 'ResourceNotFound' || code === 'NotFound' || !code)) {
      return new NotFoundError(
        `VM '${context.vmName}' was not found in resource group '${context.resourceGroup ?? '?'}'. List the VMs and scale-set instances with 'bootdiag vm list${context.resourceGroup ? ` -g ${context.resourceGroup}` : ''} --all --include-vmss'.`,
        {cause: error, code: 'VmNotFound'},
      )
    }
  }

  if (status === 429) {
    const retryAfter = error.response?.headers?.get('retry-after')
    return new BootdiagError(
      `Azure is throttling requests${what}${retryAfter ? ` (retry after ${retryAfter} s)` : ''}. Wait and run again, or narrow the scope with -g.`,
      {cause: error, code: 'Throttled'},
    )
  }

  const message = firstLine(error.message) || `HTTP ${status ?? '?'}`
  return new BootdiagError(
    `Azure request failed${what}: ${message} (${code || `HTTP ${status ?? '?'}`}). Run again with --debug for details.`,
    {
      cause: error,
      code: 'AzureError',
    },
  )
}

function networkError(error: unknown): BootdiagError | undefined {
  if (!(error instanceof Error)) return undefined
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const text = `${code} ${error.message}`
  if (/SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|CERT_|unable to verify the first certificate/i.test(text)) {
    return new BootdiagError(
      `The TLS certificate of an Azure endpoint is not trusted (${code || 'certificate error'}). For a private CA (Azure Stack Hub), set NODE_EXTRA_CA_CERTS to its PEM file.`,
      {cause: error, code: 'TlsUntrusted'},
    )
  }

  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(text)) {
    const host = /(?:getaddrinfo \w+|connect \w+) ([^\s]+)/.exec(error.message)?.[1]
    return new BootdiagError(
      `Cannot reach ${host ?? 'an Azure endpoint'} (${code || 'network error'}). Check the network and proxy settings, and --cloud/--arm-endpoint.`,
      {cause: error, code: 'NetworkError'},
    )
  }

  return undefined
}

function scopeOf(context: ErrorContext): string | undefined {
  if (!context.subscriptionId) return undefined
  return `/subscriptions/${context.subscriptionId}${context.resourceGroup ? `/resourceGroups/${context.resourceGroup}` : ''}`
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(displayUrl(url)).host
  } catch {
    return undefined
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? ''
  // ARM messages are sometimes JSON bodies; keep the message field.
  const json = /"message"\s*:\s*"([^"]+)"/.exec(line)?.[1]
  return (json ?? line).trim().slice(0, 300)
}
