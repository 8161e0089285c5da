/**
 * What services get from Azure, built lazily and once per run: the signed-in identity, SDK clients per
 * subscription, Blob and container clients, Resource Graph, and the subscription the run works in. No
 * SDK is loaded until a service asks for a client, and nothing signs in until a token is needed — so a
 * run that stops early (a held archive lock, a usage error) makes no request.
 */
import type {AccessToken, GetTokenOptions, TokenCredential} from '@azure/core-auth'
import type {BlobClient, ContainerClient} from '@azure/storage-blob'

import type {
  AzureClients,
  BlobAuth,
  ComputeApi,
  LogsIngestionApi,
  PipelineSettings,
  ResourceGraphApi,
} from '../azure/clients.js'
import type {Cloud} from '../azure/clouds.js'
import type {AuthKind} from '../azure/credential.js'
import type {SubscriptionInfo} from '../azure/subscription.js'

/** Which cloud and identity: the flags every Azure command shares. */
export interface AzureSelection {
  auth: AuthKind
  cloud?: string
  armEndpoint?: string
  /** --subscription: an ID or a name; without it, the az CLI's default, else the only one visible */
  subscription?: string
}

export interface AzureAccess {
  /** the signed-in identity; signs in on the first token asked for */
  readonly credential: TokenCredential
  cloud(): Promise<Cloud>
  compute(subscriptionId: string): Promise<ComputeApi>
  blob(url: string, auth: BlobAuth): Promise<BlobClient>
  container(url: string, auth: BlobAuth): Promise<ContainerClient>
  resourceGraph(): Promise<ResourceGraphApi>
  /** Azure Monitor's Logs Ingestion API at a data collection endpoint (`archive --export-logs`) */
  logsIngestion(endpoint: string): Promise<LogsIngestionApi>
  /** the subscription this run works in (--subscription, else the defaults), resolved once */
  subscriptionId(): Promise<string>
  /** a subscription named by ID or display name */
  resolveSubscription(nameOrId: string): Promise<SubscriptionInfo>
  /** every subscription the identity can see */
  listSubscriptions(): AsyncIterable<SubscriptionInfo>
}

export interface AzureAccessOptions {
  settings?: PipelineSettings
  /** where sign-in instructions (device code) go: stderr */
  notify?: (message: string) => void
  env?: NodeJS.ProcessEnv
}

/** Azure for a run of the CLI: the cloud and the credential are made on first use, from the flags. */
export function createAzureAccess(selection: AzureSelection, options: AzureAccessOptions = {}): AzureAccess {
  return new LazyAzureAccess(
    async () => {
      const [{AzureClients, resolveCloud}, {createCredential}] = await Promise.all([
        import('../azure/clients.js'),
        import('../azure/credential.js'),
      ])
      const settings = options.settings ?? {}
      const cloud = await resolveCloud({armEndpoint: selection.armEndpoint, cloud: selection.cloud}, settings)
      const credential = await createCredential({
        cloud,
        env: options.env,
        kind: selection.auth,
        notify: options.notify ?? (() => {}),
      })
      return new AzureClients(cloud, credential, settings)
    },
    selection.subscription,
    options.env,
  )
}

/** Azure over clients already built (tests hand in clients pointed at the loopback fake). */
export function azureAccessFrom(clients: AzureClients, subscription?: string, env?: NodeJS.ProcessEnv): AzureAccess {
  return new LazyAzureAccess(async () => clients, subscription, env)
}

class LazyAzureAccess implements AzureAccess {
  private built?: Promise<AzureClients>
  private resolvedSubscription?: Promise<string>
  private graph?: Promise<ResourceGraphApi>

  readonly credential: TokenCredential = {
    getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> =>
      (await this.clients()).credential.getToken(scopes, options),
  }

  constructor(
    private readonly build: () => Promise<AzureClients>,
    private readonly subscription: string | undefined,
    private readonly env: NodeJS.ProcessEnv | undefined,
  ) {}

  private clients(): Promise<AzureClients> {
    this.built ??= this.build()
    return this.built
  }

  async cloud(): Promise<Cloud> {
    return (await this.clients()).cloud
  }

  async compute(subscriptionId: string): Promise<ComputeApi> {
    return (await this.clients()).compute(subscriptionId)
  }

  async blob(url: string, auth: BlobAuth): Promise<BlobClient> {
    return (await this.clients()).blob(url, auth)
  }

  async container(url: string, auth: BlobAuth): Promise<ContainerClient> {
    return (await this.clients()).container(url, auth)
  }

  resourceGraph(): Promise<ResourceGraphApi> {
    this.graph ??= this.clients().then((clients) => clients.resourceGraph())
    return this.graph
  }

  async logsIngestion(endpoint: string): Promise<LogsIngestionApi> {
    return (await this.clients()).logsIngestion(endpoint)
  }

  subscriptionId(): Promise<string> {
    this.resolvedSubscription ??= (async () => {
      const [clients, {resolveSubscription}] = await Promise.all([this.clients(), import('../azure/subscription.js')])
      return (await resolveSubscription(this.subscription, clients.subscriptionSources(this.env))).subscriptionId
    })()
    return this.resolvedSubscription
  }

  async resolveSubscription(nameOrId: string): Promise<SubscriptionInfo> {
    const [clients, {resolveSubscription}] = await Promise.all([this.clients(), import('../azure/subscription.js')])
    return resolveSubscription(nameOrId, clients.subscriptionSources(this.env))
  }

  async *listSubscriptions(): AsyncIterable<SubscriptionInfo> {
    yield* (await this.clients()).subscriptionSources(this.env).list()
  }
}
