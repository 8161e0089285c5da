/**
 * Run the fake Azure standalone, for demos and manual checks:
 *
 *   npm run fake-azure -- [--page-size N] [--log-blob-type append|block|page] [--empty]
 *
 * (`npm run` runs it on the project's Node 22 whatever Node the machine has; the fake needs Node 22's
 * tls.setDefaultCACertificates.)
 *
 * It starts ARM, the sign-in endpoint and Azurite (behind the fault proxy), adds a few demo VMs (managed,
 * custom, disabled boot diagnostics, stopped, deallocated, a Uniform and a Flexible scale set), prints the
 * environment to give bootdiag, and runs until Ctrl-C. Type a command on stdin to change the world:
 *   append <vm> <text>   restart-log <vm>   delete-log <vm>   requests   help
 */
import {createInterface} from 'node:readline'
import {parseArgs} from 'node:util'

import {sampleBootLog, startFakeAzure, type BlobKind, type FakeAzure} from './index.js'

const {values} = parseArgs({
  options: {
    empty: {default: false, type: 'boolean'},
    'log-blob-type': {default: 'append', type: 'string'},
    'page-size': {default: '50', type: 'string'},
  },
})

async function addDemoVms(fake: FakeAzure): Promise<void> {
  await fake.addVm({name: 'web-01'})
  await fake.addVm({name: 'web-02', powerState: 'stopped'})
  await fake.addVm({name: 'db-01', resourceGroup: 'rg-data', storage: 'custom'})
  await fake.addVm({name: 'batch-01', powerState: 'deallocated'})
  await fake.addVm({name: 'legacy-01', storage: 'disabled'})
  await fake.addVm({
    name: 'broken-01',
    serialLog: `${sampleBootLog({hostname: 'broken-01'}).split('Welcome to')[0]}[    3.100000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n`,
  })
  await fake.addScaleSet({capacity: 2, name: 'web-ss'})
  await fake.addScaleSet({capacity: 2, name: 'flex-ss', orchestrationMode: 'Flexible'})
}

function printEnv(fake: FakeAzure): void {
  // Node's own fetch is not routed through the dead proxy by hand (NODE_USE_ENV_PROXY would make every
  // bootdiag command print an UNDICI-EHPA "experimental" warning); the Azure SDKs honour HTTPS_PROXY anyway.
  const env = fake.env({nodeEnvProxy: false})
  process.stdout.write('# fake Azure is up. Use this environment for bootdiag (e.g. `eval "$(…)"` or copy):\n')
  for (const [name, value] of Object.entries(env)) process.stdout.write(`export ${name}='${value}'\n`)
  process.stdout.write(
    `# ARM ${fake.armEndpoint}  authority ${fake.authorityHost}  storage ${fake.storage?.origin ?? '(none)'}\n`,
  )
  process.stdout.write(`# metadata ${fake.metadataUrl}\n`)
  process.stdout.write(`# VMs: ${[...fake.state.vms.values()].map((vm) => vm.name).join(', ') || '(none)'}\n`)
  process.stdout.write(
    '# commands on stdin: append <vm> <text> | restart-log <vm> | delete-log <vm> | requests | help. Ctrl-C stops.\n',
  )
}

async function main(): Promise<void> {
  if (Number(process.versions.node.split('.')[0]) < 22) {
    process.stderr.write(
      `The fake Azure needs Node 22 (this is ${process.versions.node}): start it with 'npm run fake-azure', which runs it on the project's Node 22.\n`,
    )
    process.exit(1)
  }

  const fake = await startFakeAzure({
    settings: {pageSize: Number(values['page-size'])},
    storage: {logBlobType: values['log-blob-type'] as BlobKind},
  })
  if (!values.empty) await addDemoVms(fake)
  printEnv(fake)

  const stop = async () => {
    await fake.stop()
    process.exit(0)
  }

  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  const lines = createInterface({input: process.stdin})
  lines.on('line', (line) => {
    const [command, vm, ...rest] = line.trim().split(/\s+/)
    const act = async () => {
      switch (command) {
        case 'append':
          await fake.appendLog(vm, `${rest.join(' ')}\r\n`)
          return `appended to ${vm}`
        case 'restart-log': {
          const target = fake.state.vm(vm)
          await fake.appendLog(target, sampleBootLog({bootNumber: target.bootCount + 1, hostname: target.computerName}))
          return `appended a boot to ${vm}`
        }

        case 'delete-log':
          await fake.deleteLog(vm)
          return `deleted the log of ${vm}`
        case 'requests':
          return JSON.stringify(fake.requests.perRoute(), null, 2)
        case '':
        case undefined:
          return ''
        default:
          return 'commands: append <vm> <text> | restart-log <vm> | delete-log <vm> | requests'
      }
    }

    act().then(
      (message) => message && process.stderr.write(`${message}\n`),
      (error: unknown) => process.stderr.write(`${String(error)}\n`),
    )
  })
}

await main()
