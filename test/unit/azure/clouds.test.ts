import {expect} from 'chai'

import {cloudFromMetadata, knownCloud, monitorAudienceFor, parseArmEndpoint} from '../../../src/azure/clouds.js'

describe('clouds', () => {
  it('names the three public clouds as az does, with their endpoints', () => {
    expect(knownCloud('AzureCloud')).to.include({
      armEndpoint: 'https://management.azure.com',
      authorityHost: 'https://login.microsoftonline.com',
      storageSuffix: 'core.windows.net',
    })
    expect(knownCloud('azurechinacloud')).to.include({
      armScope: 'https://management.chinacloudapi.cn/.default',
      authorityHost: 'https://login.chinacloudapi.cn',
      storageSuffix: 'core.chinacloudapi.cn',
    })
    expect(knownCloud('AzureUSGovernment')).to.include({
      authorityHost: 'https://login.microsoftonline.us',
      storageSuffix: 'core.usgovcloudapi.net',
    })
  })

  it('an unknown cloud is a usage error listing the choices', () => {
    expect(() => knownCloud('AzureGermanCloud'))
      .to.throw(
        "Unknown cloud 'AzureGermanCloud'. Use AzureChinaCloud, AzureCloud, AzureUSGovernment, or --arm-endpoint URL for a custom cloud or Azure Stack Hub.",
      )
      .with.property('exitCode', 2)
  })

  it('--arm-endpoint must be an https URL', () => {
    expect(() => parseArmEndpoint('management.local')).to.throw(/is not a URL/)
    expect(() => parseArmEndpoint('http://management.local')).to.throw(/must use https/)
  })

  it('reads the current metadata shape (an array of clouds), picking the one for this endpoint', () => {
    const document = [
      {
        authentication: {
          audiences: ['https://management.core.windows.net/'],
          loginEndpoint: 'https://login.microsoftonline.com/',
        },
        name: 'AzureCloud',
        resourceManager: 'https://management.azure.com/',
        suffixes: {storage: 'core.windows.net'},
      },
      {
        authentication: {
          audiences: ['https://management.contoso.example/'],
          loginEndpoint: 'https://login.contoso.example/',
        },
        name: 'Contoso',
        resourceManager: 'https://management.contoso.example/',
        suffixes: {storage: 'blob-suffix.contoso.example'},
      },
    ]
    expect(cloudFromMetadata('https://management.contoso.example', document)).to.deep.equal({
      armEndpoint: 'https://management.contoso.example',
      armScope: 'https://management.contoso.example/.default',
      authorityHost: 'https://login.contoso.example',
      custom: true,
      name: 'Contoso',
      storageSuffix: 'blob-suffix.contoso.example',
      tenant: undefined,
    })
  })

  it("reads Azure Stack Hub's legacy document with AD FS: tenant adfs, storage suffix from the ARM host", () => {
    const legacy = {
      authentication: {
        audiences: ['https://management.adfs.azurestack.local/4b1d...'],
        loginEndpoint: 'https://adfs.local.azurestack.external/adfs/',
      },
      galleryEndpoint: 'https://providers.local.azurestack.external:30016/',
      graphEndpoint: 'https://graph.local.azurestack.external/',
      portalEndpoint: 'https://portal.local.azurestack.external/',
    }
    expect(cloudFromMetadata('https://management.local.azurestack.external/', legacy)).to.deep.include({
      authorityHost: 'https://adfs.local.azurestack.external',
      custom: true,
      storageSuffix: 'local.azurestack.external',
      tenant: 'adfs',
    })
  })

  it('a document without authentication is refused', () => {
    expect(() => cloudFromMetadata('https://x.example', {name: 'x'})).to.throw(/loginEndpoint/)
  })

  it("Azure Monitor's audience: the cloud's; for a custom cloud, the one its data collection endpoint's host names", () => {
    const dce = 'https://dce-1.usgovvirginia-1.ingest.monitor.azure.us'
    expect(monitorAudienceFor(knownCloud('AzureChinaCloud'), dce)).to.equal('https://monitor.azure.cn')
    expect(monitorAudienceFor({}, dce)).to.equal('https://monitor.azure.us')
    expect(monitorAudienceFor({}, 'https://dce-1.chinanorth3-1.ingest.monitor.azure.cn')).to.equal(
      'https://monitor.azure.cn',
    )
    expect(monitorAudienceFor({}, 'https://127.0.0.1:8443')).to.equal('https://monitor.azure.com')
  })
})
