/**
 * The analyser on a large serial log, against grep.
 *
 * 1. Builds src/analysis with tsc into bench/out/build (the built code, not tsx).
 * 2. Writes a log of at least BENCH_MB megabytes (default 256) into bench/out by repeating real logs:
 *    the shared corpus' qemu-* logs (the project may copy those; never the public-* ones) and the boot
 *    lab's logs in test/corpus/lab when present.
 * 3. Analyses it in a child process (so the peak RSS is the analyser's), streaming the file.
 * 4. Times `grep -E -c` with a comparable set of patterns on the same file: the catalogue's anchors,
 *    the literals the analyser itself scans for (and, for reference, `grep -F` with the same literals).
 * Prints MB/s, peak RSS and the ratios to grep; targets: >= 150 MB/s, <= 2x grep -E, <= 150 MB RSS.
 */
import {spawnSync} from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const out = join(here, 'out')
const SIZE_MB = Number(process.env.BENCH_MB ?? 256)
const TARGETS = {mbPerSecond: 150, grepRatio: 2, rssMb: 150}

export default async function analyzeBench(): Promise<void> {
  mkdirSync(out, {recursive: true})
  buildAnalyser()
  const logFile = writeBigLog()
  const bytes = statSync(logFile).size
  const mb = bytes / 1e6
  console.log(`log: ${logFile} (${mb.toFixed(1)} MB)`)

  const analysis = runAnalysis(logFile)
  const anchorsFile = writeAnchorPatterns()
  const grepE = timeGrep(['-E', '-c', '-f', anchorsFile.extended, logFile])
  const grepF = timeGrep(['-F', '-c', '-f', anchorsFile.fixed, logFile])

  const mbPerSecond = mb / analysis.seconds
  const ratio = analysis.seconds / grepE.seconds
  const rows = [
    [
      'analyser (built, streaming)',
      `${analysis.seconds.toFixed(2)} s`,
      `${mbPerSecond.toFixed(0)} MB/s`,
      `peak RSS ${analysis.rssMb.toFixed(0)} MB`,
      `${analysis.lines} lines, ${analysis.sessions} sessions kept, verdict ${analysis.outcome}`,
    ],
    [
      `grep -E -c (${anchorsFile.count} anchors)`,
      `${grepE.seconds.toFixed(2)} s`,
      `${(mb / grepE.seconds).toFixed(0)} MB/s`,
      '',
      `${grepE.output} matching lines`,
    ],
    [
      `grep -F -c (same literals)`,
      `${grepF.seconds.toFixed(2)} s`,
      `${(mb / grepF.seconds).toFixed(0)} MB/s`,
      '',
      `${grepF.output} matching lines`,
    ],
  ]
  for (const row of rows)
    console.log(
      row
        .map((cell, index) => (index === 0 ? cell.padEnd(34) : cell.padEnd(16)))
        .join(' ')
        .trimEnd(),
    )
  console.log(
    `analyser / grep -E: ${ratio.toFixed(2)}x; analyser / grep -F: ${(analysis.seconds / grepF.seconds).toFixed(2)}x; analyser CPU time ${analysis.cpuSeconds.toFixed(2)} s`,
  )
  const verdicts = [
    [`>= ${TARGETS.mbPerSecond} MB/s`, mbPerSecond >= TARGETS.mbPerSecond],
    [`<= ${TARGETS.grepRatio}x grep -E`, ratio <= TARGETS.grepRatio],
    [`peak RSS <= ${TARGETS.rssMb} MB`, analysis.rssMb <= TARGETS.rssMb],
  ] as const
  console.log(`targets: ${verdicts.map(([target, met]) => `${target} ${met ? 'met' : 'MISSED'}`).join('; ')}`)
}

function buildAnalyser(): void {
  const tsconfig = join(out, 'tsconfig.bench.json')
  writeFileSync(
    tsconfig,
    JSON.stringify(
      {
        extends: '../../tsconfig.json',
        compilerOptions: {
          rootDir: '../../src',
          outDir: 'build',
          declaration: false,
          sourceMap: false,
          noEmit: false,
          incremental: false,
        },
        include: ['../../src/analysis/**/*'],
      },
      null,
      2,
    ),
  )
  const tsc = join(repo, 'node_modules', '.bin', 'tsc')
  const result = spawnSync(tsc, ['-p', tsconfig], {stdio: 'inherit'})
  if (result.status !== 0) throw new Error('tsc failed to build src/analysis for the benchmark')
}

/** The logs repeated into the big one: qemu-* of the shared corpus, and the lab's logs. */
function sourceLogs(): Buffer[] {
  const logs: Buffer[] = []
  const shared = resolve(repo, '..', 'shared', 'corpus')
  if (existsSync(shared)) {
    for (const file of readdirSync(shared).filter((name) => name.startsWith('qemu-') && name.endsWith('.log')))
      logs.push(readFileSync(join(shared, file)))
  }

  const lab = join(repo, 'test', 'corpus', 'lab')
  if (existsSync(lab)) {
    for (const file of readdirSync(lab).filter((name) => name.endsWith('.log')))
      logs.push(readFileSync(join(lab, file)))
  }

  if (logs.length === 0) throw new Error('no corpus logs found to build the benchmark log from')
  return logs
}

function writeBigLog(): string {
  const target = SIZE_MB * 1024 * 1024
  const file = join(out, `serial-${SIZE_MB}MB.log`)
  if (existsSync(file) && statSync(file).size >= target) return file
  const logs = sourceLogs()
  const fd = openSync(file, 'w')
  let written = 0
  try {
    while (written < target) {
      for (const log of logs) {
        writeSync(fd, log)
        written += log.length
      }
    }
  } finally {
    closeSync(fd)
  }

  return file
}

interface AnalysisRun {
  seconds: number
  cpuSeconds: number
  rssMb: number
  lines: number
  sessions: number
  outcome: string
}

function runAnalysis(logFile: string): AnalysisRun {
  const child = join(out, 'analyze-child.mjs')
  writeFileSync(
    child,
    `
import {createReadStream} from 'node:fs'
import {analyze} from './build/analysis/index.js'
const file = process.argv[2]
const cpu = process.cpuUsage()
const started = process.hrtime.bigint()
const report = await analyze(createReadStream(file, {highWaterMark: 1 << 20}), {source: file})
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const used = process.cpuUsage(cpu)
console.log(JSON.stringify({seconds, cpuSeconds: (used.user + used.system) / 1e6, rssMb: process.resourceUsage().maxRSS / 1024, lines: report.lines, sessions: report.sessions.length, outcome: report.verdict.outcome}))
`,
  )
  const result = spawnSync(process.execPath, [child, logFile], {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`analysis failed: ${result.stderr}`)
  return JSON.parse(result.stdout) as AnalysisRun
}

/** The catalogue's anchors, for grep -E (escaped) and grep -F, read from the built analyser. */
function writeAnchorPatterns(): {extended: string; fixed: string; count: number} {
  const script = join(out, 'anchors-child.mjs')
  writeFileSync(
    script,
    `
import {RULES, STAGE_MARKERS} from './build/analysis/index.js'
const anchors = [...new Set([...RULES, ...STAGE_MARKERS].flatMap((record) => record.anchors))]
console.log(JSON.stringify(anchors))
`,
  )
  const result = spawnSync(process.execPath, [script], {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`reading the anchors failed: ${result.stderr}`)
  const anchors = JSON.parse(result.stdout) as string[]
  const extended = join(out, 'anchors.ere')
  const fixed = join(out, 'anchors.txt')
  writeFileSync(extended, anchors.map((anchor) => anchor.replaceAll(/[.[\]()*+?{}|^$\\]/g, '\\$&')).join('\n') + '\n')
  writeFileSync(fixed, anchors.join('\n') + '\n')
  return {extended, fixed, count: anchors.length}
}

function timeGrep(args: string[]): {seconds: number; output: string} {
  const started = process.hrtime.bigint()
  const result = spawnSync('grep', args, {encoding: 'utf8', env: {...process.env, LC_ALL: 'C'}})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (result.status !== 0 && result.status !== 1) throw new Error(`grep failed: ${result.stderr}`)
  return {seconds, output: result.stdout.trim()}
}
