/**
 * What an input is, from its first bytes: a console log (text), compressed data, another binary format,
 * or a systemd journal written out by `journalctl -o export` / `-o json`. Self-contained and pure (no
 * I/O): the analyser reads the head of its input with it, and the code that opens a file uses `isGzip`
 * to decompress a `.gz` transparently, as `zcat` would.
 *
 * Whether a text log is the kernel's own log (`dmesg`) rather than a console capture shows only in its
 * lines as a whole; the analyser decides that at the end (see `looksLikeKernelLog`).
 */
import type {InputKind} from './types.js'

/** How many bytes of the head the detection looks at. */
export const HEAD_BYTES = 4096

export interface HeadKind {
  kind: InputKind
  /** a few words on what it is: "gzip-compressed data", "a PNG image", "a serial console log" */
  description: string
  /**
   * How each line wraps the console's text, when it does: `lava-yaml`, a LAVA job log (`- {"dt": …,
   * "lvl": "target", "msg": "…"}`, one line of the console in each "msg").
   */
  wrapping?: 'lava-yaml'
}

/** The first line of a LAVA job log: a YAML list of flow mappings, a time and a level first. */
const LAVA_LINE = /^- \{"dt": ?"[\d\-T:.]{10,32}", ?"lvl": ?"[a-z]{1,16}"/

/** Magic numbers of formats someone may hand over instead of a serial log. */
const MAGIC: ReadonlyArray<{bytes: readonly number[]; kind: InputKind; description: string}> = [
  {bytes: [0x1f, 0x8b], kind: 'gzip', description: 'gzip-compressed data'},
  {bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], kind: 'binary', description: 'xz-compressed data'},
  {bytes: [0x28, 0xb5, 0x2f, 0xfd], kind: 'binary', description: 'zstd-compressed data'},
  {bytes: [0x42, 0x5a, 0x68], kind: 'binary', description: 'bzip2-compressed data'},
  {bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'binary', description: 'a zip archive'},
  {bytes: [0x7f, 0x45, 0x4c, 0x46], kind: 'binary', description: 'an ELF executable'},
  {bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'binary', description: 'a PNG image (a screenshot, not the serial log)'},
  {bytes: [0xff, 0xd8, 0xff], kind: 'binary', description: 'a JPEG image'},
  {bytes: [0x25, 0x50, 0x44, 0x46], kind: 'binary', description: 'a PDF document'},
  {bytes: [0x4c, 0x50, 0x4b, 0x53, 0x48, 0x48, 0x52, 0x48], kind: 'binary', description: 'a binary journal file'},
]

/** Field names that begin the lines of `journalctl -o export`. */
const EXPORT_FIELDS = ['__CURSOR=', '__REALTIME_TIMESTAMP=', '__MONOTONIC_TIMESTAMP=', '_BOOT_ID=', 'MESSAGE=']

/** The first bytes are gzip's magic number (1f 8b). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b
}

/** What the input is, from its first bytes (HEAD_BYTES of them are enough). */
export function detectInputKind(head: Uint8Array): HeadKind {
  if (head.length === 0) return {kind: 'empty', description: 'no data'}
  for (const {bytes, kind, description} of MAGIC) {
    if (head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte)) return {kind, description}
  }

  // a Windows bitmap: "BM", then the file size and four reserved zero bytes
  if (head.length >= 10 && head[0] === 0x42 && head[1] === 0x4d && head[6] === 0 && head[7] === 0)
    return {kind: 'binary', description: 'a BMP image (the boot-diagnostics screenshot, not the serial log)'}
  const text = latin1(head.subarray(0, HEAD_BYTES))
  const firstLine = text.replace(/^[\s\0]+/, '')
  if (firstLine.startsWith('{') && /"(?:__CURSOR|__REALTIME_TIMESTAMP|_BOOT_ID|MESSAGE)"\s*:/.test(text))
    return {kind: 'journal-json', description: 'a systemd journal written by journalctl -o json'}
  const lines = text.split('\n').slice(0, 40)
  if (lines.filter((line) => EXPORT_FIELDS.some((field) => line.startsWith(field))).length >= 2)
    return {kind: 'journal-export', description: 'a systemd journal written by journalctl -o export'}
  if (LAVA_LINE.test(firstLine))
    return {
      kind: 'console',
      description: 'a serial console log, as a LAVA job log (YAML) keeps it',
      wrapping: 'lava-yaml',
    }
  if (isBinary(head.subarray(0, HEAD_BYTES))) return {kind: 'binary', description: 'binary data'}
  return {kind: 'console', description: 'a serial console log'}
}

/**
 * The lines, as counted, are kernel messages as `dmesg` prints them: nearly every one begins with a
 * kernel timestamp, and they end with a bare LF (a serial port ends its lines with CR LF).
 */
export function looksLikeKernelLog(kernelLines: number, crLfLines: number, lines: number): boolean {
  return lines >= 3 && kernelLines >= 0.9 * lines && crLfLines < 0.1 * lines
}

/**
 * More than a few bytes that text never holds: control characters other than tab, newline, carriage
 * return, form feed, backspace, bell and escape, or byte sequences that are not UTF-8. NUL runs are
 * skipped (serial logs are padded with them).
 */
function isBinary(head: Uint8Array): boolean {
  let counted = 0
  let odd = 0
  for (let index = 0; index < head.length; index++) {
    const byte = head[index]
    if (byte === 0) continue
    counted++
    if (byte < 0x20) {
      if (byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x08 && byte !== 0x07) {
        if (byte !== 0x1b) odd++
      }
    } else if (byte >= 0x80) {
      const length = byte >= 0xf0 && byte <= 0xf4 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc2 && byte <= 0xdf ? 2 : 0
      let valid = length > 0
      for (let next = 1; valid && next < length; next++) {
        const continuation = head[index + next]
        // a sequence cut by the end of the head is not held against the input
        if (index + next >= head.length) break
        valid = continuation >= 0x80 && continuation <= 0xbf
      }

      if (valid) {
        counted += length - 1
        index += length - 1
      } else {
        odd++
      }
    }
  }

  return counted >= 16 && odd > counted * 0.1
}

function latin1(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return text
}
