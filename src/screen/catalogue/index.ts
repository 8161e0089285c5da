/**
 * The screen catalogue, checked and compiled once: normalised strings, compiled patterns. A bad record
 * fails loudly at start-up with its kind, never silently while a screen is read.
 */
import {OUTCOMES, STAGES} from '../../analysis/types.js'
import {normalizeText} from '../fuzzy.js'
import {SCREEN_KINDS, SCREEN_OSES, SCREEN_STATES} from '../types.js'
import {FIRMWARE_SCREENS} from './firmware.js'
import {LINUX_SCREENS} from './linux.js'
import type {CodeReader, ScreenRecord} from './schema.js'
import {WINDOWS_SCREENS} from './windows.js'

export type {CodeReader, PictureFeature, ScreenRecord} from './schema.js'
export {BUG_CHECKS, type BugCheck} from './bug-checks.js'

export interface CompiledString {
  /** as written in the record */
  text: string
  normalized: string
}

export interface CompiledScreenRecord extends ScreenRecord {
  readonly compiledStrings: readonly CompiledString[]
  readonly regexes: readonly RegExp[]
  readonly minSimilarity: number
}

export const SCREEN_RECORDS: readonly ScreenRecord[] = [...WINDOWS_SCREENS, ...LINUX_SCREENS, ...FIRMWARE_SCREENS]

const CODE_READERS = new Set<CodeReader>(['bug-check', 'status', 'update-error', 'grub-error', 'grub-legacy'])
const DOCS = /^https:\/\/learn\.microsoft\.com\/troubleshoot\/azure\/virtual-machines\/(?:windows|linux)\/[a-z0-9-]+$/
/** shorter strings match by chance in OCR noise */
const MIN_STRING_LENGTH = 8
const DEFAULT_THRESHOLD = 0.8

class ScreenCatalogueError extends Error {
  constructor(kind: string, problem: string) {
    super(`screen catalogue: record '${kind}': ${problem}`)
    this.name = 'ScreenCatalogueError'
  }
}

/** Check and compile records. Throws naming the first bad record. */
export function compileScreenCatalogue(records: readonly ScreenRecord[]): CompiledScreenRecord[] {
  const kinds = new Set<string>()
  return records.map((record) => {
    const fail = (problem: string): never => {
      throw new ScreenCatalogueError(record.kind, problem)
    }

    if (!(SCREEN_KINDS as readonly string[]).includes(record.kind)) fail('unknown kind')
    if (record.kind === 'blank' || record.kind === 'unknown' || record.kind === 'linux-console')
      fail('is decided by the reader, not by a record')
    if (kinds.has(record.kind)) fail('duplicate kind')
    kinds.add(record.kind)
    if (!(SCREEN_OSES as readonly string[]).includes(record.os)) fail(`unknown os '${record.os}'`)
    if (!(SCREEN_STATES as readonly string[]).includes(record.state)) fail(`unknown state '${record.state}'`)
    if (record.outcome !== undefined && !(OUTCOMES as readonly string[]).includes(record.outcome))
      fail(`unknown outcome '${record.outcome}'`)
    if (record.stage !== undefined && !(STAGES as readonly string[]).includes(record.stage))
      fail(`unknown stage '${record.stage}'`)
    for (const reader of record.codes ?? []) if (!CODE_READERS.has(reader)) fail(`unknown code reader '${reader}'`)
    if (record.strings.length === 0 && (record.patterns ?? []).length === 0 && record.feature === undefined)
      fail('needs strings, patterns or a picture feature')
    if (!record.summary.trim() || !record.advice.trim()) fail('summary and advice are required')
    if (!DOCS.test(record.docs)) fail(`docs must be a learn.microsoft.com VM troubleshooting article: ${record.docs}`)
    const threshold = record.threshold ?? DEFAULT_THRESHOLD
    if (!(threshold > 0.5 && threshold <= 1)) fail(`threshold ${threshold} out of (0.5, 1]`)
    const compiledStrings = record.strings.map((text) => {
      const normalized = normalizeText(text)
      if (normalized.length < MIN_STRING_LENGTH)
        fail(`string '${text}' is shorter than ${MIN_STRING_LENGTH} characters: use a pattern`)
      return {normalized, text}
    })
    const regexes = (record.patterns ?? []).map((pattern) => {
      try {
        return new RegExp(pattern, 'i')
      } catch (error) {
        return fail(`pattern does not compile: ${(error as Error).message}`)
      }
    })
    return {...record, compiledStrings, minSimilarity: threshold, regexes}
  })
}

let compiled: CompiledScreenRecord[] | undefined

/** The built-in catalogue, compiled on first use. */
export function screenCatalogue(): readonly CompiledScreenRecord[] {
  compiled ??= compileScreenCatalogue(SCREEN_RECORDS)
  return compiled
}

/**
 * GRUB 2's error messages as GRUB writes them (grub-core), to snap OCR'd text to. Variable parts
 * (file names) are kept as read.
 */
export const GRUB_ERRORS: readonly string[] = [
  'no such partition',
  'unknown filesystem',
  'no such device',
  'file not found',
  'disk not found',
  'invalid magic number',
  'out of disk',
  'attempt to read or write outside of disk',
  'you need to load the kernel first',
  'unknown command',
  'invalid signature',
  'bad signature',
  'not a primary partition',
  'no server is specified',
  'failure reading sector',
  'invalid file name',
  'premature end of file',
]
