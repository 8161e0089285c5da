/**
 * `archive` on a fleet of 1,000 VMs against the loopback fake of Azure, with 50 ms of latency injected on
 * every request (Resource Manager, sign-in and storage alike), the built CLI run as a user runs it, with
 * default settings:
 *
 *   1. first run: every VM is new. Targets: ≤ 20 s wall, ≤ 4 requests per VM;
 *   2. second run, nothing changed: 0 serial-log bytes downloaded;
 *   3. third run, after 10% of the logs grew: only the new bytes (plus the 1 KiB overlap checked per log).
 *
 * Prints wall time, requests (total, per VM, by route) and bytes downloaded per run. BENCH_VMS changes the
 * fleet size, BENCH_LATENCY_MS the latency. The archive goes to bench/out/archive-bench (removed after).
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type FakeAzure, sampleBootLog, sampleShutdownLog, startFakeAzure} from '../test/fake-azure/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const VMS = Number(process.env.BENCH_VMS ?? 1000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50)
const GROWN_SHARE = 0.1
const TARGETS = {firstRunSeconds: 20, requestsPerVm: 4}

interface RunFigures {
  label: string
  exitCode: number | null
  seconds: number
  requests: number
  perVm: number
  byRoute: Record<string, number>
  logBytes: number
  screenshotBytes: number
  summary?: {totals: Record<string, number>}
}

export default async function archiveBench(): Promise<void> {
  buildCli()
  const archive = join(here, 'out', 'archive-bench')
  rmSync(archive, {force: true, recursive: true})
  mkdirSync(archive, {recursive: true})
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  )

  const fake = await startFakeAzure()
  try {
    const setupStarted = Date.now()
    const fleet = await fake.addVms(
      Array.from({length: VMS}, (_, i) => ({
        name: `vm-${String(i).padStart(4, '0')}`,
        resourceGroup: `rg-fleet-${String(i % 10).padStart(2, '0')}`,
        // A log of several boots (about 28 KB); one VM in ten on a customer's storage account.
        serialLog: Array.from(
          {length: 12},
          (_, boot) =>
            sampleBootLog({bootNumber: boot + 1, hostname: `vm-${i}`}) + sampleShutdownLog({ending: 'restart'}),
        ).join(''),
        storage: i % 10 === 9 ? ('custom' as const) : ('managed' as const),
      })),
    )
    const logBytesInFleet = fleet.reduce((sum, vm) => sum + (vm.serialLog?.length ?? 0), 0)
    console.log(
      `fleet: ${VMS} VMs, serial logs ${(logBytesInFleet / 1e6).toFixed(1)} MB in all, set up in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s; latency ${LATENCY_MS} ms on every request`,
    )
    fake.faults.add({latencyMs: LATENCY_MS, name: 'bench latency'})

    const env = {
      ...fake.env(),
      AZURE_CONFIG_DIR: join(archive, '.az'),
      BOOTDIAG_ARCHIVE: archive,
      NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
    }
    const runs: RunFigures[] = []
    runs.push(await measure(fake, env, 'first run (all new)'))
    runs.push(await measure(fake, env, 'second run (nothing changed)'))

    const grown = fleet.filter((_, i) => i % Math.round(1 / GROWN_SHARE) === 3)
    let appended = 0
    await Promise.all(
      grown.map(async (vm, i) => {
        const more =
          sampleShutdownLog({ending: 'restart'}) + sampleBootLog({bootNumber: 100 + i, hostname: vm.computerName})
        appended += Buffer.byteLength(more)
        await fake.appendLog(vm, more)
      }),
    )
    runs.push(await measure(fake, env, `third run (${grown.length} logs grew)`))

    console.log('')
    console.log(
      '| run | exit | wall | requests | per VM | serial-log bytes | screenshot bytes | new / unchanged / failed |',
    )
    console.log('|---|---|---|---|---|---|---|---|')
    for (const run of runs) {
      const t = run.summary?.totals ?? {}
      console.log(
        `| ${run.label} | ${run.exitCode} | ${run.seconds.toFixed(1)} s | ${run.requests} | ${run.perVm.toFixed(2)} | ${run.logBytes.toLocaleString('en-US')} | ${run.screenshotBytes.toLocaleString('en-US')} | ${t.new ?? '?'} / ${t.unchanged ?? '?'} / ${t.failed ?? '?'} |`,
      )
    }

    console.log('')
    for (const run of runs)
      console.log(
        `${run.label}: ${Object.entries(run.byRoute)
          .map(([route, n]) => `${route} ${n}`)
          .join(', ')}`,
      )
    const [first, second, third] = runs
    const overlap = grown.length * 1024
    console.log('')
    console.log(
      `appended before the third run: ${appended.toLocaleString('en-US')} bytes in ${grown.length} logs; downloaded: ${third.logBytes.toLocaleString('en-US')} bytes (= appended + ${(third.logBytes - appended).toLocaleString('en-US')}; the 1 KiB overlap per grown log is ${overlap.toLocaleString('en-US')})`,
    )
    const verdicts = [
      [
        `first run ≤ ${TARGETS.firstRunSeconds} s`,
        first.seconds <= TARGETS.firstRunSeconds,
        `${first.seconds.toFixed(1)} s`,
      ],
      [
        `first run ≤ ${TARGETS.requestsPerVm} requests per VM`,
        first.perVm <= TARGETS.requestsPerVm,
        first.perVm.toFixed(2),
      ],
      ['second run: 0 serial-log bytes', second.logBytes === 0, `${second.logBytes}`],
      [
        'third run: only the new bytes (+ overlap)',
        third.logBytes <= appended + overlap,
        `${third.logBytes} ≤ ${appended + overlap}`,
      ],
    ] as const
    for (const [what, ok, value] of verdicts) console.log(`${ok ? 'MET    ' : 'MISSED '} ${what}: ${value}`)
  } finally {
    await fake.stop()
    rmSync(archive, {force: true, recursive: true})
  }
}

/** Compile src/ to dist/ (what bin/run.js runs); the type check is the tests' job, the emit is what counts here. */
function buildCli(): void {
  const tsc = join(repo, 'node_modules', '.bin', 'tsc')
  const started = Date.now()
  spawnSync(tsc, ['-p', join(repo, 'tsconfig.build.json')], {cwd: repo, stdio: 'ignore'})
  if (!existsSync(join(repo, 'dist', 'commands', 'archive.js')))
    throw new Error('dist/commands/archive.js is missing: run `npm run build` first')
  console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function measure(fake: FakeAzure, env: Record<string, string>, label: string): Promise<RunFigures> {
  fake.requests.reset()
  const started = process.hrtime.bigint()
  const {exitCode, stdout, stderr} = await runCli(['archive', '-o', 'json'], env)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (exitCode !== 0) process.stderr.write(stderr)
  const blob = fake.requests.all({service: 'blob'})
  const requests = fake.requests.count()
  let summary: RunFigures['summary']
  try {
    summary = JSON.parse(stdout) as RunFigures['summary']
  } catch {
    summary = undefined
  }

  const figures: RunFigures = {
    byRoute: fake.requests.perRoute(),
    exitCode,
    label,
    logBytes: blob.filter((r) => r.path.endsWith('.serialconsole.log')).reduce((sum, r) => sum + r.bytesOut, 0),
    perVm: requests / VMS,
    requests,
    screenshotBytes: blob.filter((r) => r.path.endsWith('.screenshot.bmp')).reduce((sum, r) => sum + r.bytesOut, 0),
    seconds,
    summary,
  }
  console.log(
    `${label}: exit ${exitCode}, ${seconds.toFixed(1)} s, ${requests} requests (${figures.perVm.toFixed(2)} per VM), serial-log bytes ${figures.logBytes.toLocaleString('en-US')}`,
  )
  return figures
}

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{exitCode: number | null; stdout: string; stderr: string}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'run.js'), ...args], {
      cwd: repo,
      env: {...process.env, ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (exitCode) =>
      resolvePromise({
        exitCode,
        stderr: Buffer.concat(err).toString('utf8'),
        stdout: Buffer.concat(out).toString('utf8'),
      }),
    )
  })
}
