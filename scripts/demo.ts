/**
 * `npm run demo`: bootdiag's main job end to end, on this machine, with no Azure account. It starts the
 * loopback fake of Azure (the one the end-to-end tests use: HTTPS Resource Manager, token and metadata
 * endpoints, Azurite for storage) with two VMs whose serial logs are real boots from samples/, then runs
 * the built CLI as a user would: list the VMs, snapshot the broken one, and analyse the snapshot.
 * Exits 0 when every step did what it should.
 */
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {startFakeAzure} from '../test/fake-azure/index.js'
import {runBootdiag} from '../test/helpers/cli.js'

const root = resolve(import.meta.dirname, '..')

/** Run the CLI in a child process (asynchronously: the fake Azure answers from this process). */
async function step(title: string, args: string[], env: NodeJS.ProcessEnv, expectCodes: number[]): Promise<string> {
  process.stdout.write(`\n${bold(`$ bootdiag ${args.join(' ')}`)}    # ${title}\n`)
  const run = await runBootdiag(args, {env})
  process.stdout.write(run.stdout.endsWith('\n') ? run.stdout : `${run.stdout}\n`)
  process.stderr.write(run.stderr)
  if (!expectCodes.includes(run.exitCode ?? -1))
    throw new Error(`'bootdiag ${args.join(' ')}' exited ${run.exitCode}, expected ${expectCodes.join(' or ')}`)
  return run.stdout
}

function bold(text: string): string {
  return process.stdout.isTTY && !process.env.NO_COLOR ? `\u001B[1m${text}\u001B[22m` : text
}

const scratch = await mkdtemp(join(tmpdir(), 'bootdiag-demo-'))
const fake = await startFakeAzure()
try {
  await fake.addVm({
    name: 'web-01',
    resourceGroup: 'rg-demo',
    serialLog: await readFile(join(root, 'samples', 'healthy-boot.log')),
  })
  await fake.addVm({
    name: 'db-01',
    resourceGroup: 'rg-demo',
    serialLog: await readFile(join(root, 'samples', 'emergency-mode.log')),
  })
  const env = {
    ...fake.env(),
    AZURE_CONFIG_DIR: join(scratch, 'az'),
    BOOTDIAG_ARCHIVE: join(scratch, 'archive'),
    NO_COLOR: process.stdout.isTTY ? '' : '1',
    NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
  }
  process.stdout.write(
    `A fake Azure is listening on ${fake.armEndpoint} (sign-in, Resource Manager, storage: all loopback).\n`,
  )
  await step('VMs with boot diagnostics', ['vm', 'list', '-o', 'table'], env, [0])
  const fetched = JSON.parse(
    await step(
      'snapshot the VM that does not come up',
      ['fetch', '-n', 'db-01', '-g', 'rg-demo', '-o', 'json'],
      env,
      [0],
    ),
  ) as {snapshot: string}
  await step('why did it not boot?', ['analyze', fetched.snapshot, '-o', 'table'], env, [3])
  process.stdout.write(
    `\nDemo finished: every step did what it should. (Its archive was a temporary folder, removed now;\nfor real VMs, snapshots stay in your archive: see README "Snapshots and the archive".)\n`,
  )
} finally {
  await fake.stop()
  await rm(scratch, {force: true, recursive: true})
}
