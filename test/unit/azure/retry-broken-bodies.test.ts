import {PassThrough} from 'node:stream'

import {createHttpHeaders, createPipelineRequest, RestError} from '@azure/core-rest-pipeline'
import {expect} from 'chai'
import nock from 'nock'

import {AzureClients} from '../../../src/azure/clients.js'
import {KNOWN_CLOUDS} from '../../../src/azure/clouds.js'
import {retryBrokenBodiesPolicy} from '../../../src/azure/retry-broken-bodies.js'
import {ARM, SUB, fixedTokenCredential} from '../../helpers/arm-fixtures.js'

const VM_PATH = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01`
const BROKEN = new RestError('Error reading response as text: aborted', {code: 'PARSE_ERROR'})

/** A response body that sends `head` and then breaks like a reset connection. */
function brokenAfter(head: string): PassThrough {
  const body = new PassThrough()
  body.write(head)
  setImmediate(() => body.destroy(Object.assign(new Error('aborted'), {code: 'ECONNRESET'})))
  return body
}

async function outcome(method: string, url: string, error: Error): Promise<unknown> {
  const request = createPipelineRequest({method: method as 'GET', url})
  return retryBrokenBodiesPolicy.sendRequest(request, async () => Promise.reject(error)).catch((e: unknown) => e)
}

describe('ARM: a body that breaks after the headers', () => {
  afterEach(() => nock.cleanAll())

  it('is a connection reset (which the retry policy retries) for requests that only read', async () => {
    for (const [method, url] of [
      ['GET', `${ARM}${VM_PATH}?api-version=2025-04-01`],
      ['POST', `${ARM}${VM_PATH}/retrieveBootDiagnosticsData?api-version=2025-04-01`],
      ['POST', `${ARM}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`],
    ]) {
      expect(await outcome(method, url, BROKEN), `${method} ${url}`).to.include({code: 'ECONNRESET', name: 'RestError'})
    }
  })

  it('stays an error, never sent again, for a request that changes something; other errors pass as they are', async () => {
    expect(await outcome('POST', `${ARM}${VM_PATH}/restart?api-version=2025-04-01`, BROKEN)).to.equal(BROKEN)
    expect(await outcome('POST', `${ARM}${VM_PATH}/redeploy?api-version=2025-04-01`, BROKEN)).to.equal(BROKEN)
    const denied = new RestError('denied', {
      code: 'AuthorizationFailed',
      response: {headers: createHttpHeaders(), request: createPipelineRequest({url: ARM}), status: 403},
      statusCode: 403,
    })
    expect(await outcome('GET', `${ARM}${VM_PATH}`, denied)).to.equal(denied)
    const interrupted = Object.assign(new Error('The operation was aborted.'), {name: 'AbortError'})
    expect(await outcome('GET', `${ARM}${VM_PATH}`, interrupted)).to.equal(interrupted)
  })

  it('retrieveBootDiagnosticsData answered with a broken body is asked again and succeeds', async () => {
    // Given an answer whose body breaks half-way, then a whole one
    const uris = {
      consoleScreenshotBlobUri: 'https://x.blob.core.windows.net/c/s.bmp?sig=S',
      serialConsoleLogBlobUri: 'https://x.blob.core.windows.net/c/l.log?sig=S',
    }
    const text = JSON.stringify(uris)
    const broken = nock(ARM)
      .post(`${VM_PATH}/retrieveBootDiagnosticsData`)
      .query(true)
      .reply(200, () => brokenAfter(text.slice(0, 20)), {
        'content-length': String(text.length),
        'content-type': 'application/json',
      })
    const whole = nock(ARM).post(`${VM_PATH}/retrieveBootDiagnosticsData`).query(true).reply(200, uris)

    // When the SAS URLs are asked for through a client with retries
    const compute = await new AzureClients(KNOWN_CLOUDS.AzureCloud, fixedTokenCredential, {maxRetries: 2}).compute(SUB)
    const result = await compute.virtualMachines.retrieveBootDiagnosticsData('rg-web', 'web-01')

    // Then the second answer is the result
    broken.done()
    whole.done()
    expect(result.serialConsoleLogBlobUri).to.equal(uris.serialConsoleLogBlobUri)
  })
})
