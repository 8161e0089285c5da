import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {
  type SubscriptionInfo,
  readAzCliDefaultSubscription,
  resolveSubscription,
} from '../../../src/azure/subscription.js'

const A = {displayName: 'Production', state: 'Enabled', subscriptionId: '11111111-1111-1111-1111-111111111111'}
const B = {displayName: 'Staging', state: 'Enabled', subscriptionId: '22222222-2222-2222-2222-222222222222'}
const OFF = {displayName: 'Old', state: 'Disabled', subscriptionId: '33333333-3333-3333-3333-333333333333'}

function sources(list: SubscriptionInfo[], azDefault?: SubscriptionInfo) {
  let listed = 0
  return {
    get listed() {
      return listed
    },
    async azCliDefault() {
      return azDefault
    },
    async *list() {
      listed++
      yield* list
    },
  }
}

describe('subscription resolution', () => {
  it('an ID is used as given, without listing', async () => {
    const s = sources([A, B])
    expect(await resolveSubscription(A.subscriptionId.toUpperCase(), s)).to.deep.equal({
      subscriptionId: A.subscriptionId,
    })
    expect(s.listed).to.equal(0)
  })

  it('a name is looked up, case-insensitively', async () => {
    expect(await resolveSubscription('staging', sources([A, B]))).to.deep.equal(B)
  })

  it('an unknown name lists what is visible', async () => {
    const error = await resolveSubscription('Dev', sources([A, B])).catch((e: Error) => e)
    expect((error as Error).message).to.equal(
      `Subscription 'Dev' is not visible to this identity; visible: Production (${A.subscriptionId}), Staging (${B.subscriptionId}). Pass --subscription with one of those.`,
    )
  })

  it("without --subscription: the az CLI's default first", async () => {
    expect(await resolveSubscription(undefined, sources([A, B], B))).to.deep.equal(B)
  })

  it('else the only enabled subscription', async () => {
    expect(await resolveSubscription(undefined, sources([A, OFF]))).to.deep.equal(A)
  })

  it('else a usage error listing them', async () => {
    const error = await resolveSubscription(undefined, sources([A, B])).catch((e: Error) => e)
    expect(error).to.include({exitCode: 2})
    expect((error as Error).message).to.match(
      /^Several subscriptions are visible: Production .*Staging .*Pick one with --subscription \(or AZURE_SUBSCRIPTION_ID\)\.$/,
    )
  })

  describe("reading az's azureProfile.json", () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'bootdiag-az-'))
    })
    afterEach(() => rm(dir, {force: true, recursive: true}))

    it('finds the default subscription of this cloud, despite the byte-order mark', async () => {
      const profile = {
        installationId: 'x',
        subscriptions: [
          {
            environmentName: 'AzureChinaCloud',
            id: B.subscriptionId,
            isDefault: true,
            name: 'China',
            state: 'Enabled',
            tenantId: 't',
          },
          {
            environmentName: 'AzureCloud',
            id: A.subscriptionId.toUpperCase(),
            isDefault: true,
            name: 'Production',
            state: 'Enabled',
            tenantId: 't',
          },
        ],
      }
      await writeFile(join(dir, 'azureProfile.json'), `\uFEFF${JSON.stringify(profile)}`)
      expect(await readAzCliDefaultSubscription('AzureCloud', {AZURE_CONFIG_DIR: dir})).to.deep.equal({
        displayName: 'Production',
        state: 'Enabled',
        subscriptionId: A.subscriptionId,
        tenantId: 't',
      })
      expect((await readAzCliDefaultSubscription('AzureChinaCloud', {AZURE_CONFIG_DIR: dir}))?.subscriptionId).to.equal(
        B.subscriptionId,
      )
    })

    it('no file, or a broken one, means no default', async () => {
      expect(await readAzCliDefaultSubscription('AzureCloud', {AZURE_CONFIG_DIR: dir})).to.equal(undefined)
      await writeFile(join(dir, 'azureProfile.json'), '{broken')
      expect(await readAzCliDefaultSubscription('AzureCloud', {AZURE_CONFIG_DIR: dir})).to.equal(undefined)
    })
  })
})
