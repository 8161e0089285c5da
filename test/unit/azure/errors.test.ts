import {createHttpHeaders, createPipelineRequest, RestError} from '@azure/core-rest-pipeline'
import {expect} from 'chai'

import {toBootdiagErrorFromAzure} from '../../../src/azure/errors.js'

function restError(statusCode: number, code: string, message = 'x', headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({url: 'https://diagacct.blob.core.windows.net/c/b?sv=1&sig=SECRET'})
  return new RestError(message, {
    code,
    request,
    response: {headers: createHttpHeaders(headers), request, status: statusCode},
    statusCode,
  })
}

describe('Azure errors → one line and an exit code', () => {
  it('401 is a sign-in problem (exit 4)', () => {
    const error = toBootdiagErrorFromAzure(restError(401, 'InvalidAuthenticationToken'), {action: 'list VMs'})
    expect(error).to.include({code: 'Unauthorized', exitCode: 4})
    expect(error?.message).to.match(
      /^Azure rejected the sign-in token to list VMs \(InvalidAuthenticationToken\)\. Sign in again/,
    )
  })

  it('storage 403s name the role, the firewall, or the SAS clock, and never the SAS', () => {
    const role = toBootdiagErrorFromAzure(restError(403, 'AuthorizationPermissionMismatch'))
    expect(role?.message).to.equal(
      "The signed-in identity may not read blobs in the boot diagnostics storage account diagacct.blob.core.windows.net: it needs the 'Storage Blob Data Reader' role on that account (or use managed boot diagnostics).",
    )
    const firewall = toBootdiagErrorFromAzure(restError(403, 'AuthorizationFailure'))
    expect(firewall?.message).to.match(/firewall or network rules do not allow this machine/)
    expect(
      toBootdiagErrorFromAzure(
        restError(403, 'AuthenticationFailed', 'Signature not valid in the specified time frame'),
      )?.code,
    ).to.equal('SasExpired')
    for (const e of [role, firewall]) expect(e?.message).not.to.include('SECRET')
  })

  it('429 says to wait, with Retry-After', () => {
    expect(
      toBootdiagErrorFromAzure(restError(429, 'TooManyRequests', 'x', {'retry-after': '17'}), {action: 'list VMs'})
        ?.message,
    ).to.equal(
      'Azure is throttling requests to list VMs (retry after 17 s). Wait and run again, or narrow the scope with -g.',
    )
  })

  it('network and TLS failures say what to check', () => {
    const tls = toBootdiagErrorFromAzure(
      Object.assign(new Error('self-signed certificate in certificate chain'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}),
    )
    expect(tls?.message).to.match(/NODE_EXTRA_CA_CERTS/)
    const dns = toBootdiagErrorFromAzure(
      Object.assign(new Error('getaddrinfo ENOTFOUND management.contoso.example'), {code: 'ENOTFOUND'}),
    )
    expect(dns?.message).to.equal(
      'Cannot reach management.contoso.example (ENOTFOUND). Check the network and proxy settings, and --cloud/--arm-endpoint.',
    )
  })

  it('anything else is left to the caller', () => {
    expect(toBootdiagErrorFromAzure(new TypeError('boom'))).to.equal(undefined)
  })
})
