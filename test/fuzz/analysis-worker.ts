/**
 * The 100,000-input fuzz run (analysis-100k.test.ts), in a worker thread so that a hang — a loop that never
 * ends blocks its thread — can be caught and named by the main thread instead of stalling the suite.
 *
 * Input i is made from its own seed (the run's seed and i), so any one input can be made again alone:
 * `makeInput(seed, i)`. Kinds, each fed to the analyser in chunks of a random size (1 byte to 16 KiB):
 * - random: bytes, a third of them the ones console text finds hard (ESC, CR, NUL, UTF-8 lead bytes, …);
 * - mangled: a window of a real log (the rule fixtures, the QEMU lab's logs, the samples), damaged 1 to 3
 *   times — bytes flipped, ranges cut, repeated or spliced from another log, NUL runs, escape sequences,
 *   line ends swapped, a long line (up to 16 KiB);
 * - assembled: real lines in a random order (stage markers and failures out of sequence, boots inside
 *   shutdowns), some with garbled kernel timestamps;
 * - large (one in 2,000): a real log repeated and damaged up to 512 KiB.
 *
 * The worker writes the index of the input it is on into shared memory before each one, and posts the
 * figures (count, time, the slowest input) or the first failure at the end.
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parentPort, workerData} from 'node:worker_threads'

import {Analyzer} from '../../src/analysis/index.js'
import {seededRandom} from '../helpers/random.js'
import {expectSaneReport} from '../unit/analysis/support.js'

export interface FuzzJob {
  seed: number
  count: number
  /** Int32Array over a SharedArrayBuffer: [0] = the input being analysed */
  progress: SharedArrayBuffer
}

export interface FuzzInputInfo {
  index: number
  kind: string
  bytes: number
  ms: number
}

export type FuzzResult =
  | {
      ok: true
      count: number
      totalMs: number
      totalBytes: number
      slowest: FuzzInputInfo
      byKind: Record<string, number>
    }
  | {ok: false; failed: Omit<FuzzInputInfo, 'ms'>; error: string}

const here = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(here, '..', '..')

/** Bytes that make console text hard: ESC, CR, NUL, newlines, brackets, UTF-8 lead and continuation bytes. */
const NASTY = [0x1b, 0x0d, 0x00, 0x0a, 0x5b, 0x5d, 0xc2, 0x85, 0xe2, 0x80, 0xa6, 0xff, 0xfe, 0x20, 0x09, 0x08, 0x7f]
const ESCAPES = [
  '\u001B[0;32m',
  '\u001B[0m',
  '\u001B[2J',
  '\u001B[H',
  '\u001B[?25l',
  '\u001B]0;title\u0007',
  '\u001B[1;31m',
  '\u001Bc',
  '\u001B[',
  '\u001B',
]

function logsIn(folder: string): Buffer[] {
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => readFileSync(join(folder, name)))
}

/** The real logs the mangled inputs start from (the same list on every machine: no shared corpus here). */
export function seedLogs(): Buffer[] {
  const logs = [
    ...logsIn(join(ROOT, 'test', 'fixtures', 'rules')),
    ...logsIn(join(ROOT, 'test', 'corpus', 'lab')),
    ...logsIn(join(ROOT, 'samples')),
  ]
  if (logs.length === 0) throw new Error('no seed logs found')
  return logs
}

interface Corpus {
  logs: Buffer[]
  lines: string[]
}

let corpus: Corpus | undefined
function theCorpus(): Corpus {
  if (!corpus) {
    const logs = seedLogs()
    const lines = [
      ...new Set(logs.flatMap((log) => log.toString('latin1').split(/\r?\n/)).filter((line) => line.trim())),
    ]
    corpus = {lines, logs}
  }

  return corpus
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]
const between = (next: () => number, low: number, high: number) => low + Math.floor(next() * (high - low + 1))

function randomBytes(next: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length)
  for (let index = 0; index < length; index++)
    bytes[index] = next() < 0.33 ? pick(next, NASTY) : Math.floor(next() * 256)
  return bytes
}

function windowOf(next: () => number, log: Buffer, most: number): Buffer {
  const length = Math.min(log.length, between(next, 1, most))
  const start = between(next, 0, log.length - length)
  return log.subarray(start, start + length)
}

function mutate(next: () => number, input: Buffer, logs: Buffer[]): Buffer {
  const at = between(next, 0, input.length)
  switch (between(next, 0, 9)) {
    case 0: {
      const out = Buffer.from(input)
      for (let flips = between(next, 1, 40); flips > 0 && out.length > 0; flips--)
        out[Math.floor(next() * out.length)] = pick(next, NASTY)
      return out
    }

    case 1:
      return Buffer.concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + between(next, 1, 2000)))])
    case 2: {
      const piece = input.subarray(at, at + between(next, 1, 2000))
      return Buffer.concat([
        input.subarray(0, at),
        ...Array.from({length: between(next, 2, 20)}, () => piece),
        input.subarray(at),
      ])
    }

    case 3:
      return Buffer.concat([input.subarray(0, at), windowOf(next, pick(next, logs), 4000), input.subarray(at)])
    case 4:
      return Buffer.concat([input.subarray(0, at), Buffer.alloc(between(next, 1, 4096)), input.subarray(at)])
    case 5:
      return Buffer.concat([
        input.subarray(0, at),
        Buffer.from(Array.from({length: between(next, 1, 30)}, () => pick(next, ESCAPES)).join(''), 'latin1'),
        input.subarray(at),
      ])
    case 6: {
      const text = input.toString('latin1')
      const swapped = next() < 0.5 ? text.replaceAll('\n', '\r') : text.replaceAll('\n', '\r\r\n')
      return Buffer.from(swapped, 'latin1')
    }

    case 7: {
      const line = Buffer.alloc(between(next, 1000, 16 * 1024), next() < 0.5 ? 'x' : 'Kernel panic - not syncing: ')
      return Buffer.concat([input.subarray(0, at), line, input.subarray(at)])
    }

    case 8:
      return input.subarray(0, at)
    default:
      return Buffer.concat([input.subarray(at), input.subarray(0, at)])
  }
}

function assembled(next: () => number, lines: string[]): Buffer {
  const out: string[] = []
  for (let count = between(next, 1, 200); count > 0; count--) {
    let line = pick(next, lines)
    const roll = next()
    if (roll < 0.1) line = `[${(next() * 1e6).toFixed(6).padStart(12)}] ${line}`
    else if (roll < 0.15) line = `[ ${'9'.repeat(between(next, 1, 30))}.${between(next, 0, 999_999)}] ${line}`
    else if (roll < 0.18) line = line.slice(0, between(next, 0, line.length))
    out.push(line)
  }

  return Buffer.from(out.join(pick(next, ['\n', '\r\n', '\r', '\n\n'])), 'latin1')
}

/** Input `index` of a run: always the same bytes for the same seed and index. */
export function makeInput(seed: number, index: number): {kind: string; bytes: Buffer; chunk: number} {
  const {lines, logs} = theCorpus()
  const next = seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)
  const chunk = next() < 0.05 ? between(next, 1, 16) : between(next, 17, 16 * 1024)
  if (index % 2000 === 1999) {
    let big: Buffer = Buffer.concat(Array.from({length: between(next, 2, 8)}, () => pick(next, logs)))
    while (big.length < 256 * 1024) big = Buffer.concat([big, pick(next, logs)])
    for (let times = between(next, 1, 3); times > 0; times--) big = mutate(next, big, logs)
    return {bytes: big.subarray(0, 512 * 1024), chunk: Math.max(chunk, 1024), kind: 'large'}
  }

  const roll = next()
  if (roll < 0.35) return {bytes: randomBytes(next, Math.floor(next() * next() * 4096)), chunk, kind: 'random'}
  if (roll < 0.8) {
    let bytes = windowOf(next, pick(next, logs), 6000)
    for (let times = between(next, 1, 3); times > 0; times--) bytes = mutate(next, bytes, logs)
    return {bytes, chunk, kind: 'mangled'}
  }

  return {bytes: assembled(next, lines), chunk, kind: 'assembled'}
}

/** Analyse one input, pushed in chunks, and check the report's invariants. */
export function analyseInput(input: {bytes: Buffer; chunk: number}): void {
  const analyzer = new Analyzer()
  for (let offset = 0; offset < input.bytes.length; offset += input.chunk)
    analyzer.push(input.bytes.subarray(offset, offset + input.chunk))
  expectSaneReport(analyzer.finish('fuzz.log'))
}

function run(job: FuzzJob): FuzzResult {
  const progress = new Int32Array(job.progress)
  const byKind: Record<string, number> = {}
  let slowest: FuzzInputInfo = {bytes: 0, index: -1, kind: '', ms: -1}
  let totalBytes = 0
  const started = performance.now()
  for (let index = 0; index < job.count; index++) {
    Atomics.store(progress, 0, index)
    const input = makeInput(job.seed, index)
    const before = performance.now()
    try {
      analyseInput(input)
    } catch (error) {
      return {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        failed: {bytes: input.bytes.length, index, kind: input.kind},
        ok: false,
      }
    }

    const ms = performance.now() - before
    if (ms > slowest.ms) slowest = {bytes: input.bytes.length, index, kind: input.kind, ms}
    byKind[input.kind] = (byKind[input.kind] ?? 0) + 1
    totalBytes += input.bytes.length
  }

  return {byKind, count: job.count, ok: true, slowest, totalBytes, totalMs: performance.now() - started}
}

if (parentPort && workerData) parentPort.postMessage(run(workerData as FuzzJob))
