/**
 * A fake of Azure on 127.0.0.1 over HTTPS, for end-to-end tests of bootdiag and for benchmarks:
 * Resource Manager (Microsoft.Resources, Microsoft.Compute incl. long-running power actions, the cloud
 * metadata endpoint), Microsoft Entra ID's token endpoint, and boot diagnostics storage backed by a real
 * Azurite (through a counting fault proxy). "A fake must answer as Azure does": shapes and error texts are
 * documented, with their sources, in arm.ts, arm-shapes.ts, aad.ts, metadata.ts and storage.ts.
 *
 *   const fake = await startFakeAzure()
 *   await fake.addVm({name: 'web-01'})                 // managed boot diagnostics, running, one boot logged
 *   const run = spawnSync(process.execPath, ['bin/run.js', 'vm', 'list'], {env: {...process.env, ...fake.env()}})
 *   await fake.stop()
 */
import type {AzuriteInstance} from '../helpers/azurite.js'
import {startAzurite} from '../helpers/azurite.js'
import {registerTestSecret} from '../helpers/known-secrets.js'
import {testTls, trustTestCaInProcess} from '../helpers/tls.js'
import {aadRoutes} from './aad.js'
import {FakeArm, type OperationFailure} from './arm.js'
import {startFaultProxy, type FaultProxy} from './fault-proxy.js'
import {FaultInjector} from './faults.js'
import {
  FakeIngestion,
  MONITOR_AUDIENCE,
  type FakeDataCollectionRule,
  type RuleInit,
  ingestionFaultReply,
} from './monitor-ingestion.js'
import {addScaleSetFixture, addVmFixture, type ScaleSetFixture, type VmFixture} from './fixtures.js'
import {startServiceServer, type RunningServer} from './http.js'
import type {CloudMetadataOptions} from './metadata.js'
import {RequestLog} from './request-log.js'
import {aadError, armFaultReply, blobError, blobFaultReply, httpDate, type Reply} from './responses.js'
import {
  FakeAzureState,
  type FakeAzureSettings,
  type FakePrincipal,
  type FakeScaleSet,
  type FakeSubscription,
  type FakeVm,
  type PrincipalInit,
  type SubscriptionInit,
  type VmRef,
} from './state.js'
import {BootDiagnosticsStorage, type BlobKind} from './storage.js'
import {TokenIssuer, type MintOptions} from './tokens.js'

export {makeBmp} from './bmp.js'
export {startFaultProxy} from './fault-proxy.js'
export type {FaultProxy, FaultProxyOptions} from './fault-proxy.js'
export {FaultInjector} from './faults.js'
export type {FaultHandle, FaultRule} from './faults.js'
export type {ScaleSetFixture, StorageKind, VmFixture} from './fixtures.js'
export {metadataShape} from './metadata.js'
export {INGESTION_API_VERSION, MAX_CALL_BYTES, MONITOR_AUDIENCE} from './monitor-ingestion.js'
export type {ColumnType, FakeDataCollectionRule, IngestionCall, RuleInit} from './monitor-ingestion.js'
export {RequestLog} from './request-log.js'
export type {RequestFilter, RequestRecord, Service} from './request-log.js'
export {sampleBootLog, samplePanicBootLog, sampleShutdownLog} from './sample-logs.js'
export {WINDOWS_DEFAULT_SCREEN, screenBmp} from './screens.js'
export {FakeAzureState, SAC_BANNER} from './state.js'
export type {
  BootDiagnosticsConfig,
  FakePrincipal,
  FakeScaleSet,
  FakeSubscription,
  FakeVm,
  PowerAction,
  PowerState,
  RoleGrant,
  RoleName,
  VmRef,
} from './state.js'
export type {BlobKind} from './storage.js'
export {decodeClaims} from './tokens.js'

/** Storage accounts of the fake: the platform one (managed boot diagnostics) and customer ones. */
export const PLATFORM_STORAGE_ACCOUNT = 'devstoreaccount1'
export const DEFAULT_CUSTOM_STORAGE_ACCOUNT = 'bdcustomdiag01'

export interface FakeAzureOptions {
  /** the tenant of the default principal and subscription (default: a random GUID) */
  tenantId?: string
  /** the default service principal (default: random client ID and secret, Contributor on everything) */
  principal?: PrincipalInit
  /** subscriptions to create (default: one, "Bootdiag Test Subscription"); the first is the default */
  subscriptions?: SubscriptionInit[]
  /** audiences ARM accepts and the metadata lists (default: [`<armEndpoint>/`]) */
  armAudiences?: string[]
  /** extra resources Entra will issue tokens for (ARM's audiences, https://storage.azure.com and the public
   *  ARM audiences are always known — a public-cloud token is then refused by the fake ARM) */
  knownResources?: string[]
  /** the cloud's name in the metadata (default 'FakeAzureCloud') */
  cloudName?: string
  /** storage suffix in the metadata (default 'core.fake.test': nothing resolves it, use the URLs ARM gives) */
  storageSuffix?: string
  /** 'ADFS': the metadata points at `<authority>/adfs`, tenant 'adfs' (disconnected Azure Stack Hub) */
  identityProvider?: 'AAD' | 'ADFS'
  settings?: Partial<FakeAzureSettings>
  /** boot diagnostics storage in Azurite (default on); false: ARM and sign-in only */
  storage?:
    | false
    | {
        /** blob type of the serial log (default 'append'; see storage.ts) */
        logBlobType?: BlobKind
        screenshotBlobType?: 'block' | 'page'
        /** customers' storage accounts to create in Azurite (default ['bdcustomdiag01']) */
        customAccounts?: string[]
        /** reuse a running Azurite (it must serve the accounts above); default: start one */
        azurite?: AzuriteInstance
      }
}

export interface FakeStorageInfo {
  /** the origin URLs handed out use: the fault proxy in front of Azurite */
  origin: string
  /** Azurite itself (no proxy, no faults, not counted) */
  directOrigin: string
  azurite: AzuriteInstance
  proxy: FaultProxy
  platformAccount: string
  customAccounts: string[]
  logBlobType: BlobKind
  writer: BootDiagnosticsStorage
}

export interface EnvOptions {
  /** also set AZURE_AUTHORITY_HOST (off by default: the CLI should take the authority from the metadata) */
  authorityHost?: boolean
  /** the principal to sign in as (default: the fake's default principal) */
  principal?: FakePrincipal
  /** override the client secret (e.g. a wrong one) */
  clientSecret?: string
  /**
   * Also route Node's own http/https/fetch through the dead proxy (NODE_USE_ENV_PROXY=1; default true), not
   * only the Azure SDK pipelines. Node prints an "EnvHttpProxyAgent is experimental" warning the first time
   * fetch is used with it.
   */
  nodeEnvProxy?: boolean
}

export interface FakeAzure {
  /** Resource Manager endpoint, e.g. https://127.0.0.1:40123 (no trailing slash) */
  armEndpoint: string
  /** Entra ID authority host, e.g. https://127.0.0.1:40124 */
  authorityHost: string
  /** the cloud metadata URL (current shape) */
  metadataUrl: string
  /** the first ARM audience and its scope (`<audience>/.default`) */
  armAudience: string
  armScope: string
  tenantId: string
  clientId: string
  clientSecret: string
  /** the default subscription */
  subscriptionId: string
  caCertPath: string
  caCert: string
  state: FakeAzureState
  /** every request answered (ARM, sign-in, blob, Logs Ingestion) */
  requests: RequestLog
  /** fault rules applied to ARM, sign-in and blob requests */
  faults: FaultInjector
  storage?: FakeStorageInfo
  /** Azure Monitor's Logs Ingestion API: a data collection endpoint and its rules (monitor-ingestion.ts) */
  ingestion: {
    /** the data collection endpoint's logs ingestion URL, e.g. https://127.0.0.1:40125 */
    endpoint: string
    /** a data collection rule declaring one stream; the default principal may publish to it */
    addRule(init: RuleInit): FakeDataCollectionRule
  }
  /** The environment for a CLI subprocess (see EnvOptions). */
  env(options?: EnvOptions): Record<string, string>
  /** Add a VM (default: managed boot diagnostics, running, one healthy boot logged, a BMP screenshot). */
  addVm(fixture: VmFixture): Promise<FakeVm>
  /** Add many VMs at once; their blobs are written in parallel (for benchmarks with large fleets). */
  addVms(fixtures: VmFixture[]): Promise<FakeVm[]>
  /** Add a scale set with instances (Uniform) or member VMs (Flexible). */
  addScaleSet(fixture: ScaleSetFixture): Promise<{scaleSet: FakeScaleSet; instances: FakeVm[]}>
  addSubscription(init?: SubscriptionInit): FakeSubscription
  addPrincipal(init?: PrincipalInit): FakePrincipal
  /** Grow a VM's serial log (appears in its blob when the promise resolves). */
  appendLog(vm: VmRef, bytes: Buffer | string): Promise<void>
  replaceLog(vm: VmRef, bytes: Buffer | string): Promise<void>
  deleteLog(vm: VmRef): Promise<void>
  setScreenshot(vm: VmRef, bytes: Buffer | undefined): Promise<void>
  /** Make the VM's next power action end as Failed. */
  failNextOperation(vm: VmRef, failure?: OperationFailure): void
  /** Wait until every state change has reached Azurite. */
  settled(): Promise<void>
  /** A token the fake ARM accepts (or, with overrides, one it refuses), for the default principal. */
  mintAccessToken(options?: Partial<MintOptions>): string
  stop(): Promise<void>
}

export async function startFakeAzure(options: FakeAzureOptions = {}): Promise<FakeAzure> {
  const tls = await testTls()
  // The fake's own storage client and any in-process SDK client in the test must trust the test CA.
  trustTestCaInProcess(tls.caCert)
  const state = new FakeAzureState(options.settings)
  state.addTenant(options.tenantId)
  const principal = state.addPrincipal(options.principal)
  registerTestSecret(principal.clientSecret)
  for (const init of options.subscriptions ?? [{}]) state.addSubscription(init)
  const issuer = new TokenIssuer()
  const requests = new RequestLog()
  const faults = new FaultInjector()
  const started: Array<{close(): Promise<void>}> = []

  try {
    let storageInfo: FakeStorageInfo | undefined
    if (options.storage !== false) {
      const storageOptions = options.storage ?? {}
      const customAccounts = storageOptions.customAccounts ?? [DEFAULT_CUSTOM_STORAGE_ACCOUNT]
      let azurite = storageOptions.azurite
      if (!azurite) {
        azurite = await startAzurite({accounts: Object.fromEntries(customAccounts.map((name) => [name, '']))})
        started.push({close: () => azurite!.stop()})
      }

      for (const account of azurite.accounts) registerTestSecret(account.key)
      const proxy = await startFaultProxy({
        classify: (info) => classifyBlobRequest(state, info.method, info.path, info.url),
        faultReply: (status, info, action) => blobFaultReply(status, info.method, action),
        faults,
        intercept: (info) => expiredSasAnswer(info.method, info.url),
        log: requests,
        service: 'blob',
        target: azurite.origin,
        tls: {cert: tls.cert, key: tls.key},
        upstreamCa: tls.caCert,
      })
      started.push(proxy)
      const writer = new BootDiagnosticsStorage(state, {
        azurite,
        logBlobType: storageOptions.logBlobType ?? 'append',
        platformAccount: PLATFORM_STORAGE_ACCOUNT,
        publicOrigin: proxy.origin,
        screenshotBlobType: storageOptions.screenshotBlobType ?? 'block',
      })
      storageInfo = {
        azurite,
        customAccounts,
        directOrigin: azurite.origin,
        logBlobType: storageOptions.logBlobType ?? 'append',
        origin: proxy.origin,
        platformAccount: PLATFORM_STORAGE_ACCOUNT,
        proxy,
        writer,
      }
    }

    // The two servers are started before their URLs are known to the handlers: late-bound getters.
    let armOrigin = ''
    let loginOrigin = ''
    const audiences = () => options.armAudiences ?? [`${armOrigin}/`]
    const metadata = (): CloudMetadataOptions => ({
      armEndpoint: armOrigin,
      audiences: audiences(),
      authorityHost: loginOrigin,
      cloudName: options.cloudName ?? 'FakeAzureCloud',
      identityProvider: options.identityProvider ?? 'AAD',
      storageSuffix: options.storageSuffix ?? 'core.fake.test',
    })
    const arm = new FakeArm({
      audiences,
      authorityHost: () => loginOrigin,
      issuer,
      metadata,
      state,
      storage: storageInfo?.writer,
    })
    const armServer: RunningServer = await startServiceServer({
      commonHeaders: (ctx) => arm.commonHeaders(ctx),
      faultReply: (status, _ctx, action) => armFaultReply(status, action.errorCode, action.message),
      faults,
      log: requests,
      notFound: (ctx) => arm.notFound(ctx),
      routes: arm.routes(),
      service: 'arm',
      tls,
    })
    started.push(armServer)
    armOrigin = armServer.origin

    const loginServer = await startServiceServer({
      commonHeaders: () => ({'x-ms-ests-server': '2.1.19393.5 - fake', 'x-ms-request-id': crypto.randomUUID()}),
      faultReply: (status, ctx, action) =>
        aadError(
          status,
          status === 429 || status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
          50_196,
          action.message ?? `Injected fault ${status}.`,
          ctx.origin,
        ),
      faults,
      log: requests,
      notFound: (ctx) =>
        aadError(
          404,
          'invalid_request',
          90_002,
          `The fake authority does not serve ${ctx.method} ${ctx.url.pathname}.`,
          ctx.origin,
        ),
      routes: aadRoutes({
        issuer,
        knownResources: () => [
          ...audiences(),
          'https://storage.azure.com',
          'https://management.azure.com',
          'https://management.core.windows.net',
          MONITOR_AUDIENCE,
          ...(options.knownResources ?? []),
        ],
        state,
      }),
      service: 'login',
      tls,
    })
    started.push(loginServer)
    loginOrigin = loginServer.origin

    const ingestion = new FakeIngestion({defaultPublisher: () => principal.objectId, issuer, state})
    const ingestionServer = await startServiceServer({
      faultReply: (status, _ctx, action) => ingestionFaultReply(status, action.message),
      faults,
      log: requests,
      notFound: (ctx) => ingestion.notFound(ctx),
      routes: ingestion.routes(),
      service: 'ingestion',
      tls,
    })
    started.push(ingestionServer)

    await storageInfo?.writer.settled()
    const defaultCustom = storageInfo?.customAccounts[0] ?? DEFAULT_CUSTOM_STORAGE_ACCOUNT
    const settle = async (vm?: FakeVm) => storageInfo?.writer.settled(vm)
    let stopped: Promise<void> | undefined
    const fake: FakeAzure = {
      async addScaleSet(fixture) {
        const result = addScaleSetFixture(state, fixture, defaultCustom)
        await settle()
        return result
      },
      addPrincipal(init) {
        const added = state.addPrincipal(init)
        registerTestSecret(added.clientSecret)
        return added
      },
      addSubscription: (init) => state.addSubscription(init),
      async addVm(fixture) {
        const vm = addVmFixture(state, fixture, defaultCustom)
        await settle(vm)
        return vm
      },
      async addVms(fixtures) {
        const vms = fixtures.map((fixture) => addVmFixture(state, fixture, defaultCustom))
        await settle()
        return vms
      },
      async appendLog(ref, bytes) {
        await settle(state.appendLog(ref, bytes))
      },
      armAudience: audiences()[0],
      armEndpoint: armOrigin,
      armScope: `${audiences()[0].replace(/\/+$/, '')}/.default`,
      authorityHost: loginOrigin,
      caCert: tls.caCert,
      caCertPath: tls.caCertPath,
      clientId: principal.clientId,
      clientSecret: principal.clientSecret,
      async deleteLog(ref) {
        await settle(state.deleteLog(ref))
      },
      env(envOptions = {}) {
        const who = envOptions.principal ?? principal
        const env: Record<string, string> = {
          AZURE_CLIENT_ID: who.clientId,
          AZURE_CLIENT_SECRET: envOptions.clientSecret ?? who.clientSecret,
          AZURE_SUBSCRIPTION_ID: state.defaultSubscriptionId,
          AZURE_TENANT_ID: who.tenantId,
          BOOTDIAG_ARM_ENDPOINT: armOrigin,
          BOOTDIAG_AUTH: 'environment',
          // Safety net: anything that is not loopback goes to a closed port and fails fast.
          HTTPS_PROXY: 'http://127.0.0.1:9',
          HTTP_PROXY: 'http://127.0.0.1:9',
          NODE_EXTRA_CA_CERTS: tls.caCertPath,
          NO_PROXY: '127.0.0.1,localhost',
          http_proxy: 'http://127.0.0.1:9',
          https_proxy: 'http://127.0.0.1:9',
          no_proxy: '127.0.0.1,localhost',
        }
        if (envOptions.nodeEnvProxy ?? true) env.NODE_USE_ENV_PROXY = '1'
        if (envOptions.authorityHost) env.AZURE_AUTHORITY_HOST = loginOrigin
        return env
      },
      failNextOperation: (ref, failure) => arm.failNextOperation(state.vm(ref), failure),
      faults,
      ingestion: {addRule: (init) => ingestion.addRule(init), endpoint: ingestionServer.origin},
      metadataUrl: `${armOrigin}/metadata/endpoints?api-version=2022-09-01`,
      mintAccessToken(mint = {}) {
        return issuer.mint({
          audience: mint.audience ?? audiences()[0],
          clientId: mint.clientId ?? principal.clientId,
          lifetimeSeconds: mint.lifetimeSeconds ?? state.settings.tokenLifetimeSeconds,
          objectId: mint.objectId ?? principal.objectId,
          tenantId: mint.tenantId ?? principal.tenantId,
          claims: mint.claims,
        }).accessToken
      },
      async replaceLog(ref, bytes) {
        await settle(state.replaceLog(ref, bytes))
      },
      requests,
      async setScreenshot(ref, bytes) {
        await settle(state.setScreenshot(ref, bytes))
      },
      settled: () => settle(),
      state,
      stop() {
        stopped ??= (async () => {
          storageInfo?.writer.stop()
          for (const server of started.reverse()) await server.close()
        })()
        return stopped
      },
      storage: storageInfo,
      subscriptionId: state.defaultSubscriptionId,
      tenantId: principal.tenantId,
    }
    return fake
  } catch (error) {
    for (const server of started.reverse()) await server.close().catch(() => {})
    throw error
  }
}

/** Route and VM of a blob request, from the path `/<account>/<container>/<blob>`. */
function classifyBlobRequest(
  state: FakeAzureState,
  method: string,
  path: string,
  url: URL,
): {route: string; vm?: string} {
  const [, , container, ...blobParts] = path.split('/')
  const blob = blobParts.join('/')
  const vmId = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(container ?? '')?.[1]
  const vm = vmId ? state.vmByVmId(vmId)?.name : undefined
  const verb = method.toLowerCase()
  if (!blob) return {route: url.searchParams.get('comp') === 'list' ? 'blob.list' : `blob.container.${verb}`, vm}
  return {route: `blob.${verb}`, vm}
}

/**
 * Azurite answers an expired SAS with 403 AuthorizationFailure; Azure answers 403 AuthenticationFailed with
 * `Signature not valid in the specified time frame: Start [...] - Expiry [...] - Current [...]`
 * (AzureStorageExplorer#3219). The proxy answers such requests itself, as Azure would.
 */
function expiredSasAnswer(method: string, url: URL): Reply | undefined {
  const params = url.searchParams
  if (!params.get('sig')) return undefined
  const expiry = params.get('se')
  const start = params.get('st')
  const now = new Date()
  const expired = expiry !== null && Date.parse(expiry) < now.getTime()
  const early = start !== null && Date.parse(start) > now.getTime()
  if (!expired && !early) return undefined
  const detail = `Signature not valid in the specified time frame: Start [${start ? httpDate(new Date(start)) : ''}] - Expiry [${expiry ? httpDate(new Date(expiry)) : ''}] - Current [${httpDate(now)}]`
  return blobError(403, 'AuthenticationFailed', {authenticationErrorDetail: detail, method})
}
