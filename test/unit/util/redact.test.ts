import {expect} from 'chai'

import {displayUrl, redact, registerSecret} from '../../../src/util/redact.js'

const SAS_URL =
  'https://md-hdd-x1.blob.core.windows.net:443/bootdiagnostics-web01-1234/web-01.1234.serialconsole.log?sv=2024-08-04&st=2026-11-25T20%3A00%3A00Z&se=2026-11-25T21%3A00%3A00Z&sr=b&sp=r&sig=AbC%2Bdef%3D'

describe('redact: the one secret scrubber', () => {
  it('drops the whole query string of a SAS URL, keeping where it points', () => {
    const text = redact(`GET ${SAS_URL} failed`)
    expect(text).to.equal(
      'GET https://md-hdd-x1.blob.core.windows.net:443/bootdiagnostics-web01-1234/web-01.1234.serialconsole.log?<redacted> failed',
    )
  })

  it('removes a bare signature, bearer tokens, JWTs, token fields, form secrets and account keys', () => {
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJl'
    const samples = [
      'x-ms-copy-source: sig=AbCdEf123%3D&se=2026',
      'Authorization: Bearer abcdefghijklmnop.qrstu',
      `token ${jwt}`,
      '{"access_token":"abcdefghijklmnopqrstuvwxyz","expires_in":3599}',
      'grant_type=client_credentials&client_secret=Sup3r~Secret.Value&scope=x',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;',
    ]
    const out = samples.map((s) => redact(s))
    expect(out[0]).to.equal('x-ms-copy-source: sig=<redacted>&se=2026')
    expect(out[1]).to.equal('Authorization: Bearer <redacted>')
    expect(out[2]).to.equal('token <redacted>')
    expect(out[3]).to.equal('{"access_token":"<redacted>","expires_in":3599}')
    expect(out[4]).to.equal('grant_type=client_credentials&client_secret=<redacted>&scope=x')
    expect(out[5]).to.equal('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=<redacted>;')
  })

  it('removes registered secrets wherever they appear', () => {
    registerSecret('my-client-secret-value-123')
    expect(redact('sent my-client-secret-value-123 to the server')).to.equal('sent <redacted> to the server')
  })

  it('leaves ordinary text, ids and plain URLs alone', () => {
    const text =
      'VM /subscriptions/0b1f/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web at https://management.azure.com/x?api-version=2025-04-01'
    expect(redact(text)).to.equal(text)
  })

  it('displayUrl: a URL fit to show, never with its SAS', () => {
    expect(displayUrl(SAS_URL)).to.equal(
      'https://md-hdd-x1.blob.core.windows.net/bootdiagnostics-web01-1234/web-01.1234.serialconsole.log?<redacted>',
    )
    expect(displayUrl('https://a.blob.core.windows.net/c/b')).to.equal('https://a.blob.core.windows.net/c/b')
  })

  it('stays linear on long hostile input', () => {
    const hostile = `https://a.b/${'x'.repeat(200_000)}?${'sig='.repeat(50_000)}`
    const started = process.hrtime.bigint()
    redact(hostile)
    // a guard against catastrophic backtracking, not a speed test: seconds, not minutes
    expect(Number(process.hrtime.bigint() - started) / 1e9).to.be.below(5)
  })
})
