/**
 * The one place that builds Azure SDK clients (Compute, Subscriptions, Resource Graph, Blob and
 * container clients, Azure Monitor's Logs Ingestion): from a cloud (endpoints, token scope), a credential and shared pipeline options
 * (retries, user agent, an injected HTTP client in tests). SDK packages are imported on first use, so
 * commands that never talk to Azure never load them. test/unit/architecture.test.ts keeps every SDK
 * client constructor in this folder.
 */
import type {ComputeManagementClient} from '@azure/arm-compute'
import type {SubscriptionClient} from '@azure/arm-resources-subscriptions'
import type {TokenCredential} from '@azure/core-auth'
import type {HttpClient} from '@azure/core-rest-pipeline'
import type {BlobClient, ContainerClient} from '@azure/storage-blob'

import {NotFoundError, BootdiagError} from '../errors.js'
import {type Cloud, cloudFromMetadata, knownCloud, monitorAudienceFor, parseArmEndpoint, trimSlash} from './clouds.js'
import {type SubscriptionSources, readAzCliDefaultSubscription} from './subscription.js'

export interface PipelineSettings {
  /** retries per request after the first try (the SDKs' default is 3) */
  maxRetries?: number
  /** a transport to use instead of node:https (tests) */
  httpClient?: HttpClient
  /** the User-Agent prefix, `bootdiag/<version>` (the package's version, from the CLI's config) */
  userAgent?: string
}

/** The User-Agent prefix when none is given (tests, the SDK-only paths). */
export const DEFAULT_USER_AGENT = 'bootdiag'

/** The narrow Resource Graph surface bootdiag uses (ResourceGraphClient.resources). */
export interface ResourceGraphApi {
  resources(
    query: {
      subscriptions?: string[]
      query: string
      options?: {top?: number; skipToken?: string; resultFormat?: 'objectArray' | 'table'}
    },
    options?: {abortSignal?: AbortSignal},
  ): Promise<{totalRecords: number; count: number; data: unknown; skipToken?: string; resultTruncated?: string}>
}

/** The subset of the compute client bootdiag uses; services take this, tests hand in a real client pointed at a fake. */
export type ComputeApi = Pick<
  ComputeManagementClient,
  'virtualMachineScaleSetVMs' | 'virtualMachineScaleSets' | 'virtualMachines'
>

/** Rows sent to a Logs Ingestion stream: how many, and what was refused (per 1 MB chunk the SDK sends). */
export interface LogsUploadOutcome {
  rows: number
  failedRows: number
  /** one per refused chunk: the HTTP status and Azure's error code and message, when there was an answer */
  errors: Array<{status?: number; code?: string; message: string}>
}

/** The narrow Logs Ingestion surface bootdiag uses (LogsIngestionClient.upload), never throwing for a refusal. */
export interface LogsIngestionApi {
  upload(
    ruleId: string,
    stream: string,
    rows: Record<string, unknown>[],
    options?: {abortSignal?: AbortSignal},
  ): Promise<LogsUploadOutcome>
}

/** How a blob is read: a SAS URL needs no credential; a custom storage account's plain URL takes the token. */
export type BlobAuth = {kind: 'sas'} | {kind: 'token'; credential: TokenCredential}

export class AzureClients {
  private readonly computeClients = new Map<string, Promise<ComputeManagementClient>>()

  constructor(
    readonly cloud: Cloud,
    readonly credential: TokenCredential,
    private readonly settings: PipelineSettings = {},
  ) {}

  private async armOptions() {
    const {retryBrokenBodiesPolicies} = await import('./retry-broken-bodies.js')
    return {
      // a body that breaks after the headers is retried too, for requests that only read
      additionalPolicies: retryBrokenBodiesPolicies(),
      credentials: {scopes: [this.cloud.armScope]},
      endpoint: this.cloud.armEndpoint,
      ...(this.settings.httpClient ? {httpClient: this.settings.httpClient} : {}),
      ...(this.settings.maxRetries === undefined ? {} : {retryOptions: {maxRetries: this.settings.maxRetries}}),
      userAgentOptions: {userAgentPrefix: this.settings.userAgent ?? DEFAULT_USER_AGENT},
    }
  }

  /** A Resource Graph client for this cloud and identity (one query lists a fleet across subscriptions). */
  async resourceGraph(): Promise<ResourceGraphApi> {
    const [{ResourceGraphClient}, options] = await Promise.all([import('@azure/arm-resourcegraph'), this.armOptions()])
    const client = new ResourceGraphClient(this.credential, options)
    return {
      resources: (query, requestOptions) => client.resources(query, {abortSignal: requestOptions?.abortSignal}),
    }
  }

  compute(subscriptionId: string): Promise<ComputeManagementClient> {
    let client = this.computeClients.get(subscriptionId)
    if (!client) {
      client = Promise.all([import('@azure/arm-compute'), this.armOptions()]).then(
        ([{ComputeManagementClient}, options]) => new ComputeManagementClient(this.credential, subscriptionId, options),
      )
      this.computeClients.set(subscriptionId, client)
    }

    return client
  }

  async subscriptions(): Promise<SubscriptionClient> {
    const {SubscriptionClient} = await import('@azure/arm-resources-subscriptions')
    return new SubscriptionClient(this.credential, await this.armOptions())
  }

  /** Where to look for a subscription when none was named. */
  subscriptionSources(env: NodeJS.ProcessEnv = process.env): SubscriptionSources {
    const subscriptions = () => this.subscriptions()
    return {
      azCliDefault: () => readAzCliDefaultSubscription(this.cloud.name, env),
      async *list() {
        const client = await subscriptions()
        for await (const sub of client.subscriptions.list()) {
          if (sub.subscriptionId)
            yield {
              displayName: sub.displayName,
              state: sub.state,
              subscriptionId: sub.subscriptionId,
              tenantId: sub.tenantId,
            }
        }
      },
    }
  }

  /**
   * Azure Monitor's Logs Ingestion API at a data collection endpoint (or a DCR's own logs ingestion
   * endpoint), with the run's identity and the cloud's Monitor audience. The SDK gzips each request and
   * splits the rows into chunks under 1 MB; the pipeline retries 429 and 5xx as the other clients do.
   */
  async logsIngestion(endpoint: string): Promise<LogsIngestionApi> {
    const {LogsIngestionClient, isAggregateLogsUploadError} = await import('@azure/monitor-ingestion')
    const client = new LogsIngestionClient(endpoint, this.credential, {
      audience: monitorAudienceFor(this.cloud, endpoint),
      ...(this.settings.httpClient ? {httpClient: this.settings.httpClient} : {}),
      ...(this.settings.maxRetries === undefined ? {} : {retryOptions: {maxRetries: this.settings.maxRetries}}),
      userAgentOptions: {userAgentPrefix: this.settings.userAgent ?? DEFAULT_USER_AGENT},
    })
    return {
      async upload(ruleId, stream, rows, options = {}) {
        try {
          await client.upload(ruleId, stream, rows, {abortSignal: options.abortSignal, maxConcurrency: 2})
          return {errors: [], failedRows: 0, rows: rows.length}
        } catch (error) {
          if (!isAggregateLogsUploadError(error)) throw error
          return {
            errors: error.errors.map(({cause}) => {
              const rest = cause as Error & {statusCode?: number; code?: string}
              return {
                message: rest.message.split('\n')[0],
                ...(rest.statusCode === undefined ? {} : {status: rest.statusCode}),
                ...(rest.code === undefined ? {} : {code: rest.code}),
              }
            }),
            failedRows: error.errors.reduce((total, failure) => total + failure.failedLogs.length, 0),
            rows: rows.length,
          }
        }
      },
    }
  }

  async blob(url: string, auth: BlobAuth): Promise<BlobClient> {
    const {AnonymousCredential, BlobClient} = await import('@azure/storage-blob')
    const credential = auth.kind === 'token' ? auth.credential : new AnonymousCredential()
    return new BlobClient(url, credential, storageOptions(this.settings))
  }

  /** A container client (the archive in a Blob container): with the identity's token, or the SAS in the URL. */
  container(url: string, auth: BlobAuth): Promise<ContainerClient> {
    return createContainerClient(url, auth, this.settings)
  }
}

/** A container client without a signed-in identity: the SAS in its URL is the credential. */
export async function createContainerClient(
  url: string,
  auth: BlobAuth,
  settings: PipelineSettings = {},
): Promise<ContainerClient> {
  const {AnonymousCredential, ContainerClient} = await import('@azure/storage-blob')
  return new ContainerClient(
    url,
    auth.kind === 'token' ? auth.credential : new AnonymousCredential(),
    storageOptions(settings),
  )
}

function storageOptions(settings: PipelineSettings) {
  return {
    // storage-blob counts tries including the first
    ...(settings.maxRetries === undefined ? {} : {retryOptions: {maxTries: settings.maxRetries + 1}}),
    userAgentOptions: {userAgentPrefix: settings.userAgent ?? DEFAULT_USER_AGENT},
  }
}

export interface CloudSelection {
  cloud?: string
  armEndpoint?: string
}

/** The cloud named by --cloud, or read from --arm-endpoint's metadata document (which wins when both are set). */
export async function resolveCloud(selection: CloudSelection, settings: PipelineSettings = {}): Promise<Cloud> {
  if (!selection.armEndpoint) return knownCloud(selection.cloud ?? 'AzureCloud')
  const arm = parseArmEndpoint(selection.armEndpoint)
  const document = await fetchCloudMetadata(trimSlash(arm.toString()), settings)
  try {
    return cloudFromMetadata(arm.toString(), document)
  } catch (error) {
    throw new BootdiagError(
      `The cloud metadata at ${arm.origin}/metadata/endpoints is incomplete: ${(error as Error).message}. Check --arm-endpoint.`,
      {
        cause: error,
        code: 'BadCloudMetadata',
      },
    )
  }
}

/** GET {arm}/metadata/endpoints, as `az cloud register` reads it; falls back to Azure Stack's legacy api-version. */
export async function fetchCloudMetadata(armEndpoint: string, settings: PipelineSettings = {}): Promise<unknown> {
  const [{createDefaultHttpClient, createPipelineFromOptions, createPipelineRequest}, {retryBrokenBodiesPolicy}] =
    await Promise.all([import('@azure/core-rest-pipeline'), import('./retry-broken-bodies.js')])
  const pipeline = createPipelineFromOptions({
    retryOptions: {maxRetries: settings.maxRetries ?? 2},
    userAgentOptions: {userAgentPrefix: settings.userAgent ?? DEFAULT_USER_AGENT},
  })
  pipeline.addPolicy(retryBrokenBodiesPolicy, {afterPhase: 'Retry'})
  const httpClient = settings.httpClient ?? createDefaultHttpClient()
  let lastError = ''
  for (const apiVersion of ['2022-09-01', '1.0']) {
    const url = `${armEndpoint}/metadata/endpoints?api-version=${apiVersion}`
    let response
    try {
      response = await pipeline.sendRequest(httpClient, createPipelineRequest({method: 'GET', url}))
    } catch (error) {
      const {toBootdiagErrorFromAzure} = await import('./errors.js')
      const mapped = toBootdiagErrorFromAzure(error)
      throw new BootdiagError(
        `Could not read the cloud metadata from ${armEndpoint}/metadata/endpoints: ${mapped?.message ?? (error as Error).message}`,
        {cause: error, code: mapped?.code ?? 'CloudMetadataUnavailable'},
      )
    }

    if (response.status === 200 && response.bodyAsText) {
      try {
        return JSON.parse(response.bodyAsText)
      } catch {
        lastError = 'the answer is not JSON'
        continue
      }
    }

    lastError = `HTTP ${response.status}`
  }

  throw new NotFoundError(
    `${armEndpoint} does not serve cloud metadata (${lastError}). Check --arm-endpoint: it must be the Resource Manager URL.`,
    {
      code: 'CloudMetadataUnavailable',
    },
  )
}
