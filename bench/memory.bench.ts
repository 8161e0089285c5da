/**
 * The archive's memory (issue 11): `report` from the index and `search` over the archived logs, the built
 * CLI run as a user runs it (wall time and peak RSS from /usr/bin/time).
 *
 *   1. report over a synthetic index of 10,000 VMs × 30 snapshots (BENCH_VMS, BENCH_SNAPSHOTS): one index
 *      file (an unsharded archive), then ten (ten shard workers). Targets: ≤ 2 s, ≤ 200 MB RSS.
 *   2. search over ≥ 1 GB of archived serial logs (BENCH_SEARCH_MB): each VM's log is archived three
 *      times — new, grown (it continues the first: only the new half is read), replaced — from real logs
 *      (the shared corpus' qemu-* logs and the boot lab's, as the analyze bench uses them). Target:
 *      ≥ 200 MB/s over the bytes searched.
 *
 * Everything is written under bench/out/memory-bench (removed after). The archive run's cost of the
 * index is measured by bench/index-cost.bench.ts.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {IndexDatabase} from '../src/store/index/database.js'
import {type SnapshotRecord} from '../src/store/index/records.js'
import {LocalArchiveStore} from '../src/store/local-store.js'
import {commitSnapshot} from '../test/helpers/snapshots.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const out = join(here, 'out', 'memory-bench')
const VMS = Number(process.env.BENCH_VMS ?? 10_000)
const SNAPSHOTS = Number(process.env.BENCH_SNAPSHOTS ?? 30)
const SEARCH_MB = Number(process.env.BENCH_SEARCH_MB ?? 1024)
const TARGETS = {reportSeconds: 2, reportRssMb: 200, searchMBps: 200}

interface Timed {
  seconds: number
  /** user + system CPU seconds (on a busy machine wall time waits for a core; this does not) */
  cpu: number
  rssMb: number
  exitCode: number | null
  stdout: string
  stderr: string
}

export default async function memoryBench(): Promise<void> {
  buildCli()
  rmSync(out, {force: true, recursive: true})
  mkdirSync(out, {recursive: true})
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  )
  try {
    const verdicts: Array<[string, boolean, string]> = []
    for (const shards of [1, 10]) {
      const archive = join(out, `report-${shards}`)
      const started = Date.now()
      buildIndex(archive, shards)
      console.log(
        `index: ${VMS.toLocaleString('en-US')} VMs × ${SNAPSHOTS} snapshots in ${shards} file${shards > 1 ? 's' : ''}, built in ${((Date.now() - started) / 1000).toFixed(1)} s (${mb(sizeOf(join(archive, '.bootdiag-index')))} MB)`,
      )
      const runs = [0, 1, 2].map(() => timed(['report', '-o', 'json'], archive))
      const report = JSON.parse(runs[0].stdout) as {vms: unknown[]; groups: unknown[]}
      const median = [...runs].sort((a, b) => a.seconds - b.seconds)[1]
      console.log(
        `report (${shards} index file${shards > 1 ? 's' : ''}): ${runs.map((r) => `${r.seconds.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s) / ${r.rssMb} MB`).join(', ')}; ${report.vms.length} VMs, ${report.groups.length} signature groups`,
      )
      const table = timed(['report', '-o', 'table', '--outcome', 'failure'], archive)
      console.log(
        `report -o table --outcome failure: ${table.seconds.toFixed(2)} s (CPU ${table.cpu.toFixed(2)} s) / ${table.rssMb} MB`,
      )
      verdicts.push(
        [
          `report, ${shards} index file(s): ≤ ${TARGETS.reportSeconds} s`,
          median.seconds <= TARGETS.reportSeconds,
          `${median.seconds.toFixed(2)} s`,
        ],
        [
          `report, ${shards} index file(s): ≤ ${TARGETS.reportRssMb} MB`,
          median.rssMb <= TARGETS.reportRssMb,
          `${median.rssMb} MB`,
        ],
      )
      rmSync(archive, {force: true, recursive: true})
    }

    const search = join(out, 'search')
    const {archived, searched} = await buildLogArchive(search)
    console.log(
      `search archive: ${mb(archived)} MB of serial logs archived, ${mb(searched)} MB to search (the grown logs' shared half is not read again)`,
    )
    for (const args of [
      ['Kernel panic - not syncing'],
      ['-i', 'kernel panic - NOT syncing'],
      ['-E', 'Unable to mount root fs on unknown-block\\(\\d+,\\d+\\)'],
    ]) {
      const runs = [0, 1].map(() => timed(['search', ...args, '-o', 'json'], search))
      const best = runs.sort((a, b) => a.seconds - b.seconds)[0]
      const matches = (JSON.parse(best.stdout) as unknown[]).length
      const rate = searched / 1e6 / best.seconds
      console.log(
        `search ${args.join(' ')}: ${runs.map((r) => `${r.seconds.toFixed(2)} s (CPU ${r.cpu.toFixed(2)} s)`).join(', ')}; ${matches} matches; ${rate.toFixed(0)} MB/s searched (${(archived / 1e6 / best.seconds).toFixed(0)} MB/s of archive), peak RSS ${best.rssMb} MB`,
      )
      verdicts.push([
        `search ${args.join(' ')}: ≥ ${TARGETS.searchMBps} MB/s`,
        rate >= TARGETS.searchMBps,
        `${rate.toFixed(0)} MB/s`,
      ])
    }

    console.log('')
    for (const [what, ok, value] of verdicts) console.log(`${ok ? 'MET    ' : 'MISSED '} ${what}: ${value}`)
  } finally {
    rmSync(out, {force: true, recursive: true})
  }
}

const OUTCOMES = [
  'booted',
  'booted',
  'booted',
  'booted',
  'booted',
  'booted',
  'kernel-panic',
  'initramfs-failure',
  'emergency-mode',
  'boot-stuck',
]
const SIGNATURES: Record<string, string[]> = {
  'boot-stuck': ['boot-stuck in systemd-services'],
  'emergency-mode': [
    'emergency-mode: Dependency failed for /data.',
    'emergency-mode: Timed out waiting for device /dev/disk/by-uuid/….',
  ],
  'initramfs-failure': ['initramfs-failure: ALERT! UUID=… does not exist. Dropping to a shell!'],
  'kernel-panic': [
    'kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
    'kernel-panic: Kernel panic - not syncing: Attempted to kill init! exitcode=0x…',
  ],
}

/** The index of a synthetic fleet, as the writers' fold makes it (records, then per-VM summaries). */
export function buildIndex(archive: string, shards: number): void {
  const folder = join(archive, '.bootdiag-index')
  mkdirSync(folder, {recursive: true})
  const dbs = Array.from({length: shards}, (_, i) =>
    IndexDatabase.open(join(folder, shards === 1 ? 'archive.sqlite' : `shard-${i}-of-${shards}.sqlite`), {
      create: true,
    }),
  )
  const start = Date.UTC(2026, 10, 1)
  const BATCH = 250
  for (let first = 0; first < VMS; first += BATCH) {
    const perDb = dbs.map(() => [] as SnapshotRecord[])
    for (let v = first; v < Math.min(VMS, first + BATCH); v++) {
      const sub = `0b1f6471-1bf0-4dda-aec3-${String(v % 4).padStart(12, '0')}`
      const group = `rg-fleet-${String(v % 50).padStart(2, '0')}`
      const name = `vm-${String(v).padStart(5, '0')}`
      let bytes = 20_000
      for (let s = 0; s < SNAPSHOTS; s++) {
        const takenAt = new Date(start + s * 3_600_000 + v * 1000)
        const stamp = takenAt
          .toISOString()
          .replace(/\.\d+Z$/, 'Z')
          .replaceAll(/[-:]/g, '')
        const outcome = s < SNAPSHOTS - 3 ? 'booted' : OUTCOMES[(v + s) % OUTCOMES.length]
        const signatures = SIGNATURES[outcome]
        const previous = bytes
        bytes += 3000
        perDb[v % shards].push({
          bytes: bytes + 60_000,
          instanceId: null,
          lastStage: outcome === 'booted' ? 'login-prompt' : 'initramfs',
          log: {
            bytes,
            carriedFrom: null,
            continues: s > 0 ? {bytes: previous, snapshot: '(previous)'} : null,
            sha256: `${String(v).padStart(32, '0')}${String(s).padStart(32, '0')}`,
          },
          name: stamp,
          outcome,
          png: {bytes: 20_000, sha256: `${String(v).padStart(40, '0')}${String(s % 3).padStart(24, '0')}`},
          reason: s === 0 ? 'manual' : 'archive',
          resourceGroup: group.toUpperCase(),
          resourceId: `/subscriptions/${sub}/resourceGroups/${group.toUpperCase()}/providers/Microsoft.Compute/virtualMachines/${name}`,
          screen: null,
          screenshot: {bytes: 921_654, sha256: `${String(v).padStart(40, '1')}${String(s % 3).padStart(24, '0')}`},
          signature: signatures ? signatures[v % signatures.length] : null,
          subscriptionId: sub,
          summary:
            outcome === 'booted'
              ? `booted: reached login-prompt (line ${1000 + s})`
              : `${outcome}: ${signatures?.[0] ?? ''} (line ${1200 + s})`,
          takenAt: takenAt.toISOString(),
          vmId: null,
          vmKey: `${sub}/${group}/${name}`,
          vmName: name,
          vmss: null,
        })
      }
    }

    perDb.forEach((records, i) =>
      dbs[i].transaction(() => {
        dbs[i].putRecords(records, new Date().toISOString())
        dbs[i].refreshSummaries(records.map((r) => r.vmKey))
      }),
    )
  }

  for (const db of dbs) {
    db.transaction(() => db.vouch(new Date(start).toISOString()))
    db.close()
  }
}

/** Real serial logs to repeat: the shared corpus' qemu-* logs and the boot lab's logs. */
function realLogs(): Buffer[] {
  const shared = join(repo, '..', 'shared', 'corpus')
  const lab = join(repo, 'test', 'corpus', 'lab')
  const logs = [
    ...(existsSync(shared)
      ? readdirSync(shared)
          .filter((f) => f.startsWith('qemu-'))
          .map((f) => join(shared, f))
      : []),
    ...(existsSync(lab)
      ? readdirSync(lab)
          .filter((f) => f.endsWith('.log'))
          .map((f) => join(lab, f))
      : []),
  ].map((path) => readFileSync(path))
  if (logs.length === 0) throw new Error('no real logs found (../shared/corpus or test/corpus/lab)')
  return logs
}

/** VMs whose log is archived new, then grown (continuing it), then replaced: ≥ SEARCH_MB to search. */
async function buildLogArchive(archive: string): Promise<{archived: number; searched: number}> {
  const logs = realLogs()
  const piece = Buffer.concat(Array.from({length: 40}, (_, i) => logs[i % logs.length]))
  const half = Buffer.concat([piece, piece.subarray(0, Math.max(0, 1_800_000 - piece.length))]).subarray(0, 1_800_000)
  const perVm = half.length * 3
  const count = Math.ceil((SEARCH_MB * 1e6) / perVm)
  const store = new LocalArchiveStore(archive)
  const lock = await store.lock({})
  let archived = 0
  let searched = 0
  try {
    for (let v = 0; v < count; v++) {
      const vm = {
        name: `vm-${String(v).padStart(4, '0')}`,
        resourceGroup: 'rg-search',
        subscriptionId: '0b1f6471-1bf0-4dda-aec3-000000000001',
      }
      const first = Buffer.concat([Buffer.from(`vm ${v} boot 1\n`), half])
      const grown = Buffer.concat([first, Buffer.from(`vm ${v} boot 2\n`), half])
      const replaced = Buffer.concat([Buffer.from(`vm ${v} boot 3\n`), half])
      const a = await commitSnapshot(store, vm, {log: first, takenAt: new Date(Date.UTC(2026, 10, 1, 0, 0, v))})
      await commitSnapshot(store, vm, {
        continues: {bytes: first.length, snapshot: a.name},
        log: grown,
        takenAt: new Date(Date.UTC(2026, 10, 2, 0, 0, v)),
      })
      await commitSnapshot(store, vm, {log: replaced, takenAt: new Date(Date.UTC(2026, 10, 3, 0, 0, v))})
      archived += first.length + grown.length + replaced.length
      searched += first.length + (grown.length - first.length) + replaced.length
    }
  } finally {
    await lock.release()
  }

  return {archived, searched}
}

function timed(args: string[], archive: string): Timed {
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %M %U %S', process.execPath, join(repo, 'bin', 'run.js'), ...args],
    {
      cwd: repo,
      encoding: 'utf8',
      env: {...process.env, BOOTDIAG_ARCHIVE: archive, NO_COLOR: '1'},
      maxBuffer: 1024 * 1024 * 1024,
    },
  )
  const last = run.stderr.trimEnd().split('\n').at(-1) ?? ''
  const [seconds, kb, user, system] = last.split(' ').map(Number)
  if (run.status !== 0) process.stderr.write(run.stderr)
  return {
    cpu: user + system,
    exitCode: run.status,
    rssMb: Math.round(kb / 1024),
    seconds,
    stderr: run.stderr,
    stdout: run.stdout,
  }
}

function buildCli(): void {
  spawnSync(join(repo, 'node_modules', '.bin', 'tsc'), ['-p', join(repo, 'tsconfig.build.json')], {
    cwd: repo,
    stdio: 'ignore',
  })
  if (!existsSync(join(repo, 'dist', 'commands', 'report.js'))) throw new Error('dist/ is missing: run npm run build')
}

function sizeOf(folder: string): number {
  return readdirSync(folder, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + readFileSync(join(entry.parentPath, entry.name)).length, 0)
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1)
}
