/**
 * `fake.env()` is what an end-to-end test gives a CLI subprocess. A fresh Node process with only that
 * environment trusts the test CA (NODE_EXTRA_CA_CERTS), signs in and lists VMs through the real SDKs, and
 * cannot reach any public host: the dead proxy refuses at once (nothing leaves the machine).
 */
import {spawn} from 'node:child_process'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {expect} from 'chai'

import {startFakeAzure, type FakeAzure} from '../../fake-azure/index.js'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

const CHILD = `
import {ClientSecretCredential} from '@azure/identity'
import {ComputeManagementClient} from '@azure/arm-compute'
const env = process.env
const metadata = await (await fetch(env.BOOTDIAG_ARM_ENDPOINT + '/metadata/endpoints?api-version=2022-09-01')).json()
const scope = metadata.authentication.audiences[0].replace(/\\/$/, '') + '/.default'
const credential = new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {
  authorityHost: metadata.authentication.loginEndpoint, disableInstanceDiscovery: true,
})
const compute = new ComputeManagementClient(credential, env.AZURE_SUBSCRIPTION_ID, {endpoint: env.BOOTDIAG_ARM_ENDPOINT, credentials: {scopes: [scope]}})
const names = []
for await (const vm of compute.virtualMachines.listAll()) names.push(vm.name)
let publicCloud
try {
  await new ClientSecretCredential(env.AZURE_TENANT_ID, env.AZURE_CLIENT_ID, env.AZURE_CLIENT_SECRET, {retryOptions: {maxRetries: 0}}).getToken('https://management.azure.com/.default')
  publicCloud = 'reached'
} catch (error) {
  publicCloud = String(error.message)
}
let rawHttps
try {
  await fetch('https://management.azure.com/')
  rawHttps = 'reached'
} catch (error) {
  rawHttps = String(error.cause?.code ?? error.message)
}
console.log(JSON.stringify({names, publicCloud, rawHttps}))
`

function runChild(env: Record<string, string>): Promise<{code: number | null; stdout: string; stderr: string}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({code, stderr, stdout}))
  })
}

describe('fake Azure: environment for a CLI subprocess', () => {
  let fake: FakeAzure

  before(async () => {
    fake = await startFakeAzure({storage: false})
    await fake.addVm({name: 'child-sees-me'})
  })

  after(async () => {
    await fake?.stop()
  })

  it('lets a fresh process sign in and list VMs, and stops it from reaching any public host', async () => {
    const env: Record<string, string> = {PATH: process.env.PATH ?? '', ...fake.env()}
    const result = await runChild(env)
    expect(result.code, result.stderr).to.equal(0)
    const output = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
      names: string[]
      publicCloud: string
      rawHttps: string
    }
    expect(output.names).to.deep.equal(['child-sees-me'])
    expect(output.publicCloud).not.to.equal('reached')
    expect(output.publicCloud).to.match(/network_error|ECONNREFUSED/i)
    expect(output.rawHttps).to.equal('ECONNREFUSED')
    expect(fake.requests.count({route: 'virtualMachines.listAll'})).to.equal(1)
  })

  it('names the environment bootdiag reads', () => {
    const env = fake.env()
    expect(env).to.include({
      AZURE_CLIENT_ID: fake.clientId,
      AZURE_CLIENT_SECRET: fake.clientSecret,
      AZURE_SUBSCRIPTION_ID: fake.subscriptionId,
      AZURE_TENANT_ID: fake.tenantId,
      BOOTDIAG_ARM_ENDPOINT: fake.armEndpoint,
      BOOTDIAG_AUTH: 'environment',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NODE_EXTRA_CA_CERTS: fake.caCertPath,
      NO_PROXY: '127.0.0.1,localhost',
    })
    expect(env).not.to.have.property('AZURE_AUTHORITY_HOST')
    expect(fake.env({authorityHost: true}).AZURE_AUTHORITY_HOST).to.equal(fake.authorityHost)
  })
})
