/**
 * Shrink a screendump the way Azure shrinks a VM screen into its boot-diagnostics screenshot:
 *   node --import tsx lab/screens/shrink.ts in.png out.png     (in: any size, out: 640x480 PNG)
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {PNG} from 'pngjs'

import {azureShrink} from '../../src/screen/console/shrink.js'
import {decodeImage} from '../../src/screen/image.js'

const [input, output] = process.argv.slice(2)
if (!input || !output) {
  console.error('usage: shrink.ts in.png out.png')
  process.exit(2)
}

const small = azureShrink(decodeImage(readFileSync(input)))
const png = new PNG({height: small.height, width: small.width})
small.data.copy(png.data)
writeFileSync(output, PNG.sync.write(png, {colorType: 2}))
