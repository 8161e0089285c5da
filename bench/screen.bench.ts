/**
 * The screen reader: time per screenshot.
 *
 * 1. Console screens (target <= 50 ms each): decode, layout, the console reader and classification of
 *    the console's text. Until the font-matching console reader (src/screen/console) lands, its slot is
 *    measured with a stand-in that hands back the text of the screen (so the figure is everything but
 *    the font matching); once it lands, `defaultConsoleReader` is used and the figure is the real one.
 * 2. Graphical screens (target <= 1.5 s each, the OCR engine's start counted once per process): the
 *    engine is started once, then every graphical screen is read; reports the start, the mean and the
 *    worst per screenshot, and (start + all) / count.
 * Screens: the project's rendered screens, and ../shared/screens when present (read in place).
 * BENCH_ROUNDS (default 3) rounds of each set; the figures are per screenshot over all rounds.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {defaultConsoleReader, type ConsoleReader} from '../src/screen/console-reader.js'
import {createOcrEngine, decodeImage, readScreen} from '../src/screen/index.js'
import {analyzeLayout} from '../src/screen/layout.js'

const here = dirname(fileURLToPath(import.meta.url))
const repo = resolve(here, '..')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const TARGETS = {consoleMs: 50, graphicalMs: 1500}

interface Sample {
  name: string
  bytes: Buffer
  /** the text on screen, for the console stand-in */
  text: string[]
}

function samples(): {console: Sample[]; graphical: Sample[]} {
  const out = {console: [] as Sample[], graphical: [] as Sample[]}
  const renderedDir = join(repo, 'test', 'fixtures', 'screens', 'rendered')
  const rendered = JSON.parse(readFileSync(join(renderedDir, 'labels.json'), 'utf8')) as Array<{
    file: string
    text: string[]
  }>
  const shared = join(repo, '..', 'shared', 'screens')
  const sets: Array<{
    dir: string
    labels: Array<{file: string; text?: string[]; transcript?: string[]; transcript_last_lines?: string[]}>
  }> = [{dir: renderedDir, labels: rendered}]
  for (const dir of [shared, join(shared, 'azure-raw')]) {
    if (existsSync(join(dir, 'labels.json')))
      sets.push({dir, labels: JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8'))})
  }

  for (const {dir, labels} of sets) {
    for (const label of labels) {
      const bytes = readFileSync(join(dir, label.file))
      const sample = {
        bytes,
        name: label.file,
        text: label.text ?? label.transcript ?? label.transcript_last_lines ?? [],
      }
      const layout = analyzeLayout(decodeImage(bytes))
      if (layout.blank) continue
      // text consoles: Linux consoles, GRUB, firmware and Boot Manager text screens (grey text on black)
      if (
        layout.console ||
        /^(linux-|uefi-|win-(bootmgr|disk-read|not-bootable|boot-device|boot-menu))/.test(label.file)
      )
        out.console.push(sample)
      else out.graphical.push(sample)
    }
  }

  return out
}

export default async function screenBench(): Promise<void> {
  const {console: consoleScreens, graphical} = samples()

  // 1. console screens
  const standIn =
    (text: string[]): ConsoleReader =>
    () => ({
      background: [0, 0, 0],
      cell: {height: 10, width: 5, x0: 0, y0: 0},
      columns: 128,
      confidence: 1,
      cursor: null,
      font: 'stand-in',
      foreground: [170, 170, 170],
      geometry: 'stand-in',
      lines: text.map((line, row) => ({confidence: 1, row, text: line})),
      rows: 48,
    })
  const consoleTimes: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    for (const sample of consoleScreens) {
      const reader = defaultConsoleReader ?? standIn(sample.text)
      const started = performance.now()
      await readScreen(sample.bytes, {
        console: reader,
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
  const consoleReader = defaultConsoleReader
    ? 'font-matching console reader'
    : 'console reader slot: stand-in (text handed back)'
  console.log(`screens: ${consoleScreens.length} console, ${graphical.length} graphical; ${ROUNDS} rounds`)
  console.table([
    {
      'mean ms': mean(consoleTimes).toFixed(1),
      'median ms': median(consoleTimes).toFixed(1),
      'worst ms': Math.max(...consoleTimes).toFixed(1),
      what: `console screens (${consoleReader})`,
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
