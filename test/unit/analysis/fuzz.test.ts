/**
 * Fuzzing with a fixed seed: random bytes and mangled real logs must never crash the analyser and never
 * hang it, and every report must keep its invariants. The count is bounded here; the same generator
 * drives a longer stress run (FUZZ_COUNT=100000).
 */
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {analyzeBytes, expectSaneReport, HEALTHY_BOOT, log, REBOOT} from './support.js'
import {seededRandom} from '../../helpers/random.js'

const here = dirname(fileURLToPath(import.meta.url))
const FIXTURES = resolve(here, '..', '..', 'fixtures', 'rules')
const SHARED_CORPUS = resolve(here, '..', '..', '..', '..', 'shared', 'corpus')
const COUNT = Number(process.env.FUZZ_COUNT ?? 300)

/** Bytes that make console text hard: ESC, CR, NUL, newlines, brackets, UTF-8 lead bytes. */
const NASTY = [0x1b, 0x0d, 0x00, 0x0a, 0x5b, 0x5d, 0xc2, 0x85, 0xe2, 0x80, 0xa6, 0xff, 0x20, 0x09]

function seedLogs(): Buffer[] {
  const logs = [Buffer.from(log(...HEALTHY_BOOT, ...REBOOT, ...HEALTHY_BOOT))]
  for (const name of readdirSync(FIXTURES).slice(0, 40)) logs.push(readFileSync(join(FIXTURES, name)))
  if (existsSync(SHARED_CORPUS)) {
    for (const name of readdirSync(SHARED_CORPUS).filter((file) => file.endsWith('.log')))
      logs.push(readFileSync(join(SHARED_CORPUS, name)))
  }

  return logs
}

function randomBytes(next: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length)
  for (let index = 0; index < length; index++)
    bytes[index] = next() < 0.3 ? NASTY[Math.floor(next() * NASTY.length)] : Math.floor(next() * 256)
  return bytes
}

/** A real log, damaged: flipped bytes, cut, spliced with another, NUL runs, a very long line, repeats. */
function mangle(next: () => number, base: Buffer, other: Buffer): Buffer {
  let bytes = Buffer.from(base)
  const pick = Math.floor(next() * 6)
  if (pick === 0) {
    for (let flips = Math.floor(next() * 50); flips > 0; flips--)
      bytes[Math.floor(next() * bytes.length)] = NASTY[Math.floor(next() * NASTY.length)]
  } else if (pick === 1) {
    bytes = bytes.subarray(
      Math.floor((next() * bytes.length) / 2),
      Math.floor(bytes.length / 2 + (next() * bytes.length) / 2),
    )
  } else if (pick === 2) {
    const cut = Math.floor(next() * bytes.length)
    bytes = Buffer.concat([
      bytes.subarray(0, cut),
      other.subarray(Math.floor(next() * other.length)),
      bytes.subarray(cut),
    ])
  } else if (pick === 3) {
    const at = Math.floor(next() * bytes.length)
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.alloc(Math.floor(next() * 100_000)), bytes.subarray(at)])
  } else if (pick === 4) {
    const at = Math.floor(next() * bytes.length)
    bytes = Buffer.concat([
      bytes.subarray(0, at),
      Buffer.alloc(70_000 + Math.floor(next() * 200_000), 'Kernel panic - not syncing: '),
      bytes.subarray(at),
    ])
  } else {
    bytes = Buffer.concat([bytes, bytes, other])
  }

  return bytes
}

describe('analysis: fuzz (fixed seed)', () => {
  const logs = seedLogs()

  it(`random bytes never crash or hang the analyser (${COUNT} inputs)`, async function () {
    this.timeout(Math.max(60_000, COUNT * 50))
    const next = seededRandom(20_261_125)
    for (let index = 0; index < COUNT; index++) {
      const input = randomBytes(next, Math.floor(next() * 16_384))
      const chunk = 1 + Math.floor(next() * 4096)
      expectSaneReport(await analyzeBytes(input, chunk))
    }
  })

  it(`mangled real logs never crash or hang the analyser (${COUNT} inputs)`, async function () {
    this.timeout(Math.max(60_000, COUNT * 100))
    const next = seededRandom(42)
    for (let index = 0; index < COUNT; index++) {
      const base = logs[Math.floor(next() * logs.length)]
      const other = logs[Math.floor(next() * logs.length)]
      const chunk = 1 + Math.floor(next() * 65_536)
      expectSaneReport(await analyzeBytes(mangle(next, base, other), chunk))
    }
  })
})
