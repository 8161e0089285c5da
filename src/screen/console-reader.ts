/**
 * The seam between the screen reader and the console reader (src/screen/console/: the font-matching
 * reader of text consoles). readScreen takes another reader through its options (tests); this is the one
 * it uses by default.
 */
import type {RgbaImage} from './image.js'
import {type ConsoleLine, type ConsoleReading, readConsoleText} from './console/index.js'

export type {ConsoleLine, ConsoleReading}

/** Read a text console; null: not a text console. */
export type ConsoleReader = (image: RgbaImage) => ConsoleReading | null

/** The project's console reader. */
export const defaultConsoleReader: ConsoleReader | null = readConsoleText
