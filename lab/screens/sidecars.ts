/**
 * Write the sidecar <name>.json of every lab screen in test/fixtures/screens/lab: what the screen is
 * (kind, os, codes, healthy: the labels of ../shared/screens/labels.json) and its transcript, the text
 * on screen top to bottom (empty rows left out, trailing spaces trimmed, the cursor left out).
 *
 *   node --import tsx lab/screens/sidecars.ts
 *
 * Transcripts are read off the full-size screendump, where every cell is the font's glyph pixel for
 * pixel, and were checked by eye against the picture; lines are trimmed at both ends, as in
 * ../shared/screens/labels.json. `ground_truth: serial` marks screens whose rows, from the first that
 * starts with a kernel timestamp to the bottom, are kernel messages only: they must equal the tail of
 * the kernel lines of the same boot's serial log, cut at the console's width (the kernel writes every
 * message to both consoles). The script checks that before it writes the sidecar, and so does the test.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {readConsoleText} from '../../src/screen/console/index.js'
import {decodeImage} from '../../src/screen/image.js'
import {kernelRows, kernelTextOnScreen} from '../../test/unit/screen/console/helpers.js'

const here = dirname(fileURLToPath(import.meta.url))
const fixtures = join(here, '..', '..', 'test', 'fixtures', 'screens', 'lab')

interface Screen {
  name: string
  kind: string
  os: 'linux' | 'firmware'
  codes: string[]
  healthy: boolean | 'unknown'
  transcript: 'serial' | 'screendump'
}

const SCREENS: Screen[] = [
  {
    codes: [],
    healthy: true,
    kind: 'linux-login-prompt',
    name: 'linux-login-prompt-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: ['Attempted to kill init!'],
    healthy: false,
    kind: 'linux-kernel-panic',
    name: 'linux-kernel-panic-1',
    os: 'linux',
    transcript: 'serial',
  },
  {
    codes: ['VFS: Unable to mount root fs on unknown-block(0,0)'],
    healthy: false,
    kind: 'linux-kernel-panic',
    name: 'linux-kernel-panic-2',
    os: 'linux',
    transcript: 'serial',
  },
  {
    codes: ['sysrq triggered crash'],
    healthy: false,
    kind: 'linux-kernel-panic',
    name: 'linux-kernel-panic-3',
    os: 'linux',
    transcript: 'serial',
  },
  {
    codes: ['VFS: Unable to mount root fs on unknown-block(0,0)'],
    healthy: false,
    kind: 'linux-kernel-panic',
    name: 'linux-kernel-panic-4',
    os: 'linux',
    transcript: 'serial',
  },
  {
    codes: [],
    healthy: false,
    kind: 'linux-initramfs-shell',
    name: 'linux-initramfs-shell-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: false,
    kind: 'linux-emergency',
    name: 'linux-emergency-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: 'unknown',
    kind: 'linux-console',
    name: 'linux-console-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: ['no such partition'],
    healthy: false,
    kind: 'linux-grub-rescue',
    name: 'linux-grub-rescue-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: ['unknown filesystem'],
    healthy: false,
    kind: 'linux-grub-rescue',
    name: 'linux-grub-rescue-2',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: false,
    kind: 'linux-grub-shell',
    name: 'linux-grub-shell-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: 'unknown',
    kind: 'linux-grub-menu',
    name: 'linux-grub-menu-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: ['file not found'],
    healthy: false,
    kind: 'linux-grub-error',
    name: 'linux-grub-error-1',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: 'unknown',
    kind: 'linux-grub-menu',
    name: 'linux-grub-menu-2',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: ['no such partition'],
    healthy: false,
    kind: 'linux-grub-rescue',
    name: 'linux-grub-rescue-3',
    os: 'linux',
    transcript: 'screendump',
  },
  {codes: [], healthy: false, kind: 'uefi-pxe-boot', name: 'uefi-pxe-boot-1', os: 'firmware', transcript: 'screendump'},
  {
    codes: [],
    healthy: true,
    kind: 'linux-login-prompt',
    name: 'linux-login-prompt-2',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: true,
    kind: 'linux-login-prompt',
    name: 'linux-login-prompt-3',
    os: 'linux',
    transcript: 'screendump',
  },
  {
    codes: [],
    healthy: 'unknown',
    kind: 'linux-console',
    name: 'linux-console-2',
    os: 'linux',
    transcript: 'screendump',
  },
]

for (const screen of SCREENS) {
  const full = join(fixtures, `${screen.name}.full.png`)
  if (!existsSync(full)) {
    console.warn(`skip ${screen.name}: no ${full} (run lab/screens/run-screen.sh ${screen.name})`)
    continue
  }

  const reading = readConsoleText(decodeImage(readFileSync(full)))
  if (!reading) throw new Error(`${screen.name}: the full-size screendump does not read as a console`)
  const transcript = reading.lines.map((l) => l.text)
  if (screen.transcript === 'serial') {
    const rows = kernelRows(reading.lines)
    const serial = readFileSync(join(fixtures, `${screen.name}.serial.log`), 'utf8')
    const expected = kernelTextOnScreen(serial, reading.columns, rows.length)
    const differ = rows.filter((row, i) => row.trimEnd() !== expected[i].trimEnd())
    if (rows.length < 10 || differ.length > 0) {
      throw new Error(`${screen.name}: ${rows.length} kernel rows, ${differ.length} differ from the serial log`)
    }
  }

  const scenario = readFileSync(join(here, 'scenarios', `${screen.name}.sh`), 'utf8')
  const desc = /^DESC=(['"])(.*)\1$/m.exec(scenario)?.[2] ?? ''
  const sidecar = {
    codes: screen.codes,
    cursor: reading.cursor,
    font: reading.font,
    geometry: reading.geometry,
    ground_truth: screen.transcript,
    healthy: screen.healthy,
    kind: screen.kind,
    made_by: `lab/screens/run-screen.sh ${screen.name}: ${desc}`,
    os: screen.os,
    transcript: transcript.map((l) => l.trim()).filter((l) => l),
  }
  writeFileSync(join(fixtures, `${screen.name}.json`), JSON.stringify(sidecar, null, 2) + '\n')
  console.log(`wrote ${screen.name}.json (${reading.geometry}, ${reading.font}, ${sidecar.transcript.length} lines)`)
}
