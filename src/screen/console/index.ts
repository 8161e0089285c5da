/**
 * The text-console reader: the screen reader's way to read Linux framebuffer and VGA text consoles,
 * GRUB, Windows Boot Manager text screens and UEFI firmware screens off a screenshot, by matching the
 * console's own bitmap font at the cell size Azure's shrink gives it. Pure: pixels in, text out; imports
 * nothing of Azure, oclif or the file system.
 */
export {type ConsoleLine, type ConsoleReading, readConsoleText, type Rgb} from './reader.js'
export {type ConsoleScreen, type ConsoleText, renderConsole} from './render.js'
export {AZURE_HEIGHT, AZURE_WIDTH, azureShrink, quantize565} from './shrink.js'
