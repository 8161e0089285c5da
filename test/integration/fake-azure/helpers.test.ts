/**
 * The building blocks under the fake: the openssl test CA, the Azurite launcher used on its own, the BMP
 * generator and the sample serial logs.
 */
import {BlobServiceClient} from '@azure/storage-blob'
import {expect} from 'chai'
import * as tls from 'node:tls'

import {decodeBmp} from '../../../src/screen/image.js'
import {startAzurite} from '../../helpers/azurite.js'
import {testTls} from '../../helpers/tls.js'
import {makeBmp, sampleBootLog, sampleShutdownLog} from '../../fake-azure/index.js'

describe('fake Azure: helpers', () => {
  it('makes one CA per process whose leaf certificate is valid for 127.0.0.1', async () => {
    const first = await testTls()
    expect(await testTls()).to.equal(first)
    const server = tls.createServer({cert: first.cert, key: first.key}, (socket) => socket.end('ok'))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const {port} = server.address() as {port: number}
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ca: first.caCert, host: '127.0.0.1', port}, () =>
          socket.once('data', (data) => resolve(data.toString())),
        )
        socket.on('error', reject)
      })
      expect(answer).to.equal('ok')
    } finally {
      server.close()
    }
  })

  it('starts Azurite on a free port (plain HTTP on request) and stops it by its PID', async () => {
    const azurite = await startAzurite({https: false})
    try {
      expect(azurite.origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
      const service = BlobServiceClient.fromConnectionString(azurite.connectionString())
      await service.getContainerClient('probe').create()
      const names = []
      for await (const container of service.listContainers()) names.push(container.name)
      expect(names).to.deep.equal(['probe'])
    } finally {
      await azurite.stop()
    }

    expect(() => process.kill(azurite.pid, 0)).to.throw()
  })

  it('generates valid 24-bit BMPs, padded rows included', () => {
    const bmp = makeBmp({height: 3, pixel: (x, y) => [x * 50, y * 80, 7], width: 5})
    expect(bmp.subarray(0, 2).toString('ascii')).to.equal('BM')
    expect(bmp.readUInt32LE(2)).to.equal(bmp.length)
    const image = decodeBmp(bmp)
    expect([image.width, image.height]).to.deep.equal([5, 3])
    const at = (x: number, y: number) => [...image.data.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 3)]
    expect(at(4, 2)).to.deep.equal([200, 160, 7])
    expect(at(0, 0)).to.deep.equal([0, 0, 7])
  })

  it('writes sample logs with CRLF line ends that name the boot and end as a boot or a shutdown should', () => {
    const boot = sampleBootLog({bootNumber: 3, hostname: 'vm-7'})
    expect(boot).to.match(/^\[ {4}0\.000000\] Linux version /)
    expect(boot).to.include('bootdiag.boot=3')
    expect(boot).to.include('vm-7 login:')
    expect(boot.split('\r\n').every((line) => !line.includes('\n'))).to.equal(true)
    expect(sampleShutdownLog({ending: 'power-down'})).to.match(/reboot: Power down\r\n$/)
    expect(sampleShutdownLog({ending: 'restart'})).to.match(/reboot: Restarting system\r\n$/)
  })
})
