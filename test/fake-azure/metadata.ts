/**
 * `GET {arm}/metadata/endpoints?api-version=…`: the cloud metadata document `az cloud register` and custom
 * clouds read (azure-facts §4). Three shapes, chosen by api-version as Azure does:
 * - 2022-09-01 and later: one cloud object `{name, resourceManager, portal, authentication: {loginEndpoint,
 *   audiences, tenant, identityProvider}, suffixes: {storage, …}, …}`;
 * - 2019-05-01 up to 2022-08-*: an array of clouds (here the public cloud first, as management.azure.com
 *   lists it, then the fake's own — so a client must pick the entry whose resourceManager matches);
 * - 1.0 / 2015-01-01 (Azure Stack Hub's legacy form): `{galleryEndpoint, graphEndpoint, portalEndpoint,
 *   authentication: {loginEndpoint, audiences}}`, no resourceManager, no suffixes.
 * With `identityProvider: 'ADFS'` the login endpoint is `<authority>/adfs` and the tenant `adfs`
 * (disconnected Azure Stack Hub).
 */
import type {RouteContext} from './http.js'
import {armError, json, type Reply} from './responses.js'

export interface CloudMetadataOptions {
  cloudName: string
  armEndpoint: string
  authorityHost: string
  audiences: string[]
  storageSuffix: string
  identityProvider: 'AAD' | 'ADFS'
}

export type MetadataShape = 'array' | 'current' | 'legacy'

/** Which document shape an api-version gets. */
export function metadataShape(apiVersion: string): MetadataShape {
  if (apiVersion === '1.0' || apiVersion < '2019-05-01') return 'legacy'
  if (apiVersion < '2022-09-01') return 'array'
  return 'current'
}

export function currentCloudDocument(options: CloudMetadataOptions): Record<string, unknown> {
  const adfs = options.identityProvider === 'ADFS'
  const arm = `${options.armEndpoint}/`
  return {
    activeDirectoryDataLake: `${options.armEndpoint}/datalake/`,
    authentication: {
      audiences: options.audiences,
      identityProvider: options.identityProvider,
      loginEndpoint: adfs ? `${options.authorityHost}/adfs` : options.authorityHost,
      tenant: adfs ? 'adfs' : 'common',
    },
    batch: `${options.armEndpoint}/batch/`,
    graph: `${options.armEndpoint}/graph/`,
    graphAudience: `${options.armEndpoint}/graph/`,
    media: `${options.armEndpoint}/media`,
    microsoftGraphResourceId: `${options.armEndpoint}/msgraph/`,
    name: options.cloudName,
    portal: `${options.armEndpoint}/portal`,
    resourceManager: arm,
    sqlManagement: `${options.armEndpoint}/sql/`,
    suffixes: {
      acrLoginServer: `azurecr.${options.storageSuffix}`,
      keyVaultDns: `vault.${options.storageSuffix}`,
      sqlServerHostname: `database.${options.storageSuffix}`,
      storage: options.storageSuffix,
    },
  }
}

/** The public cloud's entry, as the array form lists it first (never contacted: it only tests matching). */
const PUBLIC_CLOUD_ENTRY = {
  authentication: {
    audiences: ['https://management.core.windows.net/', 'https://management.azure.com/'],
    identityProvider: 'AAD',
    loginEndpoint: 'https://login.microsoftonline.com',
    tenant: 'common',
  },
  name: 'AzureCloud',
  portal: 'https://portal.azure.com',
  resourceManager: 'https://management.azure.com/',
  suffixes: {storage: 'core.windows.net'},
}

export function metadataReply(options: CloudMetadataOptions, ctx: RouteContext): Reply {
  const apiVersion = ctx.query('api-version')
  if (!apiVersion) {
    return armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    )
  }

  const shape = metadataShape(apiVersion)
  if (shape === 'legacy') {
    return json(200, {
      authentication: {
        audiences: options.audiences,
        loginEndpoint:
          options.identityProvider === 'ADFS' ? `${options.authorityHost}/adfs/` : `${options.authorityHost}/`,
      },
      galleryEndpoint: `${options.armEndpoint}/gallery/`,
      graphEndpoint: `${options.armEndpoint}/graph/`,
      portalEndpoint: `${options.armEndpoint}/portal/`,
    })
  }

  const document = currentCloudDocument(options)
  return json(200, shape === 'array' ? [PUBLIC_CLOUD_ENTRY, document] : document)
}
