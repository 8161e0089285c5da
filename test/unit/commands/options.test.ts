/**
 * How flags become options, in process, for every command (as gh tests its Options structs): the real
 * oclif parser over an argv (and the environment bindings), then the command's options() — the typed
 * object its service receives. No Azure, no process.
 */
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config} from '@oclif/core'
import {expect} from 'chai'

import Analyze from '../../../src/commands/analyze.js'
import Archive from '../../../src/commands/archive.js'
import Fetch from '../../../src/commands/fetch.js'
import VmDeallocate from '../../../src/commands/vm/deallocate.js'
import VmList from '../../../src/commands/vm/list.js'
import VmRedeploy from '../../../src/commands/vm/redeploy.js'
import VmRestart from '../../../src/commands/vm/restart.js'
import VmStart from '../../../src/commands/vm/start.js'
import VmStop from '../../../src/commands/vm/stop.js'
import Watch from '../../../src/commands/watch.js'
import {parseShard} from '../../../src/services/archive/targets.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

interface WithOptions<O> {
  init(): Promise<void>
  finally(error: Error | undefined): Promise<unknown>
  options(...args: never[]): O
}

/** Parse argv as the command would (with `env` set meanwhile), then ask it for its options. */
async function optionsOf<O>(
  CommandClass: new (argv: string[], config: Config) => WithOptions<O>,
  argv: string[],
  env: Record<string, string> = {},
  ...extra: never[]
): Promise<O> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  Object.assign(process.env, env)
  const command = new CommandClass(argv, await Config.load(root))
  try {
    await command.init()
    return command.options(...extra)
  } finally {
    await command.finally(undefined)
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
  }
}

describe('commands: how flags become options (in process)', () => {
  describe('analyze', () => {
    it('a log file and --html: the file, the page, no VM', async () => {
      expect(await optionsOf(Analyze, ['serial.log', '--html', 'report.html'])).to.deep.equal({
        html: 'report.html',
        log: 'serial.log',
        vm: {},
      })
    })

    it('-n/-g instead of a log: the VM to snapshot first', async () => {
      expect(await optionsOf(Analyze, ['-n', 'web-01', '-g', 'rg-web'])).to.deep.equal({
        html: undefined,
        log: undefined,
        vm: {name: 'web-01', 'resource-group': 'rg-web'},
      })
    })

    it('no LOG and no VM with stdin piped (cat log | bootdiag analyze): the log is stdin, as with -', async () => {
      expect(await optionsOf(Analyze, [], {}, true as never)).to.deep.equal({html: undefined, log: '-', vm: {}})
    })

    it('no LOG and no VM on a terminal or /dev/null: no log yet (the VM is picked, or it is a usage error)', async () => {
      expect(await optionsOf(Analyze, [], {}, false as never)).to.deep.equal({html: undefined, log: undefined, vm: {}})
    })

    it('a VM named with stdin piped (a while-read loop): the VM; stdin is left to the loop', async () => {
      expect(await optionsOf(Analyze, ['-n', 'web-01', '-g', 'rg'], {}, true as never)).to.deep.include({
        log: undefined,
      })
    })

    for (const argv of [
      ['serial.log', '-n', 'web-01', '-g', 'rg-web'],
      ['-', '--ids', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web-01'],
      ['snapshot-dir', '--vmss', 'web-ss', '--instance-id', '0'],
      ['serial.log', '-g', 'rg-web'],
    ]) {
      it(`a LOG and a VM at once (analyze ${argv.join(' ')}): a one-line usage error, exit 2`, async () => {
        const error = await optionsOf(Analyze, argv).catch((e: Error) => e)
        expect(error).to.include({exitCode: 2})
        expect((error as Error).message).to.match(/^analyze reads one log: .* or the VM named by .*, not both\. /)
      })
    }
  })

  describe('every command: output flags', () => {
    it('--json with another -o is a usage error; --json -o json, or -o from BOOTDIAG_OUTPUT, are not', async () => {
      const error = await optionsOf(VmList, ['--json', '-o', 'yaml']).catch((e: Error) => e)
      expect(error).to.include({exitCode: 2})
      expect((error as Error).message).to.match(/^--json and -o yaml ask for two formats/)
      expect(await optionsOf(VmList, ['--json', '-o', 'json'])).to.deep.include({all: false})
      expect(await optionsOf(VmList, ['--json'], {BOOTDIAG_OUTPUT: 'table'})).to.deep.include({all: false})
    })
  })

  describe('fetch', () => {
    it('-n/-g, --reason and --stdout', async () => {
      expect(await optionsOf(Fetch, ['-n', 'web-01', '-g', 'rg-web', '--reason', 'INC-7', '--stdout'])).to.deep.equal({
        reason: 'INC-7',
        stdout: true,
        vm: {name: 'web-01', 'resource-group': 'rg-web'},
      })
    })

    it('several --ids, the default reason', async () => {
      expect(await optionsOf(Fetch, ['--ids', '/a', '/b'])).to.deep.equal({
        reason: 'manual',
        stdout: false,
        vm: {ids: ['/a', '/b']},
      })
    })
  })

  describe('fetch --stdout', () => {
    it('with -o, --json or --query (nothing to format): a usage error, exit 2', async () => {
      for (const extra of [['-o', 'json'], ['--json'], ['--query', 'vm.name']]) {
        const error = await optionsOf(Fetch, ['-n', 'web-01', '-g', 'rg', '--stdout', ...extra]).catch((e: Error) => e)
        expect(error, extra.join(' ')).to.include({exitCode: 2})
      }
    })
  })

  describe('vm list', () => {
    it('--all, --include-vmss, -g', async () => {
      expect(await optionsOf(VmList, ['--all', '--include-vmss', '-g', 'rg-ss'])).to.deep.equal({
        all: true,
        includeVmss: true,
        resourceGroup: 'rg-ss',
      })
    })
  })

  describe('archive', () => {
    const parse = (argv: string[], env: Record<string, string> = {}) =>
      optionsOf(Archive, argv, env, parseShard as never)

    it('every flag: the fleet run the service receives', async () => {
      expect(
        await parse([
          '--subscription',
          'prod,stage',
          '--subscription',
          'dev',
          '-g',
          'rg-web',
          '--include-vmss',
          '--shard',
          '1/4',
          '--keep-days',
          '30',
          '--concurrency',
          '8',
          '--wait',
        ]),
      ).to.deep.equal({
        concurrency: 8,
        includeVmss: true,
        keepDays: 30,
        resourceGroup: 'rg-web',
        shard: {count: 4, index: 1},
        subscriptions: ['prod', 'stage', 'dev'],
        wait: true,
      })
    })

    it('defaults; AZURE_SUBSCRIPTION_ID counts as --subscription; --all-subscriptions wins', async () => {
      expect(await parse([], {AZURE_SUBSCRIPTION_ID: 'from-env'})).to.deep.include({
        concurrency: 16,
        includeVmss: false,
        subscriptions: ['from-env'],
        wait: false,
      })
      expect(await parse(['--all-subscriptions'])).to.deep.include({subscriptions: 'all'})
      expect(await parse(['--all-subscriptions'], {AZURE_SUBSCRIPTION_ID: 'from-env'})).to.deep.include({
        subscriptions: 'all',
      })
    })

    it('--all-subscriptions with --subscription on the command line: a usage error, exit 2', async () => {
      const error = await parse(['--all-subscriptions', '--subscription', 'prod']).catch((e: Error) => e)
      expect(error).to.include({exitCode: 2})
    })
  })

  describe('watch', () => {
    it('--until, --timeout, --interval; piped stdout: NDJSON', async () => {
      expect(
        await optionsOf(Watch, ['-n', 'web-01', '-g', 'rg', '--until', 'systemd-services', '--timeout', '30m']),
      ).to.deep.equal({
        mode: 'ndjson',
        settings: {intervalMs: 5000, timeoutMs: 1_800_000, until: 'systemd-services'},
        vm: {name: 'web-01', 'resource-group': 'rg'},
      })
    })

    it('-o table --stages: stage changes only; -o none: nothing', async () => {
      expect(await optionsOf(Watch, ['-n', 'a', '-g', 'b', '-o', 'table', '--stages'])).to.deep.include({
        mode: 'stages',
      })
      expect(await optionsOf(Watch, ['-n', 'a', '-g', 'b', '-o', 'none'])).to.deep.include({mode: 'none'})
    })
  })

  describe('vm restart|redeploy|stop|deallocate|start', () => {
    it('restart --yes --watch --until: the operation, confirmed, with the watch settings', async () => {
      expect(
        await optionsOf(VmRestart, ['-n', 'web-01', '-g', 'rg', '--yes', '--watch', '--until', 'kernel']),
      ).to.deep.equal({
        confirmed: true,
        force: false,
        operation: 'restart',
        skipShutdown: undefined,
        snapshotFirst: true,
        vm: {name: 'web-01', 'resource-group': 'rg'},
        wait: true,
        watch: {intervalMs: 5000, timeoutMs: 900_000, until: 'kernel'},
      })
    })

    it('each command names its operation; stop --skip-shutdown; --no-wait; --skip-snapshot', async () => {
      expect(await optionsOf(VmRedeploy, ['--ids', '/x', '--force'])).to.deep.include({
        force: true,
        operation: 'redeploy',
      })
      expect(await optionsOf(VmStop, ['--ids', '/x', '--skip-shutdown', '--no-wait'])).to.deep.include({
        operation: 'stop',
        skipShutdown: true,
        wait: false,
      })
      expect(await optionsOf(VmDeallocate, ['--ids', '/x', '--skip-snapshot'])).to.deep.include({
        operation: 'deallocate',
        snapshotFirst: false,
      })
      expect(await optionsOf(VmStart, ['--ids', '/x'])).to.deep.include({operation: 'start', watch: undefined})
    })

    it('--force with --skip-snapshot is a usage error (exit 2)', async () => {
      const error = await optionsOf(VmRestart, ['--ids', '/x', '--force', '--skip-snapshot']).catch((e: Error) => e)
      expect(error).to.include({exitCode: 2})
    })
  })
})
