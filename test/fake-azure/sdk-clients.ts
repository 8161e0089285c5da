/**
 * The real Azure SDK clients pointed at a running fake, built the way bootdiag builds them for a custom
 * cloud: ClientSecretCredential on the fake authority with instance discovery off, Compute and Subscription
 * clients on the fake ARM endpoint with the ARM audience's `/.default` scope. For in-process tests.
 */
import {ComputeManagementClient} from '@azure/arm-compute'
import {SubscriptionClient} from '@azure/arm-resources-subscriptions'
import {ClientSecretCredential} from '@azure/identity'

import {AzureClients} from '../../src/azure/clients.js'
import type {Cloud} from '../../src/azure/clouds.js'

import type {FakeAzure} from './index.js'
import type {FakePrincipal} from './state.js'

export interface SdkClientOptions {
  /** sign in as this principal (default: the fake's default one) */
  principal?: FakePrincipal
  clientSecret?: string
  /** SDK retries per request; 0 where faults are expected (default: the SDK's own) */
  maxRetries?: number
  subscriptionId?: string
}

export interface SdkClients {
  credential: ClientSecretCredential
  compute: ComputeManagementClient
  subscriptions: SubscriptionClient
}

export function sdkClients(fake: FakeAzure, options: SdkClientOptions = {}): SdkClients {
  const principal = options.principal
  const credential = new ClientSecretCredential(
    principal?.tenantId ?? fake.tenantId,
    principal?.clientId ?? fake.clientId,
    options.clientSecret ?? principal?.clientSecret ?? fake.clientSecret,
    {
      authorityHost: fake.authorityHost,
      disableInstanceDiscovery: true,
      retryOptions: {maxRetries: options.maxRetries ?? 0},
    },
  )
  const retryOptions = options.maxRetries === undefined ? undefined : {maxRetries: options.maxRetries}
  const common = {credentials: {scopes: [fake.armScope]}, endpoint: fake.armEndpoint, retryOptions}
  return {
    compute: new ComputeManagementClient(credential, options.subscriptionId ?? fake.subscriptionId, common),
    credential,
    subscriptions: new SubscriptionClient(credential, common),
  }
}

/**
 * bootdiag's own client factory (src/azure/clients.ts) on the fake, as a run builds it for a custom cloud:
 * for in-process tests of services (test/helpers/context.ts takes it).
 */
export function bootdiagClients(fake: FakeAzure, options: SdkClientOptions = {}): AzureClients {
  const cloud: Cloud = {
    armEndpoint: fake.armEndpoint,
    armScope: fake.armScope,
    authorityHost: fake.authorityHost,
    custom: true,
    name: 'FakeAzureCloud',
    storageSuffix: 'core.fake.test',
  }
  return new AzureClients(cloud, sdkClients(fake, options).credential, {
    maxRetries: options.maxRetries,
    userAgent: 'bootdiag-test',
  })
}
