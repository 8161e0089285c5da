/**
 * The fake Entra ID and the fake ARM's front door, driven by the real @azure/identity and raw HTTPS:
 * tokens are JWTs with the claims Azure services check, Entra's AADSTS errors come back as MSAL sees them,
 * ARM refuses missing/expired/foreign tokens with its own error codes, and the cloud metadata document
 * parses with bootdiag's own parser.
 */
import {expect} from 'chai'

import {cloudFromMetadata} from '../../../src/azure/clouds.js'
import {decodeClaims, startFakeAzure, type FakeAzure} from '../../fake-azure/index.js'
import {sdkClients} from '../../fake-azure/sdk-clients.js'
import {rawRequest} from './raw-https.js'

describe('fake Azure: sign-in and metadata', () => {
  let fake: FakeAzure

  before(async () => {
    fake = await startFakeAzure({storage: false})
  })

  after(async () => {
    await fake?.stop()
  })

  describe('token endpoint', () => {
    it('issues a JWT with aud = scope minus /.default, the v1 issuer, tid, oid, appid and a lifetime', async () => {
      const {credential} = sdkClients(fake)
      const token = await credential.getToken(fake.armScope)
      const parts = token.token.split('.')
      expect(parts).to.have.length(3)
      const claims = decodeClaims(token.token)!
      expect(claims.aud).to.equal(fake.armScope.replace(/\/\.default$/, ''))
      expect(claims.iss).to.equal(`https://sts.windows.net/${fake.tenantId}/`)
      expect(claims.tid).to.equal(fake.tenantId)
      expect(claims.appid).to.equal(fake.clientId)
      expect(claims.oid).to.be.a('string')
      const now = Math.floor(Date.now() / 1000)
      expect(claims.nbf).to.be.at.most(now)
      expect(claims.iat).to.be.at.most(now)
      expect(claims.exp).to.be.greaterThan(now + 3000)
      expect(token.expiresOnTimestamp).to.be.greaterThan(Date.now())
    })

    it('issues storage tokens for https://storage.azure.com (the audience Azurite accepts)', async () => {
      const token = await sdkClients(fake).credential.getToken('https://storage.azure.com/.default')
      expect(decodeClaims(token.token)!.aud).to.equal('https://storage.azure.com')
    })

    it('answers a wrong secret with AADSTS7000215 (invalid_client)', async () => {
      const {credential} = sdkClients(fake, {clientSecret: 'not-the-secret'})
      const error = await credential.getToken(fake.armScope).then(
        () => undefined,
        (error_: unknown) => error_ as Error,
      )
      expect(error?.message).to.match(/AADSTS7000215: Invalid client secret provided/)
      expect(fake.requests.all({route: 'aad.token'}).at(-1)!.status).to.equal(401)
    })

    it('answers an unknown application with AADSTS700016 and an unknown resource with AADSTS500011', async () => {
      const stranger = fake.state.addPrincipal({tenantId: fake.tenantId})
      fake.state.principals.delete(stranger.clientId.toLowerCase())
      const unknownApp = await sdkClients(fake, {principal: stranger})
        .credential.getToken(fake.armScope)
        .catch((error: Error) => error)
      expect((unknownApp as Error).message).to.match(/AADSTS700016: Application with identifier/)

      const unknownResource = await sdkClients(fake)
        .credential.getToken('https://vault.fake.test/.default')
        .catch((error: Error) => error)
      expect((unknownResource as Error).message).to.match(
        /AADSTS500011: The resource principal named https:\/\/vault\.fake\.test was not found/,
      )
    })

    it('serves OpenID configuration and instance discovery on its own host', async () => {
      const config = await rawRequest(`${fake.authorityHost}/${fake.tenantId}/v2.0/.well-known/openid-configuration`)
      expect(config.status).to.equal(200)
      expect(config.json().token_endpoint).to.equal(`${fake.authorityHost}/${fake.tenantId}/oauth2/v2.0/token`)
      const discovery = await rawRequest(
        `${fake.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=x`,
      )
      expect(discovery.json().tenant_discovery_endpoint).to.equal(
        `${fake.authorityHost}/{tenant}/v2.0/.well-known/openid-configuration`,
      )
      const unknown = await rawRequest(
        `${fake.authorityHost}/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration`,
      )
      expect(unknown.status).to.equal(400)
      expect(unknown.json().error_description).to.match(
        /^AADSTS90002: Tenant '00000000-0000-0000-0000-000000000000' not found/,
      )
    })
  })

  describe('ARM authentication', () => {
    const subscriptionsUrl = () => `${fake.armEndpoint}/subscriptions?api-version=2022-12-01`

    it('refuses a request without a token: 401 AuthenticationFailed with a WWW-Authenticate challenge', async () => {
      const response = await rawRequest(subscriptionsUrl())
      expect(response.status).to.equal(401)
      expect(response.json()).to.deep.equal({
        error: {code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing."},
      })
      expect(response.headers['www-authenticate']).to.match(
        /^Bearer authorization_uri="https:\/\/127\.0\.0\.1:\d+\/", error="invalid_token"/,
      )
    })

    it('refuses an expired token with ExpiredAuthenticationToken', async () => {
      const token = fake.mintAccessToken({lifetimeSeconds: -60})
      const response = await rawRequest(subscriptionsUrl(), {headers: {authorization: `Bearer ${token}`}})
      expect(response.status).to.equal(401)
      expect(response.json<{error: {code: string; message: string}}>().error.code).to.equal(
        'ExpiredAuthenticationToken',
      )
      expect(response.json<{error: {message: string}}>().error.message).to.match(
        /^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/,
      )
    })

    it('refuses a token for another audience and a tampered token', async () => {
      const storageToken = fake.mintAccessToken({audience: 'https://storage.azure.com'})
      const wrongAudience = await rawRequest(subscriptionsUrl(), {headers: {authorization: `Bearer ${storageToken}`}})
      expect(wrongAudience.status).to.equal(401)
      expect(wrongAudience.json<{error: {code: string; message: string}}>().error).to.include({
        code: 'InvalidAuthenticationTokenAudience',
      })
      expect(wrongAudience.json<{error: {message: string}}>().error.message).to.include(`'https://storage.azure.com'`)

      const [header, , signature] = fake.mintAccessToken().split('.')
      const forged = Buffer.from(
        JSON.stringify({...decodeClaims(fake.mintAccessToken()), oid: 'someone-else'}),
      ).toString('base64url')
      const tampered = await rawRequest(subscriptionsUrl(), {
        headers: {authorization: `Bearer ${header}.${forged}.${signature}`},
      })
      expect(tampered.status).to.equal(401)
      expect(tampered.json()).to.deep.equal({
        error: {code: 'InvalidAuthenticationToken', message: 'The access token is invalid.'},
      })
    })

    it('asks for an api-version like ARM does', async () => {
      const response = await rawRequest(`${fake.armEndpoint}/subscriptions`, {
        headers: {authorization: `Bearer ${fake.mintAccessToken()}`},
      })
      expect(response.status).to.equal(400)
      expect(response.json<{error: {code: string}}>().error.code).to.equal('MissingApiVersionParameter')
    })
  })

  describe('cloud metadata', () => {
    it('answers api-version 2022-09-01 with one cloud object that bootdiag parses into the fake endpoints', async () => {
      const response = await rawRequest(fake.metadataUrl)
      expect(response.status).to.equal(200)
      const document = response.json()
      expect(document).to.include({name: 'FakeAzureCloud', resourceManager: `${fake.armEndpoint}/`})
      expect(document.authentication).to.deep.include({
        identityProvider: 'AAD',
        loginEndpoint: fake.authorityHost,
        tenant: 'common',
      })
      const cloud = cloudFromMetadata(fake.armEndpoint, document)
      expect(cloud).to.include({
        armEndpoint: fake.armEndpoint,
        armScope: fake.armScope,
        authorityHost: fake.authorityHost,
        custom: true,
        storageSuffix: 'core.fake.test',
      })
    })

    it('answers 2019-05-01 with an array (public cloud first) and 1.0 with the legacy Azure Stack shape', async () => {
      const array = (await rawRequest(`${fake.armEndpoint}/metadata/endpoints?api-version=2019-05-01`)).json<
        Array<Record<string, unknown>>
      >()
      expect(array.map((c) => c.name)).to.deep.equal(['AzureCloud', 'FakeAzureCloud'])
      expect(cloudFromMetadata(fake.armEndpoint, array).authorityHost).to.equal(fake.authorityHost)

      const legacy = (await rawRequest(`${fake.armEndpoint}/metadata/endpoints?api-version=1.0`)).json()
      expect(legacy).to.have.keys('galleryEndpoint', 'graphEndpoint', 'portalEndpoint', 'authentication')
      expect(legacy).not.to.have.property('resourceManager')
    })

    it('points an ADFS cloud at <authority>/adfs with tenant adfs', async () => {
      const adfs = await startFakeAzure({identityProvider: 'ADFS', storage: false})
      try {
        const document = (await rawRequest(adfs.metadataUrl)).json<{authentication: Record<string, unknown>}>()
        expect(document.authentication).to.include({
          identityProvider: 'ADFS',
          loginEndpoint: `${adfs.authorityHost}/adfs`,
          tenant: 'adfs',
        })
        expect(cloudFromMetadata(adfs.armEndpoint, document)).to.include({
          authorityHost: adfs.authorityHost,
          tenant: 'adfs',
        })
      } finally {
        await adfs.stop()
      }
    })
  })

  describe('subscriptions', () => {
    it('lists the subscriptions the principal holds a role in, with subscriptionId, displayName, tenantId, state', async () => {
      const other = fake.addSubscription({displayName: 'Other', state: 'Disabled'})
      const hidden = fake.addSubscription({displayName: 'Not mine'})
      const reader = fake.addPrincipal({
        grants: [
          {role: 'Reader', scope: `/subscriptions/${fake.subscriptionId}`},
          {role: 'Reader', scope: `/subscriptions/${other.subscriptionId}`},
        ],
      })
      const {subscriptions} = sdkClients(fake, {principal: reader})
      const seen = []
      for await (const s of subscriptions.subscriptions.list()) seen.push(s)
      expect(seen.map((s) => s.displayName).sort()).to.deep.equal(['Bootdiag Test Subscription', 'Other'])
      expect(seen.find((s) => s.displayName === 'Other')).to.include({
        state: 'Disabled',
        subscriptionId: other.subscriptionId,
        tenantId: fake.tenantId,
      })
      expect(seen.some((s) => s.subscriptionId === hidden.subscriptionId)).to.equal(false)
    })
  })
})
