/** A small PNG of a screenshot for the HTML report: averaged down (box filter) to at most THUMB_WIDTH wide. */
import {PNG} from 'pngjs'

import {decodeImage} from '../../screen/image.js'

export const THUMB_WIDTH = 160

export function thumbnailPng(image: Uint8Array, width = THUMB_WIDTH): Buffer {
  const source = decodeImage(image)
  const scale = Math.max(1, Math.ceil(source.width / width))
  const w = Math.max(1, Math.floor(source.width / scale))
  const h = Math.max(1, Math.floor(source.height / scale))
  const out = new PNG({height: h, width: w})
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sum = [0, 0, 0, 0]
      for (let dy = 0; dy < scale; dy++) {
        const row = (y * scale + dy) * source.width
        for (let dx = 0; dx < scale; dx++) {
          const at = (row + x * scale + dx) * 4
          for (let c = 0; c < 4; c++) sum[c] += source.data[at + c]
        }
      }

      const to = (y * w + x) * 4
      for (let c = 0; c < 4; c++) out.data[to + c] = Math.round(sum[c] / (scale * scale))
    }
  }

  return PNG.sync.write(out)
}
