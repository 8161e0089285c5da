/**
 * Sign-in: one credential per `--auth` kind, pointed at the cloud's authority, and wrapped so that a
 * failure to get a token becomes one line that names the credential tried and what to do (exit 4).
 * The SDKs are imported lazily: only commands that talk to Azure pay for @azure/identity.
 */
import type {AccessToken, GetTokenOptions, TokenCredential} from '@azure/core-auth'
import type {PipelinePolicy} from '@azure/core-rest-pipeline'

import {AuthError, BootdiagError, UsageError} from '../errors.js'
import {registerSecret} from '../util/redact.js'
import type {Cloud} from './clouds.js'

export const AUTH_KINDS = ['default', 'environment', 'cli', 'managed-identity', 'device-code', 'browser'] as const
export type AuthKind = (typeof AUTH_KINDS)[number]

export interface CredentialOptions {
  kind: AuthKind
  cloud: Cloud
  /** where device-code instructions go (stderr) */
  notify: (message: string) => void
  env?: NodeJS.ProcessEnv
}

const WHAT_TO_DO: Record<AuthKind, string> = {
  browser: 'sign in in the browser window that opens, or pick another method with --auth',
  cli: "run 'az login' (and 'az cloud set' for a sovereign cloud), or pick another method with --auth",
  default:
    "run 'az login', or set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET, or pick --auth device-code",
  'device-code': 'complete the device-code sign-in within its time limit, or pick another method with --auth',
  environment:
    'set AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH) for a service principal that exists in this cloud',
  'managed-identity':
    'run on an Azure resource with a managed identity (set AZURE_CLIENT_ID for a user-assigned one), or pick another method with --auth',
}

const CREDENTIAL_NAMES: Record<AuthKind, string> = {
  browser: 'interactive browser sign-in',
  cli: 'the Azure CLI (az login)',
  default: 'the default credential chain (environment, workload identity, managed identity, Azure CLI, ...)',
  'device-code': 'device-code sign-in',
  environment: 'the service principal from AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET',
  'managed-identity': 'the managed identity',
}

export function parseAuthKind(value: string): AuthKind {
  const kind = value.toLowerCase() as AuthKind
  if (!AUTH_KINDS.includes(kind)) {
    throw new UsageError(`Unknown --auth '${value}'. Use one of: ${AUTH_KINDS.join(', ')}.`)
  }

  return kind
}

/** Build the credential for `--auth`, wrapped to explain sign-in failures. */
export async function createCredential(options: CredentialOptions): Promise<TokenCredential> {
  const env = options.env ?? process.env
  registerSecret(env.AZURE_CLIENT_SECRET)
  registerSecret(env.AZURE_CLIENT_CERTIFICATE_PASSWORD)
  if (
    options.kind === 'environment' &&
    !(env.AZURE_CLIENT_ID && env.AZURE_TENANT_ID && (env.AZURE_CLIENT_SECRET || env.AZURE_CLIENT_CERTIFICATE_PATH))
  ) {
    const missing = ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID'].filter((name) => !env[name])
    if (!env.AZURE_CLIENT_SECRET && !env.AZURE_CLIENT_CERTIFICATE_PATH)
      missing.push('AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)')
    throw new AuthError(
      `--auth environment needs ${missing.join(', ')}: set them for a service principal, or pick another method with --auth.`,
      {code: 'SignInFailed'},
    )
  }

  const identity = await import('@azure/identity')
  // An explicit AZURE_AUTHORITY_HOST wins, as in every Azure SDK; otherwise the cloud's authority.
  const authorityHost = env.AZURE_AUTHORITY_HOST || options.cloud.authorityHost
  const probe = new SignInProbe(authorityHost)
  const additionalPolicies = [{policy: probe.policy, position: 'perRetry' as const}]
  const common = {
    additionalPolicies,
    authorityHost,
    // A custom (Azure Stack, AD FS, private) authority is not in Microsoft's instance-discovery list.
    disableInstanceDiscovery: isCustomAuthority(authorityHost),
  }
  const tenantId = options.cloud.tenant ?? env.AZURE_TENANT_ID
  let inner: TokenCredential
  switch (options.kind) {
    case 'default': {
      inner = new identity.DefaultAzureCredential({...common, tenantId})
      break
    }

    case 'environment': {
      inner = new identity.EnvironmentCredential(common)
      break
    }

    case 'cli': {
      inner = new identity.AzureCliCredential({tenantId})
      break
    }

    case 'managed-identity': {
      inner = env.AZURE_CLIENT_ID
        ? new identity.ManagedIdentityCredential({additionalPolicies, clientId: env.AZURE_CLIENT_ID})
        : new identity.ManagedIdentityCredential({additionalPolicies})
      break
    }

    case 'device-code': {
      inner = new identity.DeviceCodeCredential({
        ...common,
        clientId: env.AZURE_CLIENT_ID,
        tenantId,
        userPromptCallback: (info) => options.notify(info.message),
      })
      break
    }

    case 'browser': {
      inner = new identity.InteractiveBrowserCredential({...common, clientId: env.AZURE_CLIENT_ID, tenantId})
      break
    }
  }

  return new ExplainedCredential(inner, options.kind, probe)
}

/**
 * What the sign-in service last answered (the token, discovery and OpenID-configuration requests): the
 * identity SDK reports a 500 or 503 of the token endpoint as an authentication failure ("Status code: 400"),
 * which would send the user off to fix credentials that are fine. The HTTP answer itself tells them apart.
 */
export class SignInProbe {
  private last?: {host: string; status?: number; code?: string}
  private readonly authority: string

  constructor(authorityHost: string) {
    this.authority = hostOf(authorityHost)
  }

  readonly policy: PipelinePolicy = {
    name: 'bootdiagSignInProbe',
    sendRequest: async (request, next) => {
      const host = hostOf(request.url)
      try {
        const response = await next(request)
        this.last = {host, status: response.status}
        return response
      } catch (error) {
        this.last = {code: (error as {code?: string}).code ?? 'a network error', host}
        throw error
      }
    },
  }

  reset(): void {
    this.last = undefined
  }

  /** Why the last sign-in failed on the service's side (a 5xx or 429, or the authority unreachable), if it did. */
  serviceFailure(): string | undefined {
    const last = this.last
    if (!last) return undefined
    if (last.status !== undefined && (last.status >= 500 || last.status === 429))
      return `${last.host} answered HTTP ${last.status}`
    if (last.code && last.host === this.authority && TRANSIENT_NETWORK_CODES.test(last.code))
      return `${last.host} could not be reached (${last.code})`
    return undefined
  }
}

const TRANSIENT_NETWORK_CODES =
  /^(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|UND_ERR_\w+)$/

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return url
  }
}

function isCustomAuthority(host: string): boolean {
  const known = [
    'login.microsoftonline.com',
    'login.chinacloudapi.cn',
    'login.microsoftonline.us',
    'login.microsoftonline.de',
  ]
  try {
    return !known.includes(new URL(host).host.toLowerCase())
  } catch {
    return true
  }
}

/** Turns any sign-in failure into an AuthError that says which credential was tried and what to do. */
export class ExplainedCredential implements TokenCredential {
  constructor(
    private readonly inner: TokenCredential,
    readonly kind: AuthKind,
    private readonly probe?: SignInProbe,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.probe?.reset()
    try {
      const token = await this.inner.getToken(scopes, options)
      if (!token) throw new Error('no token was returned')
      return token
    } catch (error) {
      if (options?.abortSignal?.aborted) throw error
      const serviceFailure = this.probe?.serviceFailure()
      if (serviceFailure) throw signInServiceError(this.kind, serviceFailure, error)
      throw signInError(this.kind, error)
    }
  }
}

/** The sign-in service failed (5xx, throttled, unreachable): not the credentials' fault; exit 1, run again. */
export function signInServiceError(kind: AuthKind, what: string, cause?: unknown): BootdiagError {
  return new BootdiagError(
    `Sign-in with ${CREDENTIAL_NAMES[kind]} did not complete: the sign-in service ${what}. This is a service error, not a problem with the credentials; wait a minute and run again.`,
    {cause, code: 'SignInServiceError'},
  )
}

export function signInError(kind: AuthKind, error: unknown): AuthError {
  const reason = firstReason(error)
  return new AuthError(
    `Sign-in failed with ${CREDENTIAL_NAMES[kind]}${reason ? ` (${reason})` : ''}. To fix: ${WHAT_TO_DO[kind]}.`,
    {cause: error, code: 'SignInFailed'},
  )
}

/** The most useful short reason from an identity error (AADSTS code, "not installed", ...). */
function firstReason(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : ''
  const aadsts = /AADSTS\d+:[^.\n]*/.exec(message)
  if (aadsts) return aadsts[0].trim()
  if (/az(ure cli)?.*not (be )?(found|installed)|'az' is not recognized/i.test(message))
    return 'the Azure CLI is not installed'
  if (/az login|Please run 'az login'/i.test(message)) return 'not signed in to the Azure CLI'
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network/i.test(message))
    return 'the sign-in endpoint could not be reached'
  if (/self[- ]signed|unable to (get|verify) (local )?issuer|certificate/i.test(message)) {
    return "the sign-in endpoint's TLS certificate is not trusted; set NODE_EXTRA_CA_CERTS to your CA bundle"
  }

  const line =
    message
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? ''
  return line.length > 160 ? `${line.slice(0, 157)}...` : line
}
