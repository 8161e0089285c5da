/** Shared by the console reader's tests: where the screens are, and how far a reading is from known text. */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {ConsoleReading} from '../../../../src/screen/console/index.js'
import {decodeImage, type RgbaImage} from '../../../../src/screen/image.js'

const here = dirname(fileURLToPath(import.meta.url))
export const REPO = resolve(here, '..', '..', '..', '..')
/** the shared dev set (read in place, never copied): ../shared beside the repository */
export const SHARED_SCREENS = resolve(REPO, '..', 'shared', 'screens')
export const LAB_SCREENS = join(REPO, 'test', 'fixtures', 'screens', 'lab')
export const GLYPHS_TXT = join(REPO, 'lab', 'screens', 'glyphs.txt')

export function loadImage(path: string): RgbaImage {
  return decodeImage(readFileSync(path))
}

/** mocha: skip the suite with a visible notice when ../shared is not there */
export function needsSharedScreens(suite: Mocha.Suite): void {
  suite.beforeAll(function () {
    if (!existsSync(SHARED_SCREENS)) {
      console.warn(`      notice: ${SHARED_SCREENS} is absent; the shared dev screens are not read`)
      this.skip()
    }
  })
}

/** Levenshtein distance between two strings (by code point) */
export function editDistance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  let previous = Array.from({length: y.length + 1}, (_, i) => i)
  for (let i = 1; i <= x.length; i++) {
    const current = [i]
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1))
    }

    previous = current
  }

  return previous[y.length]
}

/** character error rate of `actual` against `expected` lines: edit distance over the expected length */
export function characterErrorRate(
  expected: string[],
  actual: string[],
): {errors: number; length: number; rate: number} {
  const e = expected.map((l) => l.trim()).join('\n')
  const a = actual.map((l) => l.trim()).join('\n')
  const errors = editDistance(e, a)
  const length = [...e].length
  return {errors, length, rate: length ? errors / length : 0}
}

export function linesOf(reading: ConsoleReading | null): string[] {
  return reading?.lines.map((l) => l.text) ?? []
}

/**
 * What a framebuffer console shows of the kernel's messages, from the serial log of the same boot: the
 * kernel writes every message to both consoles (console=tty0 and console=ttyS0), so the screen's last
 * rows are the tail of the log's kernel lines (those with a printk timestamp), each cut into rows of
 * `columns` characters. Userspace lines (the initramfs, systemd's status on ttyS0) are only in the log.
 */
export function kernelTextOnScreen(serial: string, columns: number, rows: number): string[] {
  const kernel = serial
    .replaceAll('\r', '')
    .split('\n')
    .map((line) => line.replaceAll(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))
    .filter((line) => /^\[\s*\d+\.\d+\]/.test(line))
  const wrapped: string[] = []
  for (const line of kernel) {
    const chars = [...line]
    for (let i = 0; i < chars.length || i === 0; i += columns) wrapped.push(chars.slice(i, i + columns).join(''))
  }

  return wrapped.slice(-rows)
}

/** the screen's rows (empty ones too) from the first that starts with a kernel timestamp to the last text row */
export function kernelRows(lines: Array<{row: number; text: string}>): string[] {
  const first = lines.find((l) => /^\[\s*\d+\.\d+\]/.test(l.text))
  if (!first) return []
  const last = lines.at(-1)!.row
  return Array.from({length: last - first.row + 1}, (_, i) => lines.find((l) => l.row === first.row + i)?.text ?? '')
}
