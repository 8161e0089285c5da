import {expect} from 'chai'
import nock from 'nock'

import {knownCloud} from '../../../src/azure/clouds.js'
import {createCredential} from '../../../src/azure/credential.js'

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
const LOGIN = 'https://login.microsoftonline.us'

function openIdConfiguration(host: string) {
  return {
    authorization_endpoint: `${host}/${TENANT}/oauth2/v2.0/authorize`,
    issuer: `${host}/${TENANT}/v2.0`,
    token_endpoint: `${host}/${TENANT}/oauth2/v2.0/token`,
  }
}

describe('sign-in', () => {
  const saved = {...process.env}
  afterEach(() => {
    process.env = {...saved}
    nock.cleanAll()
  })

  it('--auth environment without the variables names the missing ones (exit 4)', async () => {
    const error = await createCredential({
      cloud: knownCloud('AzureCloud'),
      env: {AZURE_TENANT_ID: TENANT},
      kind: 'environment',
      notify: () => {},
    }).catch((e: Error) => e)
    expect(error).to.include({exitCode: 4})
    expect((error as Error).message).to.equal(
      '--auth environment needs AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH): set them for a service principal, or pick another method with --auth.',
    )
  })

  it('a service principal signs in against the chosen cloud (US Government)', async () => {
    Object.assign(process.env, {
      AZURE_CLIENT_ID: 'app-id',
      AZURE_CLIENT_SECRET: 'right-secret-value',
      AZURE_TENANT_ID: TENANT,
    })
    const aad = nock(LOGIN)
      .persist()
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply(200, openIdConfiguration(LOGIN))
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(200, {access_token: 'gov-token', expires_in: 3599, ext_expires_in: 3599, token_type: 'Bearer'})

    const credential = await createCredential({
      cloud: knownCloud('AzureUSGovernment'),
      kind: 'environment',
      notify: () => {},
    })
    const token = await credential.getToken('https://management.usgovcloudapi.net/.default')

    // Then the token came from the US Government authority (no other host is reachable in tests)
    expect(token?.token).to.equal('gov-token')
    expect(aad.pendingMocks().some((m) => m.includes('/oauth2/v2.0/token'))).to.equal(false)
  })

  it('a rejected secret says which credential was tried and what to do, in one line (exit 4), without the secret', async () => {
    Object.assign(process.env, {
      AZURE_CLIENT_ID: 'app-id',
      AZURE_CLIENT_SECRET: 'wrong-secret-value',
      AZURE_TENANT_ID: TENANT,
    })
    nock('https://login.microsoftonline.com')
      .persist()
      .get(`/${TENANT}/v2.0/.well-known/openid-configuration`)
      .reply(200, openIdConfiguration('https://login.microsoftonline.com'))
      .get('/common/discovery/instance')
      .query(true)
      .reply(200, {
        api_version: '1.1',
        metadata: [],
        tenant_discovery_endpoint: `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`,
      })
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .reply(401, {
        correlation_id: 'c',
        error: 'invalid_client',
        error_codes: [7_000_215],
        error_description:
          "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'app-id'. Trace ID: t Correlation ID: c Timestamp: 2026-11-25 21:00:00Z",
        timestamp: '2026-11-25 21:00:00Z',
        trace_id: 't',
      })

    const credential = await createCredential({cloud: knownCloud('AzureCloud'), kind: 'environment', notify: () => {}})
    const error = await credential.getToken('https://management.azure.com/.default').catch((e: Error) => e)

    expect(error).to.include({code: 'SignInFailed', exitCode: 4})
    const {message} = error as Error
    expect(message).to.match(
      /^Sign-in failed with the service principal from AZURE_CLIENT_ID\/AZURE_TENANT_ID\/AZURE_CLIENT_SECRET \(AADSTS7000215: Invalid client secret provided\)\. To fix: set AZURE_CLIENT_ID/,
    )
    expect(message).not.to.include('\n')
    expect(message).not.to.include('wrong-secret-value')
  })
})
