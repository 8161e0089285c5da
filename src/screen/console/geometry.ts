/**
 * The cell grids a text console can have in a screenshot, and how each cell's pixels map back to the
 * source screen. Azure shrinks every VM screen into 640x480 (shrink.ts), so a 1024x768 framebuffer with
 * 8x16 cells becomes 5x10-pixel cells, 1152x864 becomes 4.44x8.89 (pitch 4/5 and 8/9), and VGA text mode
 * (720x400, 9x16 cells) becomes 8x19.2. An image of another size is read as the screen itself.
 */
import {sampleCoordinates} from './shrink.js'

export interface Geometry {
  /** e.g. '1024x768' */
  name: string
  /** the screen before it was shrunk */
  sourceWidth: number
  sourceHeight: number
  /** cell size on that screen (the font is 8 wide; VGA text mode cells are 9) */
  cellWidth: number
  cellHeight: number
  /** where the first cell starts on that screen */
  originX: number
  originY: number
  columns: number
  rows: number
}

/** For one cell along one axis: the image pixels that see it and, per pixel, its 2 samples relative to the cell. */
export interface AxisWindow {
  /** first image pixel of the window */
  start: number
  /** 2 per pixel: source offset of each sample from the cell's first source pixel (outside [0, cell) = another cell) */
  samples: Int8Array
  /** a key that is equal for cells whose samples fall alike (so they share templates) */
  key: string
  /** the window's pixels [coreStart, coreEnd) see only this cell (the others are shared with a neighbour) */
  coreStart: number
  coreEnd: number
}

interface SourceScreen {
  width: number
  height: number
  cellWidth: number
  cellHeight: number
  originX?: number
  originY?: number
}

/** Screens a VM shows that Azure shrinks into its 640x480 screenshot. */
const AZURE_SOURCES: SourceScreen[] = [
  {cellHeight: 16, cellWidth: 8, height: 768, width: 1024}, // hyperv_fb / hyperv_drm, Gen2 and most Gen1
  {cellHeight: 16, cellWidth: 8, height: 864, width: 1152}, // hyperv_fb's default size
  {cellHeight: 16, cellWidth: 9, height: 400, width: 720}, // VGA text mode 80x25 (BIOS, GRUB, Boot Manager on Gen1)
  {cellHeight: 16, cellWidth: 8, height: 600, width: 800},
  {cellHeight: 16, cellWidth: 8, height: 480, width: 640}, // a 640x480 framebuffer, not shrunk
]

export function candidateGeometries(width: number, height: number): Geometry[] {
  const sources =
    width === 640 && height === 480
      ? AZURE_SOURCES
      : [
          {cellHeight: 16, cellWidth: 8, height, width},
          {cellHeight: 16, cellWidth: 9, height, width},
        ]
  return sources
    .filter((s) => s.width >= s.cellWidth && s.height >= s.cellHeight)
    .map((s) => {
      const originX = s.originX ?? 0
      const originY = s.originY ?? 0
      return {
        cellHeight: s.cellHeight,
        cellWidth: s.cellWidth,
        columns: Math.floor((s.width - originX) / s.cellWidth),
        name: `${s.width}x${s.height}${s.cellWidth === 9 ? ' text mode' : ''}`,
        originX,
        originY,
        rows: Math.floor((s.height - originY) / s.cellHeight),
        sourceHeight: s.height,
        sourceWidth: s.width,
      }
    })
}

/** The windows of every cell along one axis of an image of `size` pixels. */
export function axisWindows(source: number, size: number, origin: number, cell: number, count: number): AxisWindow[] {
  const coords = sampleCoordinates(source, size)
  const windows: AxisWindow[] = []
  let first = 0
  for (let c = 0; c < count; c++) {
    const lo = origin + c * cell
    const hi = lo + cell
    while (first < size && coords[first * 2 + 1] < lo) first++
    let last = first
    while (last < size && coords[last * 2] < hi) last++
    const samples = new Int8Array((last - first) * 2)
    for (let i = first; i < last; i++) {
      samples[(i - first) * 2] = clampOffset(coords[i * 2] - lo)
      samples[(i - first) * 2 + 1] = clampOffset(coords[i * 2 + 1] - lo)
    }

    let coreStart = 0
    while (coreStart < last - first && samples[coreStart * 2] < 0) coreStart++
    let coreEnd = last - first
    while (coreEnd > coreStart && samples[coreEnd * 2 - 1] >= cell) coreEnd--
    windows.push({coreEnd, coreStart, key: samples.join(','), samples, start: first})
  }

  return windows
}

function clampOffset(offset: number): number {
  return Math.max(-100, Math.min(100, offset))
}
