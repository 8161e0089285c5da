/**
 * Azure clouds: the three public ones by name, and custom clouds (Azure Stack Hub, private clouds) read
 * from their ARM endpoint's `/metadata/endpoints` document, as `az cloud register` does.
 */
import {UsageError} from '../errors.js'

export interface Cloud {
  /** AzureCloud, AzureChinaCloud, AzureUSGovernment, or the name the metadata gives a custom cloud */
  name: string
  /** Resource Manager endpoint, without a trailing slash */
  armEndpoint: string
  /** Microsoft Entra ID (or AD FS) authority host, without a trailing slash */
  authorityHost: string
  /** The token scope for Resource Manager */
  armScope: string
  /** The storage endpoint suffix: blobs live at https://<account>.blob.<suffix> */
  storageSuffix: string
  /** Read from a metadata endpoint: the authority is not a public one, so instance discovery is off */
  custom: boolean
  /** The tenant forced by the cloud (AD FS uses 'adfs'), if any */
  tenant?: string
  /** Azure Monitor's token audience (Logs Ingestion); custom clouds have none in their metadata */
  monitorAudience?: string
}

export const KNOWN_CLOUDS: Readonly<Record<string, Cloud>> = {
  AzureChinaCloud: {
    armEndpoint: 'https://management.chinacloudapi.cn',
    armScope: 'https://management.chinacloudapi.cn/.default',
    authorityHost: 'https://login.chinacloudapi.cn',
    custom: false,
    monitorAudience: 'https://monitor.azure.cn',
    name: 'AzureChinaCloud',
    storageSuffix: 'core.chinacloudapi.cn',
  },
  AzureCloud: {
    armEndpoint: 'https://management.azure.com',
    armScope: 'https://management.azure.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    custom: false,
    monitorAudience: 'https://monitor.azure.com',
    name: 'AzureCloud',
    storageSuffix: 'core.windows.net',
  },
  AzureUSGovernment: {
    armEndpoint: 'https://management.usgovcloudapi.net',
    armScope: 'https://management.usgovcloudapi.net/.default',
    authorityHost: 'https://login.microsoftonline.us',
    custom: false,
    monitorAudience: 'https://monitor.azure.us',
    name: 'AzureUSGovernment',
    storageSuffix: 'core.usgovcloudapi.net',
  },
}

export const CLOUD_NAMES = Object.keys(KNOWN_CLOUDS)

const ALIASES: Record<string, string> = {
  azure: 'AzureCloud',
  azurechina: 'AzureChinaCloud',
  azurechinacloud: 'AzureChinaCloud',
  azurecloud: 'AzureCloud',
  azurepubliccloud: 'AzureCloud',
  azureusgovernment: 'AzureUSGovernment',
  azureusgovernmentcloud: 'AzureUSGovernment',
  china: 'AzureChinaCloud',
  public: 'AzureCloud',
  usgov: 'AzureUSGovernment',
}

/** A known cloud by its az name (case-insensitive; a few common aliases accepted). */
export function knownCloud(name: string): Cloud {
  const canonical = ALIASES[name.toLowerCase().replaceAll(/[^a-z]/g, '')]
  if (!canonical) {
    throw new UsageError(
      `Unknown cloud '${name}'. Use ${CLOUD_NAMES.join(', ')}, or --arm-endpoint URL for a custom cloud or Azure Stack Hub.`,
      {code: 'UnknownCloud'},
    )
  }

  return KNOWN_CLOUDS[canonical]
}

/**
 * Azure Monitor's token audience for a Logs Ingestion endpoint: the cloud's; for a custom cloud, the one
 * its data collection endpoint's host names (`….ingest.monitor.azure.us` is Azure Government's), else the
 * public cloud's. The SDK asks for `<audience>/.default`.
 */
export function monitorAudienceFor(cloud: Pick<Cloud, 'monitorAudience'>, endpoint: string): string {
  if (cloud.monitorAudience) return cloud.monitorAudience
  const host = new URL(endpoint).hostname.toLowerCase()
  if (host.endsWith('.monitor.azure.us')) return KNOWN_CLOUDS.AzureUSGovernment.monitorAudience!
  if (host.endsWith('.monitor.azure.cn')) return KNOWN_CLOUDS.AzureChinaCloud.monitorAudience!
  return KNOWN_CLOUDS.AzureCloud.monitorAudience!
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}

/** Validate --arm-endpoint: an absolute https URL (http only to loopback, for tests and local emulators). */
export function parseArmEndpoint(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(
      `--arm-endpoint '${value}' is not a URL. Pass the Resource Manager URL, e.g. https://management.local.azurestack.external.`,
      {code: 'BadArmEndpoint'},
    )
  }

  if (url.protocol !== 'https:') {
    throw new UsageError(`--arm-endpoint must use https (got ${url.protocol}//${url.host}).`, {code: 'BadArmEndpoint'})
  }

  return url
}

/** The metadata document shapes Azure serves: current (object or array of clouds) and Azure Stack's legacy one. */
interface MetadataCloud {
  name?: string
  resourceManager?: string
  authentication?: {loginEndpoint?: string; audiences?: string[]; tenant?: string; identityProvider?: string}
  suffixes?: {storage?: string}
  // legacy Azure Stack (api-version=1.0 / 2015-01-01) has no resourceManager and no suffixes
  galleryEndpoint?: string
  portalEndpoint?: string
}

/** Turn a `/metadata/endpoints` answer into a Cloud. Throws a one-line error when a field is missing. */
export function cloudFromMetadata(armEndpoint: string, document: unknown): Cloud {
  const arm = trimSlash(armEndpoint)
  const candidates = (Array.isArray(document) ? document : [document]) as MetadataCloud[]
  const entry =
    candidates.find((c) => c?.resourceManager && trimSlash(c.resourceManager).toLowerCase() === arm.toLowerCase()) ??
    candidates[0]
  const login = entry?.authentication?.loginEndpoint
  const audience = entry?.authentication?.audiences?.[0]
  if (!login || !audience) {
    throw new Error(`the metadata document has no authentication.loginEndpoint/audiences`)
  }

  let authorityHost = trimSlash(login)
  let tenant: string | undefined
  if (/\/adfs$/i.test(authorityHost) || entry.authentication?.identityProvider?.toLowerCase() === 'adfs') {
    // AD FS (disconnected Azure Stack Hub): the authority is <host>/adfs and the tenant is 'adfs'.
    authorityHost = authorityHost.replace(/\/adfs$/i, '')
    tenant = 'adfs'
  }

  // Legacy documents carry no storage suffix: Azure Stack's is the ARM host without "management.".
  const storageSuffix = trimSlash(entry.suffixes?.storage ?? new URL(arm).host.replace(/^management\./i, '')).replace(
    /^\./,
    '',
  )
  return {
    armEndpoint: arm,
    armScope: `${trimSlash(audience)}/.default`,
    authorityHost,
    custom: true,
    name: entry.name ?? new URL(arm).host,
    storageSuffix,
    tenant,
  }
}
