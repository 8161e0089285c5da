/**
 * The screen reader: time per screenshot.
 *
 * 1. Console screens (target <= 50 ms each): decode, layout, the font-matching console reader and the
 *    classification of the console's text. A console screen is one the reader reads without OCR: each
 *    screen is read once first with an OCR engine that only records that it was asked; the screens that
 *    asked are graphical.
 * 2. Graphical screens (target <= 1.5 s each, the OCR engine's start counted once per process): the
 *    engine is started once, then every graphical screen is read; reports the start, the mean and the
 *    worst per screenshot, and (start + all) / count.
 * Screens: the project's rendered and lab screens, and ../shared/screens when present (read in place).
 * BENCH_ROUNDS (default 3) rounds of each set; the figures are per screenshot over all rounds.
 */
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {defaultConsoleReader} from '../src/screen/console-reader.js'
import {createOcrEngine, decodeImage, readScreen} from '../src/screen/index.js'
import {analyzeLayout} from '../src/screen/layout.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const TARGETS = {consoleMs: 50, graphicalMs: 1500}

interface Sample {
  name: string
  bytes: Buffer
}

function samples(): Sample[] {
  const out: Sample[] = []
  const screens = join(repo, 'test', 'fixtures', 'screens')
  const shared = join(repo, '..', 'shared', 'screens')
  const dirs = [join(screens, 'rendered'), shared, join(shared, 'azure-raw')]
  for (const dir of dirs) {
    if (!existsSync(join(dir, 'labels.json'))) continue
    const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Array<{file: string}>
    for (const label of labels) out.push({bytes: readFileSync(join(dir, label.file)), name: label.file})
  }

  // the lab's screens: one sidecar (<name>.json) per 640x480 screen
  const lab = join(screens, 'lab')
  for (const file of readdirSync(lab)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const png = file.replace(/\.json$/, '.png')
    if (existsSync(join(lab, png))) out.push({bytes: readFileSync(join(lab, png)), name: `lab/${png}`})
  }

  return out.filter((sample) => !analyzeLayout(decodeImage(sample.bytes)).blank)
}

/** Console screens are those the console reader reads without asking for OCR; the others are graphical. */
async function split(all: Sample[]): Promise<{console: Sample[]; graphical: Sample[]}> {
  const out = {console: [] as Sample[], graphical: [] as Sample[]}
  for (const sample of all) {
    let asked = false
    await readScreen(sample.bytes, {
      console: defaultConsoleReader,
      ocr: {
        recognize: () => {
          asked = true
          return Promise.reject(new Error('not a console screen'))
        },
        terminate: async () => {},
      },
    }).catch(() => undefined)
    ;(asked ? out.graphical : out.console).push(sample)
  }

  return out
}

export default async function screenBench(): Promise<void> {
  const {console: consoleScreens, graphical} = await split(samples())

  // 1. console screens
  const consoleTimes: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    for (const sample of consoleScreens) {
      const started = performance.now()
      await readScreen(sample.bytes, {
        console: defaultConsoleReader,
        ocr: {
          recognize: () => Promise.reject(new Error('a console screen must not need OCR')),
          terminate: async () => {},
        },
      })
      consoleTimes.push(performance.now() - started)
    }
  }

  // 2. graphical screens
  const startedEngine = performance.now()
  const engine = await createOcrEngine()
  const engineMs = performance.now() - startedEngine
  const graphicalTimes: number[] = []
  const worst = {ms: 0, name: ''}
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const sample of graphical) {
        const started = performance.now()
        await readScreen(sample.bytes, {console: null, ocr: engine})
        const ms = performance.now() - started
        graphicalTimes.push(ms)
        if (ms > worst.ms) Object.assign(worst, {ms, name: sample.name})
      }
    }
  } finally {
    await engine.terminate()
  }

  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length)
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
  const perProcess =
    (engineMs + graphicalTimes.reduce((sum, value) => sum + value, 0)) / Math.max(1, graphicalTimes.length)
  console.log(`screens: ${consoleScreens.length} console, ${graphical.length} graphical; ${ROUNDS} rounds`)
  console.table([
    {
      'mean ms': mean(consoleTimes).toFixed(1),
      'median ms': median(consoleTimes).toFixed(1),
      'worst ms': Math.max(...consoleTimes).toFixed(1),
      what: 'console screens (font-matching console reader)',
    },
    {
      'mean ms': mean(graphicalTimes).toFixed(0),
      'median ms': median(graphicalTimes).toFixed(0),
      'worst ms': `${worst.ms.toFixed(0)} (${worst.name})`,
      what: 'graphical screens (OCR)',
    },
    {'mean ms': engineMs.toFixed(0), 'median ms': '', 'worst ms': '', what: 'OCR engine start (once per process)'},
    {
      'mean ms': perProcess.toFixed(0),
      'median ms': '',
      'worst ms': '',
      what: 'graphical, engine start spread over the screens',
    },
  ])
  const consoleOk = mean(consoleTimes) <= TARGETS.consoleMs
  const graphicalOk = perProcess <= TARGETS.graphicalMs
  console.log(
    `targets: console <= ${TARGETS.consoleMs} ms: ${consoleOk ? 'met' : 'MISSED'}; graphical <= ${TARGETS.graphicalMs} ms with the engine start: ${graphicalOk ? 'met' : 'MISSED'}`,
  )
}
