/**
 * `archive` on a fleet of 1,000 VMs against the loopback fake of Azure, with 50 ms of latency injected on
 * every request (Resource Manager, sign-in and storage alike), the built CLI run as a user runs it, with
 * default settings:
 *
 *   1. first run: every VM is new. Targets: ≤ 20 s wall, ≤ 4 requests per VM;
 *   2. second run, nothing changed: 0 serial-log bytes downloaded;
 *   3. third run, after 10% of the logs grew: only the new bytes (plus the 1 KiB overlap checked per log).
 *
 * Then the screenshots (the second witness): every VM's screenshot changes to a real 640x480 screen (16-bit
 * BMP, the project's own test screens: Linux consoles captured in the lab for the Linux VMs, rendered
 * Windows screens for the one VM in ten that runs Windows), one pixel apart from VM to VM and from round to
 * round so that every one is new; runs alternate with the screen reader off (BOOTDIAG_SCREEN_READER=off)
 * and on. Target: a run with new screenshots ≤ 1.5x its time without the reader. Then the same with 10% of
 * the screenshots changing, as between two hourly runs of a fleet that is mostly up.
 *
 * Prints wall time, requests (total, per VM, by route) and bytes downloaded per run. BENCH_VMS changes the
 * fleet size, BENCH_LATENCY_MS the latency. The archive goes to bench/out/archive-bench (removed after).
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {runCli} from './cli.js'

import {PNG} from 'pngjs'

import {
  type FakeAzure,
  type FakeVm,
  makeBmp,
  sampleBootLog,
  sampleShutdownLog,
  startFakeAzure,
} from '../test/fake-azure/index.js'
import {rgbaToBmp} from '../test/helpers/screen-images.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const VMS = Number(process.env.BENCH_VMS ?? 1000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50)
const GROWN_SHARE = 0.1
const TARGETS = {firstRunSeconds: 20, readerRatio: 1.5, requestsPerVm: 4}
/** one VM in ten runs Windows (an empty serial log, graphical screens) */
const isWindows = (i: number) => i % 10 === 5
const SCREENS = join(repo, 'test', 'fixtures', 'screens')
/** what a fleet that is mostly up shows: screens and how often */
const LINUX_SCREENS: Array<[string, number]> = [
  ['lab/linux-login-prompt-1', 25],
  ['lab/linux-login-prompt-2', 25],
  ['lab/linux-login-prompt-3', 20],
  ['lab/linux-console-1', 5],
  ['lab/linux-console-2', 5],
  ['lab/linux-grub-menu-1', 5],
  ['lab/linux-kernel-panic-1', 5],
  ['lab/linux-emergency-1', 5],
  ['lab/linux-grub-rescue-1', 5],
]
const WINDOWS_SCREENS: Array<[string, number]> = [
  ['rendered/win-login-healthy-lock-screen', 70],
  ['rendered/win-updating-working-on-updates', 10],
  ['rendered/win-stop-error-critical-process-died', 10],
  ['rendered/win-booting-logo', 10],
]

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
        // A log of several boots (about 28 KB), none for Windows; one VM in ten on a customer's storage account.
        osType: isWindows(i) ? ('Windows' as const) : ('Linux' as const),
        serialLog: isWindows(i)
          ? ''
          : Array.from(
              {length: 12},
              (_, boot) =>
                sampleBootLog({bootNumber: boot + 1, hostname: `vm-${i}`}) + sampleShutdownLog({ending: 'restart'}),
            ).join(''),
        // a small screenshot until the screenshot rounds below
        screenshot: makeBmp({seed: i}),
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

    await screenshotRounds(fake, fleet, env)
  } finally {
    await fake.stop()
    rmSync(archive, {force: true, recursive: true})
  }
}

/**
 * Every VM's screenshot (or a share of them) changes to a real screen, then one run; the reader off and on
 * in turn. Prints each run and the ratio of the medians.
 */
async function screenshotRounds(fake: FakeAzure, fleet: FakeVm[], env: Record<string, string>): Promise<void> {
  const screens = loadScreens()
  let round = 0
  const change = async (share: number) => {
    round++
    const started = Date.now()
    // every VM, or a pseudo-random share of them (Linux and Windows alike), different each round
    const changing = fleet.filter(
      (_, i) => share >= 1 || (Math.imul(i + 1, 2_654_435_761) ^ Math.imul(round, 40_503)) >>> 0 < share * 2 ** 32,
    )
    await Promise.all(
      changing.map((vm) => {
        const i = fleet.indexOf(vm)
        return fake.setScreenshot(vm, screens.bmpFor(i, round))
      }),
    )
    console.log(
      `round ${round}: ${changing.length} screenshots changed (${screens.describe(changing.map((vm) => fleet.indexOf(vm)))}), uploaded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    )
    return changing.length
  }

  const results: Array<{share: number; reader: 'off' | 'on'; run: RunFigures; changed: number}> = []
  for (const share of [1, 0.1]) {
    for (const reader of ['off', 'on', 'off', 'on'] as const) {
      const changed = await change(share)
      const label = `${Math.round(share * 100)}% new screenshots, reader ${reader}`
      const run = await measure(fake, {...env, BOOTDIAG_SCREEN_READER: reader}, label)
      results.push({changed, reader, run, share})
      const read = readersOf(run)
      if (reader === 'on')
        console.log(
          `  read: ${Object.entries(read)
            .map(([how, n]) => `${how} ${n}`)
            .join(', ')}`,
        )
    }
  }

  console.log('')
  console.log('| screenshots changed | reader off (wall, runs) | reader on (wall, runs) | on / off (medians) |')
  console.log('|---|---|---|---|')
  for (const share of [1, 0.1]) {
    const of = (reader: 'off' | 'on') => results.filter((r) => r.share === share && r.reader === reader)
    const median = (runs: typeof results) => {
      const sorted = runs.map((r) => r.run.seconds).sort((a, b) => a - b)
      return sorted.length % 2
        ? sorted[(sorted.length - 1) / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
    }
    const off = of('off')
    const on = of('on')
    const ratio = median(on) / median(off)
    console.log(
      `| ${on[0]?.changed ?? '?'} of ${fleet.length} | ${median(off).toFixed(1)} s (${off.map((r) => r.run.seconds.toFixed(1)).join(', ')}) | ${median(on).toFixed(1)} s (${on.map((r) => r.run.seconds.toFixed(1)).join(', ')}) | ${ratio.toFixed(2)}x |`,
    )
    console.log(
      `${ratio <= TARGETS.readerRatio ? 'MET    ' : 'MISSED '} ${Math.round(share * 100)}% new screenshots: reader on ≤ ${TARGETS.readerRatio}x off: ${ratio.toFixed(2)}x`,
    )
  }
}

/** How the new snapshots' screens were read: console-font, ocr, none, or not read. */
function readersOf(run: RunFigures): Record<string, number> {
  const counts: Record<string, number> = {}
  const vms =
    (run.summary as {vms?: Array<{analysis?: {screen?: {reader?: string}; screenUnread?: string}}>})?.vms ?? []
  for (const vm of vms) {
    if (!vm.analysis) continue
    const how = vm.analysis.screen?.reader ?? (vm.analysis.screenUnread ? 'unread' : 'none')
    counts[how] = (counts[how] ?? 0) + 1
  }

  return counts
}

/** The test screens as 16-bit BMPs, picked for each VM by its OS and a weighted turn. */
function loadScreens(): {bmpFor(vm: number, round: number): Buffer; describe(vms: number[]): string} {
  const bmps = new Map<string, Buffer>()
  const bmpOf = (name: string) => {
    let bmp = bmps.get(name)
    if (!bmp) {
      const png = PNG.sync.read(readFileSync(join(SCREENS, `${name}.png`)))
      bmp = rgbaToBmp({data: png.data, height: png.height, width: png.width}, 16)
      bmps.set(name, bmp)
    }

    return bmp
  }

  const pick = (table: Array<[string, number]>, n: number) => {
    const total = table.reduce((sum, [, weight]) => sum + weight, 0)
    let at = (n * 37) % total
    for (const [name, weight] of table) {
      if (at < weight) return name
      at -= weight
    }

    return table[0][0]
  }

  const nameFor = (vm: number, round: number) =>
    pick(isWindows(vm) ? WINDOWS_SCREENS : LINUX_SCREENS, vm * 7 + round * 3)
  return {
    bmpFor(vm, round) {
      const bmp = Buffer.from(bmpOf(nameFor(vm, round)))
      // one pixel apart (the bottom-right one: the first row of a bottom-up BMP, its last pixel)
      const header = bmp.readUInt32LE(10)
      const width = bmp.readInt32LE(18)
      bmp.writeUInt16LE((round * 4099 + vm * 13 + 1) & 0xffff, header + (width - 1) * 2)
      return bmp
    },
    describe(vms) {
      const windows = vms.filter((vm) => isWindows(vm)).length
      return `${vms.length - windows} Linux console screens, ${windows} Windows graphical screens`
    },
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
