/**
 * 100,000 generated and mangled inputs (analysis-worker.ts: random bytes, damaged windows of real logs, real
 * lines out of order, and now and then half a megabyte): the analyser never throws, every report keeps its
 * invariants, and no input takes long. Deterministic: a fixed seed, and each input made from the seed and
 * its index alone, so a failing one is named by its index and can be made again (`makeInput(seed, i)`).
 *
 * The time bounds are a safety net, not a speed test: no input may take a second, and an input that has
 * not finished after 20 s is a hang — the worker thread running the inputs is stopped and the test fails
 * naming it, instead of the suite hanging. The figures (inputs, bytes, total time, the slowest input) are
 * printed; `FUZZ_TOTAL` changes the count for a longer or shorter run.
 */
import {Worker} from 'node:worker_threads'

import {expect} from 'chai'

import {type FuzzJob, type FuzzResult, analyseInput, makeInput} from './analysis-worker.js'

/** The input's best time of three runs, in milliseconds. */
function bestOfThree(input: {bytes: Buffer; chunk: number}): number {
  let best = Infinity
  for (let run = 0; run < 3; run++) {
    const started = performance.now()
    analyseInput(input)
    best = Math.min(best, performance.now() - started)
  }

  return best
}

const SEED = 20_261_125
const TOTAL = Number(process.env.FUZZ_TOTAL ?? 100_000)
/** the safety bound per input (the analyser reads about 20 MB/s; the largest input is 512 KiB) */
const MAX_MS_PER_INPUT = 1000
/** an input still running after this long is taken for a hang */
const HANG_MS = 20_000

describe('analysis: 100,000 fuzzed inputs (fixed seed)', () => {
  it(`${TOTAL.toLocaleString('en')} generated and mangled inputs: no crash, every report sane, none slow`, async function () {
    this.timeout(15 * 60_000)
    // Given the inputs, analysed in a worker thread that says which one it is on
    const progress = new SharedArrayBuffer(4)
    const job: FuzzJob = {count: TOTAL, progress, seed: SEED}
    const worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), {workerData: job})

    // When they have all been analysed (or one hangs: the worker is stopped)
    const result = await new Promise<FuzzResult | {hung: number}>((resolve, reject) => {
      const current = new Int32Array(progress)
      let seen = -1
      let since = performance.now()
      const watchdog = setInterval(() => {
        const index = Atomics.load(current, 0)
        if (index !== seen) {
          seen = index
          since = performance.now()
        } else if (performance.now() - since > HANG_MS) {
          clearInterval(watchdog)
          void worker.terminate().then(() => resolve({hung: index}))
        }
      }, 250)
      worker.once('message', (message: FuzzResult) => {
        clearInterval(watchdog)
        resolve(message)
      })
      worker.once('error', (error) => {
        clearInterval(watchdog)
        reject(error)
      })
    })
    await worker.terminate()

    // Then none hung, none failed, and none came near the bound
    if ('hung' in result) {
      const input = makeInput(SEED, result.hung)
      expect.fail(
        `input ${result.hung} (${input.kind}, ${input.bytes.length} bytes, chunks of ${input.chunk}) did not finish in ${HANG_MS / 1000} s: the analyser hangs on it (makeInput(${SEED}, ${result.hung}))`,
      )
    }

    if (!result.ok)
      expect.fail(
        `input ${result.failed.index} (${result.failed.kind}, ${result.failed.bytes} bytes; makeInput(${SEED}, ${result.failed.index})): ${result.error}`,
      )
    expect(result.count).to.equal(TOTAL)
    // A machine busy with other work can stretch one input past the bound: time the slowest again, alone,
    // and judge by its best of three (a real pathology is slow every time).
    const slowestMs =
      result.slowest.ms < MAX_MS_PER_INPUT ? result.slowest.ms : bestOfThree(makeInput(SEED, result.slowest.index))
    expect(
      slowestMs,
      `slowest: input ${result.slowest.index} (${result.slowest.kind}, ${result.slowest.bytes} bytes)`,
    ).to.be.below(MAX_MS_PER_INPUT)
    const kinds = Object.entries(result.byKind)
      .map(([kind, count]) => `${count} ${kind}`)
      .join(', ')
    process.stderr.write(
      `      (fuzz: ${result.count} inputs (${kinds}), ${(result.totalBytes / 1e6).toFixed(1)} MB in ${(result.totalMs / 1000).toFixed(1)} s; slowest: input ${result.slowest.index}, ${result.slowest.kind}, ${result.slowest.bytes} bytes, ${result.slowest.ms.toFixed(1)} ms)\n`,
    )
  })
})
