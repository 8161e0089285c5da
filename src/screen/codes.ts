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
      else if (reader === 'status') {
        const found = statusCodes(line)
        // "*** STOP: 0x0000007B (0x…, 0x…, 0x…, 0x…)": the bug check, then its parameters, which are no code
        for (const code of STOP_LINE.test(line) ? found.slice(0, 1) : found) add(code)
      } else if (reader === 'update-error') add(updateError(line))
      else if (reader === 'grub-error') add(grubError(line))
      else add(grubLegacyError(line))
    }
  }

  return agreeWithBugCheck(codes)
}

const STOP_LINE = /\bSTOP\s*:\s*\S/i

/**
 * A stop screen that shows both the bug check's name and its number (Windows 7: INACCESSIBLE_BOOT_DEVICE
 * and `*** STOP: 0x0000007B`): a number that differs from the name's only by digits OCR confuses (B/8)
 * is the name's.
 */
function agreeWithBugCheck(codes: string[]): string[] {
  const numbers = codes
    .map((code) => BUG_CHECKS.find((check) => check.name === code))
    .filter((check) => check !== undefined)
    .map((check) => `0x${check.code.toString(16).padStart(8, '0')}`)
  if (numbers.length === 0) return codes
  const agreed = codes.map((code) => {
    if (!/^0x[0-9a-f]{8}$/.test(code) || numbers.includes(code)) return code
    return confusedWith(code.slice(2), numbers) ?? code
  })
  return agreed.filter((code, i) => agreed.indexOf(code) === i)
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
    // no marker read: the longest run of upper-case words (the Windows 7 blue screen's name line, or a
    // "Stop code:" too garbled to find)
    const runs = line.match(/[A-Z][A-Z0-9]+(?:[ _]+[A-Z0-9]+)+/g) ?? []
    const run = runs.sort((a, b) => b.length - a.length)[0]
    if (!run || run.replace(/[^A-Z]/g, '').length < 8 || !/[A-Z]{2,}[ _][A-Z]{2,}/.test(run)) return null
    candidate = normalizeText(run)
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
const HEX_REPAIRS: Record<string, string> = {I: '1', O: '0', Q: '0', i: '1', l: '1', o: '0', '|': '1'}
/**
 * `0x` and 7 to 9 hex digits, with what OCR makes of them: `Ox`, `(x`, `O0x` (a slashed zero read
 * twice), `0n`/`0k` (an x read as n or k after a zero), spaces inside, O/Q for 0, l/I/| for 1.
 */
const STATUS =
  /(?<![0-9A-Za-z])(?:[0oO@©([{]{0,2}\s?[xX×]|[0oO]\s?[nNkK%*])\s?((?:[0-9a-fA-FoOQlIi|]\s?){6,8}[0-9a-fA-FoOQlIi|])(?![0-9A-Za-z])/g

/**
 * NTSTATUS codes that Windows boot screens show (Boot Manager, recovery, stop screens; Microsoft's
 * troubleshooting articles for Azure VMs), for repairing a read that OCR garbled into a near miss:
 * `Oxc06000428` -> `0xc0000428`. A code not listed is kept as read (repaired only where the repair is
 * certain), never forced onto one of these.
 */
export const KNOWN_STATUS: readonly string[] = [
  '0xc0000001',
  '0xc0000005',
  '0xc0000006',
  '0xc000000d',
  '0xc000000e',
  '0xc000000f',
  '0xc0000011',
  '0xc0000017',
  '0xc0000022',
  '0xc0000034',
  '0xc000003a',
  '0xc0000043',
  '0xc000007b',
  '0xc0000098',
  '0xc000009a',
  '0xc000009c',
  '0xc00000ba',
  '0xc00000e9',
  '0xc0000102',
  '0xc000012f',
  '0xc0000135',
  '0xc0000142',
  '0xc000014c',
  '0xc000014d',
  '0xc0000185',
  '0xc0000218',
  '0xc000021a',
  '0xc0000221',
  '0xc0000225',
  '0xc0000243',
  '0xc00002e3',
  '0xc0000359',
  '0xc000035a',
  '0xc0000428',
  '0xc0000454',
  '0xc0000605',
]

/** characters OCR reads for a zero in a code (a dotted or slashed zero) */
const ZERO_LIKE = /[0oOQeEcC6689@]/
/** pairs of digits OCR confuses in small print: a read differing from a known code only by these is that code */
const CONFUSED = new Set(
  [
    '06',
    '08',
    '09',
    '0e',
    '0c',
    '0d',
    '0b',
    '17',
    '1i',
    '2a',
    '4a',
    '5s',
    '56',
    '68',
    '8b',
    '6b',
    '3b',
    'ce',
    'e8',
    'a4',
  ].flatMap((pair) => [pair, pair[1] + pair[0]]),
)

/**
 * The code of `among` a read differs from only by confusable digits (one such code; at most two slips,
 * three when all are zeros).
 */
function confusedWith(read: string, among: readonly string[] = KNOWN_STATUS): string | null {
  const near = among.filter((code) => {
    const digits = code.slice(2)
    // the first digit tells an NTSTATUS error (c) from a bug check number (0): never guessed
    if (digits[0] !== read[0]) return false
    let differences = 0
    let zeros = 0
    for (let i = 1; i < 8; i++) {
      if (digits[i] === read[i]) continue
      if (!CONFUSED.has(digits[i] + read[i])) return false
      differences++
      if (digits[i] === '0') zeros++
    }

    // at most two slips, or three when all are zeros (a font's dotted or slashed zeros: c000eeef)
    return differences <= 2 || (differences === 3 && zeros === 3)
  })
  return near.length === 1 ? near[0] : null
}

/**
 * `0x` + 8 hex digits (NTSTATUS, bug check numbers), repaired and lower-cased: `0xc0000225`. Windows'
 * NTSTATUS errors are `c000` + 4 digits: the zero-like characters there are zeros. A read that is not a
 * known code but becomes one by digits OCR confuses (0/6/8/e/c, 1/7, b/8, a/2), or with one digit more
 * or less, is taken as that code; any other code is kept as read.
 */
export function statusCodes(line: string): string[] {
  const codes: string[] = []
  for (const match of line.matchAll(STATUS)) {
    const raw = match[1].replace(/\s/g, '')
    let digits = raw.replace(/[OoQIil|]/g, (c) => HEX_REPAIRS[c]).toLowerCase()
    if (digits.length === 8 && /^c/.test(digits) && [...raw.slice(1, 4)].every((c) => ZERO_LIKE.test(c)))
      digits = `c000${digits.slice(4)}`
    const known = (code: string) => KNOWN_STATUS.includes(`0x${code}`)
    if (/^[0-9a-f]{8}$/.test(digits)) {
      codes.push(known(digits) ? `0x${digits}` : (confusedWith(digits) ?? `0x${digits}`))
    } else if (/^[0-9a-f]{7,9}$/.test(digits)) {
      const near = KNOWN_STATUS.filter((code) => editDistance(code.slice(2), digits) === 1)
      if (near.length === 1) codes.push(near[0])
    }
  }

  return codes
}

/** Whether a status code is one Windows boot screens are known to show (KNOWN_STATUS). */
export function isKnownStatus(code: string): boolean {
  return KNOWN_STATUS.includes(code)
}

const UPDATE_ERROR = /\berror\s*:?\s+([0-9A-F]{8})\b/i

/** "Error C01A001D applying update operations" -> C01A001D (as Windows writes it, upper case). */
export function updateError(line: string): string | null {
  const match = UPDATE_ERROR.exec(line)
  if (!match || !/[0-9]/.test(match[1]) || !/[A-F]/i.test(match[1])) return null
  return match[1].toUpperCase()
}

const GRUB_ERROR = /\berror\s*:\s*(.{3,200}?)\s*[.,]?\s*$/i

/**
 * "error:" garbled ("errar:", "enror;") or cut at the start of a line whose left edge was cropped off
 * ("ror: no such partition.")
 */
const GRUB_ERROR_TAIL = /(?:^\s*(?:rror|ror|or|r)|\be[a-z0-9]{2,3}r)\s*[:;]\s*(.{3,200}?)\s*[.,]?\s*$/i

/**
 * GRUB 2's `error: no such partition.` -> `no such partition` (snapped to GRUB's wording when close).
 * A line with `error:` garbled or cut (a screenshot cropped through it) counts only when its message is
 * one of GRUB's own.
 */
export function grubError(line: string): string | null {
  const match = GRUB_ERROR.exec(line)
  const tail = match ? null : GRUB_ERROR_TAIL.exec(line)
  if (!match && !tail) return null
  const text = (match ?? tail)![1].trim()
  const normalized = normalizeText(text)
  if (normalized.length < 4) return null
  for (const known of GRUB_ERRORS) {
    if (editDistance(normalized, known) <= Math.max(1, Math.floor(known.length * 0.2))) return known
  }

  // a message with a variable part, e.g. file '/boot/grub/i386-pc/normal.mod' not found
  return match && /^[\x20-\x7e]+$/.test(text) ? text : null
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
