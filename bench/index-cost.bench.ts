/**
 * What the archive's index costs an archive run: the same fleet archived by bootdiag as it was just
 * before the index (built from the parent of the commit that added src/store/index/, into bench/out) and
 * by this tree, turn about, against the loopback fake of Azure with 50 ms of latency on every request
 * (as bench/archive.bench.ts): a first run (every VM new: every snapshot journaled, the journal folded),
 * a run with nothing changed, and one after 10% of the logs grew — each step four times, A B B A, into two
 * archives per build. Target: ≤ 10% slower with the index. (A VM that fails — the loopback storage
 * dropping a connection on a busy machine — is told and counted; the run's time stands.) BENCH_VMS, BENCH_LATENCY_MS change the fleet and the latency; BENCH_BASELINE another revision.
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync, symlinkSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type FakeAzure, sampleBootLog, sampleShutdownLog, startFakeAzure} from '../test/fake-azure/index.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const out = join(here, 'out', 'index-cost')
const VMS = Number(process.env.BENCH_VMS ?? 1000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50)
const TARGET = 1.1

export default async function indexCostBench(): Promise<void> {
  rmSync(out, {force: true, recursive: true})
  mkdirSync(out, {recursive: true})
  const baseline = buildBaseline()
  spawnSync(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(repo, 'tsconfig.build.json')], {
    cwd: repo,
    stdio: 'ignore',
  })
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}; baseline ${baseline.revision.slice(0, 12)}`,
  )
  const fake = await startFakeAzure()
  try {
    const fleet = await fake.addVms(
      Array.from({length: VMS}, (_, i) => ({
        name: `vm-${String(i).padStart(4, '0')}`,
        resourceGroup: `rg-fleet-${String(i % 10).padStart(2, '0')}`,
        serialLog: Array.from(
          {length: 12},
          (_, boot) =>
            sampleBootLog({bootNumber: boot + 1, hostname: `vm-${i}`}) + sampleShutdownLog({ending: 'restart'}),
        ).join(''),
        storage: i % 10 === 9 ? ('custom' as const) : ('managed' as const),
      })),
    )
    fake.faults.add({latencyMs: LATENCY_MS, name: 'bench latency'})
    const cli = {baseline: join(baseline.dir, 'bin', 'run.js'), index: join(repo, 'bin', 'run.js')}
    const rows: Array<{label: string; baseline: number; index: number}> = []
    // Each step four times, in the order A B B A (two archives per build), so that a machine getting busier
    // or quieter during the step weighs on both alike.
    const pair = async (label: string) => {
      const b1 = await run(fake, cli.baseline, join(out, 'archive-baseline-1'))
      const n1 = await run(fake, cli.index, join(out, 'archive-index-1'))
      const n2 = await run(fake, cli.index, join(out, 'archive-index-2'))
      const b2 = await run(fake, cli.baseline, join(out, 'archive-baseline-2'))
      const [b, n] = [(b1 + b2) / 2, (n1 + n2) / 2]
      rows.push({baseline: b, index: n, label})
      console.log(
        `${label}: without the index ${b1.toFixed(1)} + ${b2.toFixed(1)} s, with it ${n1.toFixed(1)} + ${n2.toFixed(1)} s (${((n / b - 1) * 100).toFixed(1)}%)`,
      )
    }

    await pair('first run (all new)')
    await pair('second run (nothing changed)')
    await Promise.all(
      fleet
        .filter((_, i) => i % 10 === 3)
        .map((vm, i) =>
          fake.appendLog(
            vm,
            sampleShutdownLog({ending: 'restart'}) + sampleBootLog({bootNumber: 100 + i, hostname: vm.computerName}),
          ),
        ),
    )
    await pair('third run (10% of the logs grew)')

    console.log('')
    console.log('| run (mean of 2 each) | without the index | with it | change |')
    console.log('|---|---|---|---|')
    for (const row of rows)
      console.log(
        `| ${row.label} | ${row.baseline.toFixed(1)} s | ${row.index.toFixed(1)} s | ${((row.index / row.baseline - 1) * 100).toFixed(1)}% |`,
      )
    const total = rows.reduce((sum, r) => sum + r.index, 0) / rows.reduce((sum, r) => sum + r.baseline, 0)
    console.log('')
    console.log(
      `${total <= TARGET ? 'MET    ' : 'MISSED '} all runs together ≤ 10% slower with the index: ${((total - 1) * 100).toFixed(1)}%`,
    )
  } finally {
    await fake.stop()
    rmSync(out, {force: true, recursive: true})
  }
}

/** bootdiag as it was before the index: the revision before the one that added src/store/index/. */
function buildBaseline(): {dir: string; revision: string} {
  const git = (...args: string[]) => spawnSync('git', args, {cwd: repo, encoding: 'utf8'}).stdout.trim()
  const added = git('log', '--diff-filter=A', '--format=%H', '--', 'src/store/index/archive-index.ts')
    .split('\n')
    .at(-1)
  const revision = process.env.BENCH_BASELINE ?? git('rev-parse', `${added}^`)
  if (!revision) throw new Error('no baseline revision found (set BENCH_BASELINE)')
  const dir = join(out, 'baseline')
  mkdirSync(dir, {recursive: true})
  const archive = spawnSync(
    'git',
    ['archive', revision, 'src', 'bin', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'oclif.manifest.json'],
    {cwd: repo, maxBuffer: 256 * 1024 * 1024},
  )
  spawnSync('tar', ['-x', '-C', dir], {input: archive.stdout})
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'))
  spawnSync(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.build.json')], {
    cwd: dir,
    stdio: 'ignore',
  })
  if (!existsSync(join(dir, 'dist', 'commands', 'archive.js')))
    throw new Error(`could not build the baseline ${revision}`)
  return {dir, revision}
}

async function run(fake: FakeAzure, cli: string, archive: string): Promise<number> {
  const started = process.hrtime.bigint()
  const code = await new Promise<number | null>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, 'archive', '-o', 'none'], {
      env: {
        ...process.env,
        ...fake.env(),
        AZURE_CONFIG_DIR: join(out, '.az'),
        BOOTDIAG_ARCHIVE: archive,
        NODE_OPTIONS: '--disable-warning=UNDICI-EHPA',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    child.on('error', reject)
    child.on('close', resolvePromise)
  })
  // 5: some VMs failed (said on stderr), the others were archived
  if (code !== 0 && code !== 5) throw new Error(`${cli} archive exited ${code}`)
  return Number(process.hrtime.bigint() - started) / 1e9
}
