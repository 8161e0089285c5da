/**
 * Screenshots for the fake's VMs made from the project's own test screens (test/fixtures/screens:
 * `rendered/` drawn by its generator, `lab/` captured from QEMU consoles), served as Azure serves them: a
 * 640x480 24-bit BMP. A Windows VM shows the rendered lock screen unless told otherwise.
 */
import {readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {PNG} from 'pngjs'

import {makeBmp} from './bmp.js'

const SCREENS = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'screens')

/** The screen a Windows VM of the fake shows by default: Windows is up, at its lock screen. */
export const WINDOWS_DEFAULT_SCREEN = 'rendered/win-login-healthy-lock-screen'

const decoded = new Map<string, PNG>()

/**
 * `rendered/win-stop-error-critical-process-died` or `lab/linux-kernel-panic-1` (a file of
 * test/fixtures/screens without `.png`) as a BMP. `variant` changes one corner pixel, so that screens of many
 * VMs differ in their bytes (and hashes) but not in what they show.
 */
export function screenBmp(name: string, options: {variant?: number} = {}): Buffer {
  let png = decoded.get(name)
  if (!png) {
    png = PNG.sync.read(readFileSync(join(SCREENS, `${name}.png`)))
    decoded.set(name, png)
  }

  const {data, height, width} = png
  const variant = options.variant ?? 0
  return makeBmp({
    height,
    pixel: (x, y) => {
      const o = (y * width + x) * 4
      if (variant && x === width - 1 && y === height - 1) return [variant & 0xff, (variant >> 8) & 0xff, 0]
      return [data[o], data[o + 1], data[o + 2]]
    },
    width,
  })
}
