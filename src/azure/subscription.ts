/**
 * Which subscription a command works in: --subscription (ID or name), else the az CLI's default
 * subscription for this cloud, else the only subscription visible, else a clear error listing them.
 */
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {join} from 'node:path'

import {NotFoundError, UsageError} from '../errors.js'
import {collect} from '../util/concurrency.js'
import {isSubscriptionGuid} from './resource-id.js'

export interface SubscriptionInfo {
  subscriptionId: string
  displayName?: string
  tenantId?: string
  state?: string
}

export interface SubscriptionSources {
  /** every subscription the identity can see (ARM `GET /subscriptions`) */
  list(): AsyncIterable<SubscriptionInfo>
  /** the az CLI's default subscription for this cloud, if az is set up here */
  azCliDefault(): Promise<SubscriptionInfo | undefined>
}

export async function resolveSubscription(
  requested: string | undefined,
  sources: SubscriptionSources,
): Promise<SubscriptionInfo> {
  if (requested && isSubscriptionGuid(requested)) return {subscriptionId: requested.toLowerCase()}
  if (requested) {
    const all = await collect(sources.list())
    const matches = all.filter((s) => s.displayName?.toLowerCase() === requested.toLowerCase())
    if (matches.length === 1) return matches[0]
    if (matches.length > 1) {
      throw new UsageError(
        `${matches.length} subscriptions are named '${requested}': ${describe(matches)}. Pass --subscription with the ID.`,
        {code: 'AmbiguousSubscription'},
      )
    }

    throw new NotFoundError(
      `Subscription '${requested}' is not visible to this identity${all.length > 0 ? `; visible: ${describe(all)}` : ''}. Pass --subscription with one of those.`,
      {code: 'SubscriptionNotFound'},
    )
  }

  const fromCli = await sources.azCliDefault()
  if (fromCli) return fromCli
  const enabled = (await collect(sources.list())).filter(
    (s) => !s.state || s.state === 'Enabled' || s.state === 'Warned',
  )
  if (enabled.length === 1) return enabled[0]
  if (enabled.length === 0) {
    throw new NotFoundError(
      'No enabled subscription is visible to this identity. Check the account and cloud (--cloud), or pass --subscription.',
      {
        code: 'NoSubscription',
      },
    )
  }

  throw new UsageError(
    `Several subscriptions are visible: ${describe(enabled)}. Pick one with --subscription (or AZURE_SUBSCRIPTION_ID).`,
    {
      code: 'SubscriptionRequired',
    },
  )
}

function describe(list: SubscriptionInfo[]): string {
  const shown = list
    .slice(0, 10)
    .map((s) => (s.displayName ? `${s.displayName} (${s.subscriptionId})` : s.subscriptionId))
  return list.length > 10 ? `${shown.join(', ')} and ${list.length - 10} more` : shown.join(', ')
}

interface AzureProfile {
  subscriptions?: Array<{
    id?: string
    name?: string
    isDefault?: boolean
    environmentName?: string
    tenantId?: string
    state?: string
  }>
}

/** The az CLI's default subscription in `$AZURE_CONFIG_DIR/azureProfile.json` (default ~/.azure), for one cloud. */
export async function readAzCliDefaultSubscription(
  cloudName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SubscriptionInfo | undefined> {
  const dir = env.AZURE_CONFIG_DIR || join(homedir(), '.azure')
  let text: string
  try {
    text = await readFile(join(dir, 'azureProfile.json'), 'utf8')
  } catch {
    return undefined
  }

  try {
    // az writes this file with a UTF-8 byte-order mark.
    const profile = JSON.parse(text.replace(/^\uFEFF/, '')) as AzureProfile
    const chosen = profile.subscriptions?.find(
      (s) => s.isDefault && s.id && (!s.environmentName || s.environmentName.toLowerCase() === cloudName.toLowerCase()),
    )
    return chosen?.id
      ? {
          displayName: chosen.name,
          state: chosen.state,
          subscriptionId: chosen.id.toLowerCase(),
          tenantId: chosen.tenantId,
        }
      : undefined
  } catch {
    return undefined
  }
}
