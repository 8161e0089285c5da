/**
 * The fake Microsoft Entra ID (the authority host): what MSAL's client-credentials flow calls, as
 * @azure/identity's ClientSecretCredential/EnvironmentCredential drive it.
 *
 * - GET  /common/discovery/instance                       instance discovery (MSAL skips it when
 *                                                         disableInstanceDiscovery is set; served anyway)
 * - GET  /{tenant}/v2.0/.well-known/openid-configuration  v2 metadata (MSAL reads token_endpoint)
 * - GET  /{tenant}/.well-known/openid-configuration       v1 / AD FS metadata (`/adfs/...`)
 * - POST /{tenant}/oauth2/v2.0/token                      client credentials with `scope=<resource>/.default`
 * - POST /{tenant}/oauth2/token                           v1 / AD FS token endpoint (`scope` or `resource`)
 *
 * Errors are Entra's own (AADSTS codes and texts as Entra words them):
 * AADSTS90002 unknown tenant, AADSTS700016 unknown application, AADSTS7000112 disabled application,
 * AADSTS7000222 expired secret, AADSTS7000215 wrong secret (401 invalid_client), AADSTS1002012 scope without
 * `/.default`, AADSTS500011 unknown resource, AADSTS7000218 no secret.
 */
import type {Route, RouteContext} from './http.js'
import {aadError, json, type Reply} from './responses.js'
import type {FakeAzureState, FakePrincipal, FakeTenant} from './state.js'
import type {TokenIssuer} from './tokens.js'

export interface AadDeps {
  state: FakeAzureState
  issuer: TokenIssuer
  /** resources (audiences) Entra knows, without a trailing slash; a scope for anything else gets AADSTS500011 */
  knownResources(): string[]
}

const OIDC_SCOPES = new Set(['email', 'offline_access', 'openid', 'profile'])

export function aadRoutes(deps: AadDeps): Route[] {
  return [
    {
      handle: (ctx) => instanceDiscovery(ctx),
      method: 'GET',
      name: 'aad.instanceDiscovery',
      pattern: /^\/common\/discovery\/instance\/?$/i,
    },
    {
      handle: (ctx) => openIdConfiguration(deps, ctx, ctx.params[0], 'v2'),
      method: 'GET',
      name: 'aad.openidConfiguration',
      pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/i,
    },
    {
      handle: (ctx) => openIdConfiguration(deps, ctx, ctx.params[0], 'v1'),
      method: 'GET',
      name: 'aad.openidConfiguration',
      pattern: /^\/([^/]+)\/\.well-known\/openid-configuration\/?$/i,
    },
    {
      handle: (ctx) => token(deps, ctx, ctx.params[0], 'v2'),
      method: 'POST',
      name: 'aad.token',
      pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/i,
    },
    {
      handle: (ctx) => token(deps, ctx, ctx.params[0], 'v1'),
      method: 'POST',
      name: 'aad.token',
      pattern: /^\/([^/]+)\/oauth2\/token\/?$/i,
    },
  ]
}

function instanceDiscovery(ctx: RouteContext): Reply {
  const host = new URL(ctx.origin).host
  return json(200, {
    'api-version': '1.1',
    metadata: [{aliases: [host], preferred_cache: host, preferred_network: host}],
    tenant_discovery_endpoint: `${ctx.origin}/{tenant}/v2.0/.well-known/openid-configuration`,
  })
}

/** A tenant by GUID or domain; AD FS's 'adfs' maps to the default tenant. */
function findTenant(state: FakeAzureState, tenant: string): FakeTenant | undefined {
  const wanted = tenant.toLowerCase()
  if (wanted === 'adfs') return state.tenants.get(state.defaultTenantId.toLowerCase())
  for (const t of state.tenants.values()) {
    if (t.tenantId.toLowerCase() === wanted || t.defaultDomain.toLowerCase() === wanted) return t
  }

  return undefined
}

function unknownTenant(ctx: RouteContext, tenant: string): Reply {
  return aadError(
    400,
    'invalid_request',
    90_002,
    `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ctx.origin,
  )
}

function openIdConfiguration(deps: AadDeps, ctx: RouteContext, tenantSegment: string, version: 'v1' | 'v2'): Reply {
  const tenant = findTenant(deps.state, tenantSegment)
  if (!tenant) return unknownTenant(ctx, tenantSegment)
  const base = `${ctx.origin}/${tenantSegment}`
  if (tenantSegment.toLowerCase() === 'adfs') {
    return json(200, {
      access_token_issuer: `${ctx.origin}/adfs/services/trust`,
      authorization_endpoint: `${base}/oauth2/authorize/`,
      end_session_endpoint: `${base}/oauth2/logout`,
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'password', 'implicit'],
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: `${ctx.origin}/adfs`,
      jwks_uri: `${base}/discovery/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      scopes_supported: ['openid', 'profile', 'email', 'allatclaims', 'user_impersonation', 'logon_cert'],
      token_endpoint: `${base}/oauth2/token/`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'client_secret_basic',
        'private_key_jwt',
        'windows_client_authentication',
      ],
      userinfo_endpoint: `${base}/userinfo`,
    })
  }

  const tid = tenant.tenantId
  const host = new URL(ctx.origin).host
  const v2 = version === 'v2'
  return json(200, {
    authorization_endpoint: v2 ? `${ctx.origin}/${tid}/oauth2/v2.0/authorize` : `${ctx.origin}/${tid}/oauth2/authorize`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    cloud_graph_host_name: host,
    cloud_instance_name: host,
    device_authorization_endpoint: `${ctx.origin}/${tid}/oauth2/v2.0/devicecode`,
    end_session_endpoint: v2 ? `${ctx.origin}/${tid}/oauth2/v2.0/logout` : `${ctx.origin}/${tid}/oauth2/logout`,
    frontchannel_logout_supported: true,
    http_logout_supported: true,
    id_token_signing_alg_values_supported: ['RS256'],
    issuer: v2 ? `${ctx.origin}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
    jwks_uri: v2 ? `${ctx.origin}/${tid}/discovery/v2.0/keys` : `${ctx.origin}/common/discovery/keys`,
    kerberos_endpoint: `${ctx.origin}/${tid}/kerberos`,
    msgraph_host: host,
    rbac_url: ctx.origin,
    request_uri_parameter_supported: false,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    subject_types_supported: ['pairwise'],
    tenant_region_scope: 'NA',
    token_endpoint: v2 ? `${ctx.origin}/${tid}/oauth2/v2.0/token` : `${ctx.origin}/${tid}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    userinfo_endpoint: `${ctx.origin}/oidc/userinfo`,
  })
}

function token(deps: AadDeps, ctx: RouteContext, tenantSegment: string, version: 'v1' | 'v2'): Reply {
  const form = new URLSearchParams(ctx.body.toString('utf8'))
  let clientId = form.get('client_id') ?? undefined
  let clientSecret = form.get('client_secret') ?? undefined
  const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '')
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':')
    clientId ??= decodeURIComponent(id ?? '')
    clientSecret ??= decodeURIComponent(secret ?? '')
  }

  const tenant = findTenant(deps.state, tenantSegment)
  if (!tenant) return unknownTenant(ctx, tenantSegment)
  if (form.get('grant_type') !== 'client_credentials') {
    return aadError(
      400,
      'unsupported_grant_type',
      70_003,
      `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`,
      ctx.origin,
    )
  }

  if (!clientId)
    return aadError(
      400,
      'invalid_request',
      900_144,
      "The request body must contain the following parameter: 'client_id'.",
      ctx.origin,
    )
  const principal = deps.state.principal(clientId)
  if (
    !principal ||
    (principal.tenantId.toLowerCase() !== tenant.tenantId.toLowerCase() && tenantSegment.toLowerCase() !== 'adfs')
  ) {
    return aadError(
      400,
      'unauthorized_client',
      700_016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      ctx.origin,
    )
  }

  const clientError = checkClient(principal, clientSecret, ctx)
  if (clientError) return clientError

  const resourceOrError = requestedResource(deps, ctx, form, tenant, version)
  if (typeof resourceOrError !== 'string') return resourceOrError
  const {accessToken, expiresIn} = deps.issuer.mint({
    audience: resourceOrError,
    clientId: principal.clientId,
    lifetimeSeconds: deps.state.settings.tokenLifetimeSeconds,
    objectId: principal.objectId,
    tenantId: tenant.tenantId,
  })
  const noStore = {'cache-control': 'no-store, no-cache', pragma: 'no-cache'}
  if (version === 'v2') {
    return json(
      200,
      {access_token: accessToken, expires_in: expiresIn, ext_expires_in: expiresIn, token_type: 'Bearer'},
      noStore,
    )
  }

  const now = Math.floor(Date.now() / 1000)
  return json(
    200,
    {
      access_token: accessToken,
      expires_in: String(expiresIn),
      expires_on: String(now + expiresIn),
      ext_expires_in: String(expiresIn),
      not_before: String(now - 300),
      resource: resourceOrError,
      token_type: 'Bearer',
    },
    noStore,
  )
}

function checkClient(principal: FakePrincipal, clientSecret: string | undefined, ctx: RouteContext): Reply | undefined {
  if (principal.disabled) {
    return aadError(
      400,
      'unauthorized_client',
      7_000_112,
      `Application '${principal.clientId}'(${principal.displayName}) is disabled.`,
      ctx.origin,
    )
  }

  if (!clientSecret) {
    return aadError(
      400,
      'invalid_request',
      7_000_218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      ctx.origin,
    )
  }

  if (principal.secretExpired) {
    return aadError(
      401,
      'invalid_client',
      7_000_222,
      `The provided client secret keys for app '${principal.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      ctx.origin,
    )
  }

  if (clientSecret !== principal.clientSecret) {
    return aadError(
      401,
      'invalid_client',
      7_000_215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${principal.clientId}'.`,
      ctx.origin,
    )
  }

  return undefined
}

/** The audience to issue for: `scope=<resource>/.default` (v2) or `resource=` (v1). */
function requestedResource(
  deps: AadDeps,
  ctx: RouteContext,
  form: URLSearchParams,
  tenant: FakeTenant,
  version: 'v1' | 'v2',
): Reply | string {
  let resource: string | undefined
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()))
  if (scopes.length > 0) {
    const scope = scopes[0]
    if (!/\/\.default$/i.test(scope)) {
      return aadError(
        400,
        'invalid_scope',
        1_002_012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        ctx.origin,
      )
    }

    resource = scope.replace(/\/\.default$/i, '')
  } else if (version === 'v1' && form.get('resource')) {
    resource = form.get('resource')!
  }

  if (!resource) {
    return aadError(
      400,
      'invalid_request',
      900_144,
      "The request body must contain the following parameter: 'scope'.",
      ctx.origin,
    )
  }

  const normalized = resource.replace(/\/+$/, '').toLowerCase()
  const known = deps.knownResources().map((r) => r.replace(/\/+$/, '').toLowerCase())
  if (!known.includes(normalized)) {
    return aadError(
      400,
      'invalid_resource',
      500_011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      ctx.origin,
    )
  }

  return resource
}
