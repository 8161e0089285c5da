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

/**
 * The UEFI text console (EDK2's GraphicsConsole: 8x19 cells) centres its text mode on the display:
 * OVMF shows 100x31 on 1024x768; which mode Hyper-V's Gen2 firmware and GRUB for UEFI pick there is
 * not known, so the modes that fit are all tried.
 */
function uefiConsole(width: number, height: number, columns: number, rows: number): SourceScreen {
  return {
    cellHeight: 19,
    cellWidth: 8,
    height,
    originX: Math.floor((width - columns * 8) / 2),
    originY: Math.floor((height - rows * 19) / 2),
    width,
  }
}

/** Screens a VM shows that Azure shrinks into its 640x480 screenshot. */
const AZURE_SOURCES: SourceScreen[] = [
  {cellHeight: 16, cellWidth: 8, height: 768, width: 1024}, // hyperv_fb / hyperv_drm, Gen2 and most Gen1
  {cellHeight: 16, cellWidth: 8, height: 864, width: 1152}, // hyperv_fb's default size
  {cellHeight: 16, cellWidth: 9, height: 400, width: 720}, // VGA text mode 80x25 (BIOS, GRUB, Boot Manager on Gen1)
  {cellHeight: 16, cellWidth: 8, height: 600, width: 800},
  {cellHeight: 16, cellWidth: 8, height: 480, width: 640}, // a 640x480 framebuffer, not shrunk
  uefiConsole(1024, 768, 100, 31),
  uefiConsole(1024, 768, 128, 40),
  uefiConsole(1024, 768, 80, 25),
  uefiConsole(800, 600, 100, 31),
  uefiConsole(800, 600, 80, 25),
]

export function candidateGeometries(width: number, height: number): Geometry[] {
  const sources =
    width === 640 && height === 480
      ? AZURE_SOURCES
      : [
          {cellHeight: 16, cellWidth: 8, height, width},
          {cellHeight: 16, cellWidth: 9, height, width},
          ...[
            [100, 31],
            [128, 40],
            [80, 25],
          ]
            .filter(([columns, rows]) => columns * 8 <= width && rows * 19 <= height)
            .map(([columns, rows]) => uefiConsole(width, height, columns, rows)),
        ]
  return sources
    .filter((s) => s.width >= s.cellWidth && s.height >= s.cellHeight)
    .map((s) => {
      const originX = s.originX ?? 0
      const originY = s.originY ?? 0
      const columns = Math.floor((s.width - 2 * originX) / s.cellWidth)
      const rows = Math.floor((s.height - 2 * originY) / s.cellHeight)
      const mode = s.cellWidth === 9 ? ' text mode' : s.cellHeight === 19 ? ` UEFI ${columns}x${rows}` : ''
      return {
        cellHeight: s.cellHeight,
        cellWidth: s.cellWidth,
        columns,
        name: `${s.width}x${s.height}${mode}`,
        originX,
        originY,
        rows,
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
