/**
 * bootdiag's screenshot reader: what the boot-diagnostics screenshot shows, as a `screen` object
 * (DESIGN.md, "The screenshot"). Imports nothing of Azure, oclif or the file system: bytes in.
 *
 *   const screen = await readScreen(await readFile('screenshot.bmp'))
 *   screen.kind      // 'win-stop-error'
 *   screen.codes     // ['CRITICAL_PROCESS_DIED']
 *
 * How: decode (BMP of any depth Azure uses, or PNG); blank screens stop there; text consoles are read by
 * matching the console's own font (src/screen/console); anything else is read by OCR on the text boxes
 * the layout finds (loaded only then). The text is then classified against the screen catalogue.
 */
import {classifyScreenText, type ClassifyHints} from './classify.js'
import {isKnownStatus} from './codes.js'
import {defaultConsoleReader, type ConsoleReader} from './console-reader.js'
import {decodeImage, type RgbaImage} from './image.js'
import {screenCatalogue} from './catalogue/index.js'
import {analyzeLayout, type Layout} from './layout.js'
import {withSharedOcrEngine, type OcrEngine} from './ocr/engine.js'
import {readBoxes, type ReadLine} from './ocr/read.js'
import type {ScreenLine, ScreenReading} from './types.js'

export {classifyScreenText, type ClassifyHints} from './classify.js'
export type {ConsoleReader, ConsoleReading} from './console-reader.js'
export {decodeImage, bmpToPng, UnsupportedBmpError, UnsupportedImageError, type RgbaImage} from './image.js'
export {closeSharedOcrEngine, createOcrEngine, OcrUnavailableError, type OcrEngine, type OcrLine} from './ocr/engine.js'
export {reconcile, type ReconciledVerdict, type VerdictEvidence} from './reconcile.js'
export * from './types.js'

export interface ReadScreenOptions {
  /**
   * The OCR engine for graphical screens. Default: the process's shared engine, started on first use
   * and ended after a short idle time. A caller reading many screens passes its own
   * (`createOcrEngine()`) and terminates it when done.
   */
  ocr?: OcrEngine
  /** The text-console reader; default: the project's font-matching reader. null: none. */
  console?: ConsoleReader | null
}

/** least mean confidence for a console reading to be taken as the screen's text */
const MIN_CONSOLE_CONFIDENCE = 0.6

/**
 * Read a screenshot. Throws (a one-line message) only when the bytes are not an image it can decode;
 * any decodable picture gets a reading, `unknown` when nothing on it is recognised.
 */
export async function readScreen(bytes: Uint8Array, options: ReadScreenOptions = {}): Promise<ScreenReading> {
  return readImage(decodeImage(bytes), options)
}

/** Read an already decoded screenshot. */
export async function readImage(image: RgbaImage, options: ReadScreenOptions = {}): Promise<ScreenReading> {
  // a text console first: reading its font is exact and fast, and needs no layout analysis
  const consoleReader = options.console === undefined ? defaultConsoleReader : options.console
  const consoleText = consoleReader?.(image)
  if (consoleText && consoleText.lines.length > 0 && consoleText.confidence >= MIN_CONSOLE_CONFIDENCE) {
    const lines = consoleText.lines.map((line) => ({confidence: line.confidence, text: line.text}))
    return classifyScreenText(lines, {console: true, reader: 'console-font'})
  }

  const layout = analyzeLayout(image)
  if (layout.blank) {
    const [r, g, b] = layout.background
    return {
      codes: [],
      kind: 'blank',
      lines: [],
      os: 'unknown',
      outcome: null,
      percent: null,
      reader: 'none',
      stage: null,
      state: 'unknown',
      summary: `Blank screen (all rgb(${r}, ${g}, ${b})): nothing on the display`,
    }
  }

  if (layout.boxes.length === 0)
    return classifyScreenText([], {console: layout.console, features: layout.features, reader: 'none'})
  const ocr = options.ocr
  return ocr ? readGraphical(layout, ocr) : withSharedOcrEngine((shared) => readGraphical(layout, shared))
}

/** lines where a screen writes its code */
const CODE_LINE = /\b(?:status|error|stop ?code|code)\b/i

async function readGraphical(layout: Layout, engine: OcrEngine): Promise<ScreenReading> {
  const hints: ClassifyHints = {console: layout.console, features: layout.features, reader: 'ocr'}
  const lines = await readBoxes(layout, engine)
  const reading = classifyScreenText(plain(lines), hints)
  // A screen of a kind that shows a code, but none was read, or a status code no Windows boot screen
  // is known to show (likely garbled): a second look at the lines that should hold it, each on its own
  // and enlarged more (small text, e.g. a stop code on a scaled-down screen).
  const record = screenCatalogue().find((candidate) => candidate.kind === reading.kind)
  const doubtful = (codes: readonly string[]) => codes.some((code) => /^0xc/.test(code) && !isKnownStatus(code))
  if (!record?.codes?.length || (reading.codes.length > 0 && !doubtful(reading.codes))) return reading
  const suspects = lines.filter((line) => CODE_LINE.test(line.text))
  if (suspects.length === 0) return reading
  const reread = await readBoxes(layout, engine, {
    boxes: suspects.flatMap((line) => line.boxes),
    maxScale: 6,
    oneByOne: true,
    targetHeight: 48,
  })
  const replaced = lines.map((line) =>
    suspects.includes(line)
      ? (reread.find((again) => again.boxes.some((box) => line.boxes.includes(box))) ?? line)
      : line,
  )
  const second = classifyScreenText(plain(replaced), hints)
  if (second.kind !== reading.kind || second.codes.length === 0) return reading
  // the second look wins when the first found nothing, or found a doubtful code the second does not
  return reading.codes.length === 0 || !doubtful(second.codes) ? second : reading
}

function plain(lines: readonly ReadLine[]): ScreenLine[] {
  return lines.map((line) => ({confidence: line.confidence, text: line.text}))
}
