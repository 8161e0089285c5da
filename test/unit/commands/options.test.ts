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
import Diff from '../../../src/commands/diff.js'
import Fetch from '../../../src/commands/fetch.js'
import History from '../../../src/commands/history.js'
import Report from '../../../src/commands/report.js'
import Search from '../../../src/commands/search.js'
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

    it('--notify (repeated), --metrics-file, --export-logs with --dcr and --stream: what to deliver after the run', async () => {
      const options = await parse([
        '--notify',
        'https://hooks.slack.com/services/T000/B000/XXXXXXXX',
        '--notify',
        'https://example.webhook.office.com/webhookb2/abc',
        '--metrics-file',
        '/var/lib/node_exporter/textfile/bootdiag.prom',
        '--export-logs',
        'https://dce-1.westeurope-1.ingest.monitor.azure.com',
        '--dcr',
        'dcr-00112233445566778899aabbccddeeff',
        '--stream',
        'Custom-BootDiagnostics_CL',
      ])
      expect(options.deliveries).to.deep.equal({
        exportLogs: {
          endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
          ruleId: 'dcr-00112233445566778899aabbccddeeff',
          stream: 'Custom-BootDiagnostics_CL',
        },
        metricsFile: '/var/lib/node_exporter/textfile/bootdiag.prom',
        notify: [
          'https://hooks.slack.com/services/T000/B000/XXXXXXXX',
          'https://example.webhook.office.com/webhookb2/abc',
        ],
      })
    })

    it('BOOTDIAG_NOTIFY_URL is --notify (the URL stays out of the process list); no delivery flag: no deliveries', async () => {
      expect(
        (await parse([], {BOOTDIAG_NOTIFY_URL: 'https://hooks.slack.com/services/T1/B1/YYYYYYYY'})).deliveries,
      ).to.deep.equal({
        notify: ['https://hooks.slack.com/services/T1/B1/YYYYYYYY'],
      })
      expect(await parse([])).to.not.have.property('deliveries')
    })

    it('--export-logs without --dcr and --stream, or --dcr alone: a usage error', async () => {
      for (const argv of [
        ['--export-logs', 'https://dce-1.westeurope-1.ingest.monitor.azure.com'],
        ['--dcr', 'dcr-00112233445566778899aabbccddeeff'],
      ]) {
        const failure = await parse(argv).then(
          () => undefined,
          (error: unknown) => error as Error,
        )
        expect(failure?.message, argv.join(' ')).to.match(/--(dcr|stream|export-logs)/)
      }
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

  describe('archive --reindex', () => {
    it('--reindex (with --wait): the index rebuilt instead of a run; without it: none', async () => {
      const reindexOf = async (argv: string[]) => {
        const command = new Archive(argv, await Config.load(root))
        await command.init()
        try {
          return command.reindexOptions()
        } finally {
          await command.finally(undefined)
        }
      }

      expect(await reindexOf(['--reindex', '--wait'])).to.deep.equal({wait: true})
      expect(await reindexOf(['--reindex'])).to.deep.equal({wait: false})
      expect(await reindexOf([])).to.equal(undefined)
      expect(await reindexOf(['--reindex', '--shard', '0/2']).catch((e: Error) => e))
        .to.be.an('error')
        .with.property('message')
        .that.matches(/--shard=0\/2 cannot also be provided when using --reindex/)
    })
  })

  describe('report', () => {
    const now = new Date('2026-11-25T12:00:00Z')
    it('every filter, --live and --html: the report the service builds', async () => {
      expect(
        await optionsOf(
          Report,
          [
            '--subscription',
            'sub-a,sub-b',
            '-g',
            'rg-web',
            '--since',
            '1d12h',
            '--outcome',
            'failure',
            '--outcome',
            'disabled',
            '--live',
            '--html',
            'fleet.html',
          ],
          {},
          now as never,
        ),
      ).to.deep.equal({
        html: 'fleet.html',
        report: {
          live: true,
          outcomes: ['failure', 'disabled'],
          resourceGroup: 'rg-web',
          since: new Date('2026-11-24T00:00:00Z'),
          subscriptions: ['sub-a', 'sub-b'],
        },
      })
    })

    it('defaults: the whole archive; AZURE_SUBSCRIPTION_ID does not filter; a date for --since; bad values are usage errors', async () => {
      expect(await optionsOf(Report, [], {AZURE_SUBSCRIPTION_ID: 'from-env'}, now as never)).to.deep.equal({
        html: undefined,
        report: {
          live: false,
          outcomes: undefined,
          resourceGroup: undefined,
          since: undefined,
          subscriptions: undefined,
        },
      })
      expect((await optionsOf(Report, ['--since', '2026-11-01'], {}, now as never)).report.since).to.deep.equal(
        new Date('2026-11-01T00:00:00Z'),
      )
      expect(await optionsOf(Report, ['--since', 'yesterday']).catch((e: Error) => e)).to.include({exitCode: 2})
      expect(await optionsOf(Report, ['--outcome', 'broken']).catch((e: Error) => e))
        .to.be.an('error')
        .with.property('message')
        .that.matches(/^Expected --outcome=broken to be one of: booted, /)
    })
  })

  describe('history', () => {
    it('-n/-g (and --subscription, --limit), or --ids; --diff', async () => {
      expect(
        await optionsOf(History, ['-n', 'web-01', '-g', 'rg', '--subscription', 'sub', '--limit', '5']),
      ).to.deep.equal({
        diff: false,
        vm: {limit: 5, name: 'web-01', resourceGroup: 'rg', subscription: 'sub'},
      })
      expect(
        await optionsOf(History, [
          '--ids',
          '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a',
          '--diff',
        ]),
      ).to.deep.equal({
        diff: true,
        vm: {id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/a', limit: undefined},
      })
    })

    it('no VM named, or named twice: a usage error (exit 2)', async () => {
      expect(await optionsOf(History, ['-n', 'web-01']).catch((e: Error) => e)).to.include({exitCode: 2})
      expect(await optionsOf(History, ['--ids', '/x', '-n', 'a', '-g', 'b']).catch((e: Error) => e)).to.include({
        exitCode: 2,
      })
    })
  })

  describe('diff', () => {
    it('two snapshots, by id or folder; one is not enough', async () => {
      expect(await optionsOf(Diff, ['rg/web-01/20261125T100000Z', './after'])).to.deep.equal({
        a: 'rg/web-01/20261125T100000Z',
        b: './after',
      })
      expect(await optionsOf(Diff, ['only-one']).catch((e: Error) => e))
        .to.be.an('error')
        .with.property('message')
        .that.matches(/^Missing 1 required arg/)
    })
  })

  describe('search', () => {
    it('PATTERN with -i, -E, --since, the scope flags and --max-count', async () => {
      expect(
        await optionsOf(
          Search,
          [
            'Kernel panic',
            '-i',
            '-E',
            '--since',
            '30d',
            '-g',
            'rg',
            '-n',
            'web-01',
            '--subscription',
            'a,b',
            '--max-count',
            '10',
          ],
          {},
          new Date('2026-11-25T12:00:00Z') as never,
        ),
      ).to.deep.equal({
        ignoreCase: true,
        maxMatches: 10,
        name: 'web-01',
        pattern: 'Kernel panic',
        regex: true,
        resourceGroup: 'rg',
        since: new Date('2026-10-26T12:00:00Z'),
        subscriptions: ['a', 'b'],
      })
    })

    it('a plain string by default; no pattern is a usage error', async () => {
      expect(await optionsOf(Search, ['login:'])).to.deep.include({
        ignoreCase: false,
        pattern: 'login:',
        regex: false,
        since: undefined,
      })
      expect(await optionsOf(Search, []).catch((e: Error) => e))
        .to.be.an('error')
        .with.property('message')
        .that.matches(/^Missing 1 required arg/)
    })
  })
})
