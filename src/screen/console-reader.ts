/**
 * The seam to the console reader (src/screen/console/, the font-matching reader of text consoles, built
 * on its own branch). Its contract is mirrored here so the screen reader can be built and tested before
 * that folder lands; when it does, `defaultConsoleReader` becomes its `readConsoleText` and these types
 * its own (one line each).
 */
import type {RgbaImage} from './image.js'

export interface ConsoleLine {
  text: string
  /** 0..1 */
  confidence: number
  /** cell row */
  row: number
}

export interface ConsoleReading {
  /** which glyph set matched, e.g. 'vga8x16' */
  font: string
  /** cell size and origin in image pixels */
  cell: {width: number; height: number; x0: number; y0: number}
  columns: number
  rows: number
  /** non-empty text rows, top to bottom, trailing spaces trimmed */
  lines: ConsoleLine[]
  /** mean over the characters read */
  confidence: number
  background: [number, number, number]
  foreground: [number, number, number]
}

/** Read a text console; null: not a text console. */
export type ConsoleReader = (image: RgbaImage) => ConsoleReading | null

/** The project's console reader; null until src/screen/console lands (then: its readConsoleText). */
export const defaultConsoleReader: ConsoleReader | null = null
