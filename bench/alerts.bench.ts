/**
 * What `archive --notify --metrics-file --export-logs` add to an archive run: a fleet of 1,000 VMs against
 * the loopback fake of Azure with 50 ms of latency on every request (the Logs Ingestion endpoint too), a
 * webhook receiver on 127.0.0.1 answering 200 at once, the built CLI with default settings.
 *
 *   1. a first run, all new (no delivery flags): the archive to build on;
 *   2. nothing changed, without and with every delivery flag (the metrics file and 1,000 rows to Azure
 *      Monitor, no message), in turn, three times each: the overhead is the difference of the medians;
 *   3. 10% of the VMs restarted into a boot that fails, every delivery flag: 100 messages, 1,000 rows.
 *
 * Prints each run's wall time and what was delivered.
 * BENCH_VMS and BENCH_LATENCY_MS change the fleet and the latency. Everything goes under bench/out/.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runCli} from './cli.js'

import {sampleBootLog, samplePanicBootLog, sampleShutdownLog, startFakeAzure} from '../test/fake-azure/index.js'
import {startWebhookReceiver} from '../test/helpers/webhook-receiver.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const VMS = Number(process.env.BENCH_VMS ?? 1000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50)
const STREAM = 'Custom-BootDiagnostics_CL'

interface Run {
  label: string
  exitCode: number | null
  seconds: number
  delivery?: Record<string, unknown>
}

export default async function alertsBench(): Promise<void> {
  const tsc = join(repo, 'node_modules', '.bin', 'tsc')
  spawnSync(tsc, ['-p', join(repo, 'tsconfig.build.json')], {cwd: repo, stdio: 'ignore'})
  if (!existsSync(join(repo, 'dist', 'commands', 'archive.js')))
    throw new Error('dist/ is missing: run `npm run build`')
  const out = join(here, 'out', 'alerts-bench')
  rmSync(out, {force: true, recursive: true})
  mkdirSync(out, {recursive: true})
  console.log(
    `machine: ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  )

  const fake = await startFakeAzure()
  const receiver = await startWebhookReceiver()
  try {
    const dcr = JSON.parse(readFileSync(join(repo, 'docs', 'monitor', 'data-collection-rule.json'), 'utf8')) as {
      properties: {streamDeclarations: Record<string, {columns: Array<{name: string; type: string}>}>}
    }
    const rule = fake.ingestion.addRule({columns: dcr.properties.streamDeclarations[STREAM].columns, stream: STREAM})
    const fleet = await fake.addVms(
      Array.from({length: VMS}, (_, i) => ({
        name: `vm-${String(i).padStart(4, '0')}`,
        resourceGroup: `rg-fleet-${String(i % 10).padStart(2, '0')}`,
        serialLog: Array.from(
          {length: 4},
          (_, boot) =>
            sampleBootLog({bootNumber: boot + 1, hostname: `vm-${i}`}) + sampleShutdownLog({ending: 'restart'}),
        ).join(''),
      })),
    )
    fake.faults.add({latencyMs: LATENCY_MS, name: 'bench latency'})
    const env = {
      ...fake.env(),
      AZURE_CONFIG_DIR: join(out, '.az'),
      BOOTDIAG_ARCHIVE: join(out, 'archive'),
      NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
    }
    const metricsFile = join(out, 'bootdiag.prom')
    const deliver = [
      '--notify',
      `${receiver.origin}/services/T0BENCH/B0BENCH/bench-webhook-secret`,
      '--metrics-file',
      metricsFile,
      '--export-logs',
      fake.ingestion.endpoint,
      '--dcr',
      rule.immutableId,
      '--stream',
      STREAM,
    ]

    const runs: Run[] = []
    runs.push(await measure(env, 'first run (all new), no delivery flags', []))
    const plain: number[] = []
    const delivering: number[] = []
    for (let round = 1; round <= 3; round++) {
      const without = await measure(env, `nothing changed, no delivery flags (${round})`, [])
      const withAll = await measure(env, `nothing changed, --notify --metrics-file --export-logs (${round})`, deliver)
      runs.push(without, withAll)
      plain.push(without.seconds)
      delivering.push(withAll.seconds)
    }
    const failing = fleet.filter((_, i) => i % 10 === 3)
    await Promise.all(
      failing.map((vm, i) =>
        fake.appendLog(
          vm,
          sampleShutdownLog({ending: 'restart'}) + samplePanicBootLog({bootNumber: 100 + i, hostname: vm.name}),
        ),
      ),
    )
    runs.push(await measure(env, `${failing.length} VMs now failing, every delivery flag`, deliver))

    console.log('')
    console.log('| run | exit | wall | delivered |')
    console.log('|---|---|---|---|')
    for (const run of runs)
      console.log(
        `| ${run.label} | ${run.exitCode} | ${run.seconds.toFixed(1)} s | ${run.delivery ? JSON.stringify(run.delivery) : ''} |`,
      )
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
    const overhead = median(delivering) - median(plain)
    console.log('')
    console.log(
      `unchanged run, median of 3: ${median(plain).toFixed(1)} s without, ${median(delivering).toFixed(1)} s with every delivery flag: ${overhead.toFixed(1)} s (${((overhead / median(plain)) * 100).toFixed(0)}%); webhook POSTs received: ${receiver.requests.length}; rows in the stream: ${rule.rows.length}`,
    )
  } finally {
    await receiver.close()
    await fake.stop()
    rmSync(out, {force: true, recursive: true})
  }
}

async function measure(env: Record<string, string>, label: string, extra: string[]): Promise<Run> {
  const started = process.hrtime.bigint()
  const {exitCode, stderr, stdout} = await runCli(['archive', '-o', 'json', ...extra], env)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (exitCode !== 0 || stderr) process.stderr.write(stderr)
  let delivery: Record<string, unknown> | undefined
  try {
    delivery = (JSON.parse(stdout) as {delivery?: Record<string, unknown>}).delivery
  } catch {
    delivery = undefined
  }

  console.log(`${label}: exit ${exitCode}, ${seconds.toFixed(1)} s`)
  return {delivery, exitCode, label, seconds}
}
