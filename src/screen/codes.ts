/**
 * Codes read off a screen: Windows stop codes snapped to the canonical names, NTSTATUS and bug check
 * numbers normalised to `0xc0000225`, Windows Update errors, GRUB's error text. OCR mangles all of them
 * (underscores vanish, `0x` becomes `Ox` or `(x`, `IRQL` becomes `IROL`), so each reader repairs what it
 * can and snaps to a known list where one exists, and drops what it cannot read.
 */
import {BUG_CHECKS, GRUB_ERRORS, type CodeReader} from './catalogue/index.js'
import {approximateFind, editDistance, normalizeText} from './fuzzy.js'

const BUG_CHECK_NAMES = BUG_CHECKS.map((check) => ({
  name: check.name,
  normalized: normalizeText(check.name.replaceAll('_', ' ')),
}))
/** texts after which Windows writes the stop code */
const STOP_CODE_MARKERS = ['stop code', 'this error', 'stop']
const MIN_BUG_CHECK_SIMILARITY = 0.8

/** Read the codes of the given kinds from the lines, in order of appearance, without repeats. */
export function readCodes(lines: readonly string[], readers: readonly CodeReader[]): string[] {
  const codes: string[] = []
  const add = (code: string | null) => {
    if (code && !codes.includes(code)) codes.push(code)
  }

  for (const line of lines) {
    for (const reader of readers) {
      if (reader === 'bug-check') add(bugCheckName(line))
      else if (reader === 'status') for (const code of statusCodes(line)) add(code)
      else if (reader === 'update-error') add(updateError(line))
      else if (reader === 'grub-error') add(grubError(line))
      else add(grubLegacyError(line))
    }
  }

  return codes
}

/**
 * A stop code name on this line: after "Stop code:" / "…for this error:", or a line that is nothing but
 * an upper-case name (the Windows 7 blue screen). Snapped to the bug check list; null when nothing is
 * close enough. The longest name that matches wins (DRIVER_IRQL_NOT_LESS_OR_EQUAL over
 * IRQL_NOT_LESS_OR_EQUAL).
 */
export function bugCheckName(line: string): string | null {
  const normalized = normalizeText(line)
  let candidate: string | null = null
  for (const marker of STOP_CODE_MARKERS) {
    const found = approximateFind(marker, normalized)
    if (found.distance === 0 || (marker.length > 5 && found.similarity >= 0.8)) {
      candidate = normalized.slice(found.end).trim()
      break
    }
  }

  if (candidate === null) {
    const letters = line.replace(/[^A-Za-z]/g, '')
    const upper = line.replace(/[^A-Z]/g, '')
    if (letters.length < 8 || upper.length / letters.length < 0.8 || !/[A-Z]{2,}[ _][A-Z]{2,}/.test(line)) return null
    candidate = normalized
  }

  if (candidate.length < 6) return null
  let best: {name: string; matched: number} | null = null
  for (const check of BUG_CHECK_NAMES) {
    if (check.normalized.length > candidate.length + 4) continue
    const found = approximateFind(check.normalized, candidate)
    if (found.similarity < MIN_BUG_CHECK_SIMILARITY) continue
    const matched = check.normalized.length - found.distance
    if (!best || matched > best.matched) best = {matched, name: check.name}
  }

  return best?.name ?? null
}

/** OCR confusions inside a hexadecimal number */
const HEX_REPAIRS: Record<string, string> = {I: '1', O: '0', i: '1', l: '1', o: '0', '|': '1'}
const STATUS = /(?<![0-9A-Za-z])[0oO@©([{]?\s?[xX]\s?((?:[0-9a-fA-FoOlIi|]\s?){6,8}[0-9a-fA-FoOlIi|])(?![0-9A-Za-z])/g

/**
 * Status codes that Windows boot screens show (Boot Manager, recovery, stop screens), for repairing a
 * read with a digit too many or too few (OCR splits a 0 in two): `Oxc06000428` -> `0xc0000428`.
 */
const KNOWN_STATUS = [
  '0xc0000001',
  '0xc000000d',
  '0xc000000e',
  '0xc000000f',
  '0xc0000011',
  '0xc0000017',
  '0xc0000034',
  '0xc000007b',
  '0xc0000098',
  '0xc000009a',
  '0xc00000ba',
  '0xc0000102',
  '0xc0000135',
  '0xc0000142',
  '0xc000014c',
  '0xc0000185',
  '0xc0000218',
  '0xc000021a',
  '0xc0000221',
  '0xc0000225',
  '0xc00002e3',
  '0xc0000359',
  '0xc0000428',
  '0xc0000605',
]

/**
 * `0x` + 8 hex digits (NTSTATUS, bug check numbers), repaired and lower-cased: `0xc0000225`. A read
 * that is not a known code but becomes one when the letters OCR takes a zero for (o, e: a dotted or
 * slashed zero) are zeros, or with one digit more or less, is taken as that code.
 */
export function statusCodes(line: string): string[] {
  const codes: string[] = []
  for (const match of line.matchAll(STATUS)) {
    const raw = match[1].replace(/\s/g, '')
    const digits = raw.replace(/[OoIil|]/g, (c) => HEX_REPAIRS[c]).toLowerCase()
    const zeroed = raw
      .replace(/[IiLl|]/g, '1')
      .replace(/[OoEe]/g, '0')
      .toLowerCase()
    const known = (code: string) => KNOWN_STATUS.includes(`0x${code}`)
    if (/^[0-9a-f]{8}$/.test(digits) && known(digits)) codes.push(`0x${digits}`)
    else if (/^[0-9a-f]{8}$/.test(zeroed) && known(zeroed)) codes.push(`0x${zeroed}`)
    else if (/^[0-9a-f]{8}$/.test(digits)) codes.push(`0x${digits}`)
    else if (/^[0-9a-f]{7,9}$/.test(digits)) {
      const near = KNOWN_STATUS.filter((code) => editDistance(code.slice(2), digits) === 1)
      if (near.length === 1) codes.push(near[0])
    }
  }

  return codes
}

const UPDATE_ERROR = /\berror\s*:?\s+([0-9A-F]{8})\b/i

/** "Error C01A001D applying update operations" -> C01A001D (as Windows writes it, upper case). */
export function updateError(line: string): string | null {
  const match = UPDATE_ERROR.exec(line)
  if (!match || !/[0-9]/.test(match[1]) || !/[A-F]/i.test(match[1])) return null
  return match[1].toUpperCase()
}

const GRUB_ERROR = /\berror\s*:\s*(.{3,200}?)\s*\.?\s*$/i

/** GRUB 2's `error: no such partition.` -> `no such partition` (snapped to GRUB's wording when close). */
export function grubError(line: string): string | null {
  const match = GRUB_ERROR.exec(line)
  if (!match) return null
  const text = match[1].trim()
  const normalized = normalizeText(text)
  if (normalized.length < 4) return null
  for (const known of GRUB_ERRORS) {
    if (editDistance(normalized, known) <= Math.max(1, Math.floor(known.length * 0.2))) return known
  }

  // a message with a variable part, e.g. file '/boot/grub/i386-pc/normal.mod' not found
  return /^[\x20-\x7e]+$/.test(text) ? text : null
}

/** GRUB legacy's `Error 15: File not found` -> `Error 15`. */
export function grubLegacyError(line: string): string | null {
  const match = /(?:^|\s)Error (\d{1,2}):/.exec(line)
  return match ? `Error ${match[1]}` : null
}

/** Progress on screen: "80% complete", "(5%", "Working on updates 30%". Null when none, or not 0..100. */
export function readPercent(lines: readonly string[]): number | null {
  for (const line of lines) {
    for (const match of line.matchAll(/(?<![0-9])(\d{1,3})\s?%/g)) {
      const value = Number(match[1])
      if (value <= 100) return value
    }
  }

  return null
}
