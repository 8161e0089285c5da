/** The console fonts the reader knows, decoded on first use. */
import {type ConsoleFont, decodeFont} from './font.js'
import {efi8x19, fixed8x16, terminus8x16, vga8x16, vga9x16} from './generated.js'

export type {ConsoleFont, FontData} from './font.js'

let decoded: ConsoleFont[] | undefined

/**
 * Every console font, the Linux framebuffer's default (VGA 8x16) first. Fonts 9 wide are VGA text mode
 * fonts (its 9-pixel cells); fonts 8 wide also serve text mode, with the ninth column VGA adds. The
 * UEFI console's font is 19 high.
 */
export function consoleFonts(): ConsoleFont[] {
  decoded ??= [vga8x16, vga9x16, fixed8x16, terminus8x16, efi8x19].map((data) => decodeFont(data))
  return decoded
}

export function consoleFont(name: string): ConsoleFont {
  const font = consoleFonts().find((f) => f.name === name)
  if (!font) throw new Error(`no console font ${name}`)
  return font
}
