/**
 * Console fonts as the screen reader uses them: fixed-size bitmap glyphs of the characters a text
 * console shows. The data comes from generated.ts (lab/screens/make-fonts.py); this decodes it once.
 */

/**
 * A font as stored: `bitmaps` is base64 of `height` rows per glyph, ceil(width / 8) bytes per row (bit 7 =
 * leftmost pixel), in `chars` order. VGA text mode fonts are 9 wide (the ninth column as the screen shows it).
 */
export interface FontData {
  name: string
  width: number
  height: number
  chars: string
  bitmaps: string
}

/** A decoded font: `glyphs[i]` holds `width * height` 0/1 pixels of `chars[i]`, row-major. */
export interface ConsoleFont {
  name: string
  width: number
  height: number
  chars: string[]
  glyphs: Uint8Array[]
  /** glyph of a character, undefined for characters the font does not hold (space is blank) */
  glyphOf(ch: string): Uint8Array | undefined
}

export function decodeFont(data: FontData): ConsoleFont {
  const bytes = Buffer.from(data.bitmaps, 'base64')
  const chars = [...data.chars]
  const rowBytes = Math.ceil(data.width / 8)
  const glyphBytes = rowBytes * data.height
  if (bytes.length !== chars.length * glyphBytes) {
    throw new Error(`font ${data.name}: ${bytes.length} bytes for ${chars.length} glyphs of height ${data.height}`)
  }

  const glyphs = chars.map((_, i) => {
    const glyph = new Uint8Array(data.width * data.height)
    for (let y = 0; y < data.height; y++) {
      const row = i * glyphBytes + y * rowBytes
      for (let x = 0; x < data.width; x++) glyph[y * data.width + x] = (bytes[row + (x >> 3)] >> (7 - (x & 7))) & 1
    }

    return glyph
  })
  const index = new Map(chars.map((ch, i) => [ch, i]))
  return {
    chars,
    glyphOf: (ch: string) => {
      const i = index.get(ch)
      return i === undefined ? undefined : glyphs[i]
    },
    glyphs,
    height: data.height,
    name: data.name,
    width: data.width,
  }
}
