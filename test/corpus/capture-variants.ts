/**
 * The same boot, captured differently: transforms that turn a serial log's bytes into what another
 * capture of it would hold (line ends, a capture tool's prefix on every line, colours, an excerpt, a
 * reboot into another boot, line noise, 8-bit bytes). Pure and deterministic (a seeded generator for
 * the noise); the capture-variants test applies them to every corpus log the analyser agrees with.
 */
import type {AnalysisReport} from '../../src/analysis/index.js'

export interface CaptureContext {
  /** the log as given */
  bytes: Buffer
  /** the analyser's report on it (it agrees with the label) */
  report: AnalysisReport
  /** a log from the lab whose verdict is `reboot`, and its session count */
  rebootLog: {bytes: Buffer; sessions: number}
  /** the label's session count */
  sessions: number
}

export interface CaptureVariant {
  name: string
  /** what a capture of this kind looks like, for the report */
  description: string
  /** the transformed log and the session count it should give, or null when it does not apply to this log */
  apply(context: CaptureContext): {bytes: Buffer; sessions: number} | null
}

const LF = 0x0a

/** The lines of a log, each without its '\n' (a last line without one is kept as it is). */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (let index = bytes.indexOf(LF); index !== -1; index = bytes.indexOf(LF, start)) {
    lines.push(bytes.subarray(start, index))
    start = index + 1
  }

  if (start < bytes.length) lines.push(bytes.subarray(start))
  return lines
}

function joinLines(lines: Buffer[], endsWithNewline: boolean): Buffer {
  const parts: Buffer[] = []
  for (const [index, line] of lines.entries()) {
    parts.push(line)
    if (index < lines.length - 1 || endsWithNewline) parts.push(NEWLINE)
  }

  return Buffer.concat(parts)
}

const NEWLINE = Buffer.from('\n')

/** Every line with a prefix that the capture tool computes from the line's index (time moves on 37 ms a line). */
function prefixed(bytes: Buffer, prefix: (index: number, seconds: number) => string): Buffer {
  const endsWithNewline = bytes.at(-1) === LF
  const lines = splitLines(bytes)
  return joinLines(
    lines.map((line, index) => Buffer.concat([Buffer.from(prefix(index, index * 0.037), 'latin1'), line])),
    endsWithNewline,
  )
}

/** Where line `index` (0-based) begins. */
function lineOffset(lines: Buffer[], index: number): number {
  let offset = 0
  for (let line = 0; line < index; line++) offset += lines[line].length + 1
  return offset
}

const pad = (value: number, width = 2) => String(Math.floor(value)).padStart(width, '0')
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** A wall clock `seconds` after 2024-01-02 03:04:05 UTC. */
function clock(seconds: number) {
  const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5) + Math.round(seconds * 1000))
  return {
    date: `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`,
    time: `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`,
    micros: pad((seconds % 1) * 1e6, 6),
    month: MONTHS[date.getUTCMonth()],
    day: date.getUTCDate(),
  }
}

/** A seeded generator (mulberry32): the same noise on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Random bytes, any value (a serial line at the wrong speed, a UART waking up). */
function lineNoise(length: number, seed: number): Buffer {
  const next = random(seed)
  const bytes = Buffer.alloc(length)
  for (let index = 0; index < length; index++) bytes[index] = Math.floor(next() * 256)
  return bytes
}

/**
 * The last line that decides the last session's verdict: its last stage, finding or evidence line
 * (nothing after it may be cut without changing what the log says).
 */
function lastDecisiveLine(report: AnalysisReport): number {
  const session = report.sessions.at(-1)
  if (!session) return report.lines
  let line = session.startLine
  for (const stage of session.stages) line = Math.max(line, stage.line)
  for (const evidence of session.evidence) line = Math.max(line, evidence.line)
  for (const finding of session.findings) line = Math.max(line, finding.lastLine ?? finding.line)
  return line
}

/** JSON string escaping for the bytes of a line read as Latin-1 (each byte one character, as LAVA's YAML keeps them). */
function jsonString(line: Buffer): string {
  return JSON.stringify(line.toString('utf8'))
}

export const CAPTURE_VARIANTS: readonly CaptureVariant[] = [
  {
    name: 'crlf',
    description: 'CR LF line ends (a serial port, a Windows terminal program)',
    apply: ({bytes, sessions}) => {
      const lines = splitLines(bytes).map((line) => (line.at(-1) === 0x0d ? line : Buffer.concat([line, CR])))
      return {bytes: joinLines(lines, bytes.at(-1) === LF), sessions}
    },
  },
  {
    name: 'conserver',
    description: 'conserver / ipmitool SOL log: [2024-01-02 03:04:05] ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {date, time} = clock(seconds)
        return `[${date} ${time}] `
      }),
      sessions,
    }),
  },
  {
    name: 'iso-8601',
    description:
      'ISO 8601 with microseconds and offset (ts, rsyslog high precision): 2024-01-02T03:04:05.123456+00:00 ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {date, time, micros} = clock(seconds)
        return `${date}T${time}.${micros}+00:00 `
      }),
      sessions,
    }),
  },
  {
    name: 'grabserial',
    description: 'grabserial / minicom timestamps: [12.345678 0.000123] ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(
        bytes,
        (index, seconds) => `[${(seconds + 0.1).toFixed(6)} ${index === 0 ? '0.000000' : '0.037000'}] `,
      ),
      sessions,
    }),
  },
  {
    name: 'journald',
    description: 'journald / syslog file: Jan 02 03:04:05 host kernel: ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {month, day, time} = clock(seconds)
        return `${month} ${pad(day)} ${time} bootlab kernel: `
      }),
      sessions,
    }),
  },
  {
    name: 'tio',
    description: 'tio with timestamps: [03:04:05.123] ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {time, micros} = clock(seconds)
        return `[${time}.${micros.slice(0, 3)}] `
      }),
      sessions,
    }),
  },
  {
    name: 'ts',
    description: "moreutils' ts, its default format: Jan 02 03:04:05 ",
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {month, day, time} = clock(seconds)
        return `${month} ${pad(day)} ${time} `
      }),
      sessions,
    }),
  },
  {
    name: 'kernelci',
    description: 'KernelCI / LAVA plain text log: 03:04:05.123456  ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {time, micros} = clock(seconds)
        return `${time}.${micros}  `
      }),
      sessions,
    }),
  },
  {
    name: 'lava-yaml',
    description: 'LAVA job log (YAML): - {"dt": "…", "lvl": "target", "msg": "…"}',
    apply: ({bytes, sessions}) => {
      const lines = splitLines(bytes).map((line, index) => {
        const {date, time, micros} = clock(index * 0.037)
        const text = line.at(-1) === 0x0d ? line.subarray(0, -1) : line
        return Buffer.from(`- {"dt": "${date}T${time}.${micros}", "lvl": "target", "msg": ${jsonString(text)}}`)
      })
      const header = Buffer.from(
        '- {"dt": "2024-01-02T03:04:04.000000", "lvl": "info", "msg": "lava-dispatcher, installed at version: 2024.01"}\n',
      )
      return {bytes: Buffer.concat([header, joinLines(lines, true)]), sessions}
    },
  },
  {
    name: 'syslog-rfc3164',
    description: 'forwarded by syslog (RFC 3164): <13>Jan  2 03:04:05 host console: ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {month, day, time} = clock(seconds)
        return `<13>${month} ${String(day).padStart(2, ' ')} ${time} bootlab console: `
      }),
      sessions,
    }),
  },
  {
    name: 'syslog-rfc5424',
    description: 'forwarded by syslog (RFC 5424): <13>1 2024-01-02T03:04:05.123456Z host console - - - ',
    apply: ({bytes, sessions}) => ({
      bytes: prefixed(bytes, (_, seconds) => {
        const {date, time, micros} = clock(seconds)
        return `<13>1 ${date}T${time}.${micros}Z bootlab console - - - `
      }),
      sessions,
    }),
  },
  {
    name: 'ansi-status',
    description: 'colour codes around systemd status words: [\\e[0;32m  OK  \\e[0m], [\\e[0;1;31mFAILED\\e[0m]',
    apply: ({bytes, sessions}) => {
      const text = bytes
        .toString('latin1')
        .replaceAll('[  OK  ]', '[\x1b[0;32m  OK  \x1b[0m]')
        .replaceAll('[FAILED]', '[\x1b[0;1;31mFAILED\x1b[0m]')
        .replaceAll('[DEPEND]', '[\x1b[0;1;33mDEPEND\x1b[0m]')
        .replaceAll('[ TIME ]', '[\x1b[0;1;31m TIME \x1b[0m]')
      return {bytes: Buffer.from(text, 'latin1'), sessions}
    },
  },
  {
    name: 'cut-start',
    description: 'an excerpt that begins mid-line, up to a tenth into the first session, before its first telling line',
    apply: ({bytes, report, sessions}) => {
      const first = report.sessions[0]
      if (!first) return null
      const lines = splitLines(bytes)
      const span = first.endLine - first.startLine + 1
      // the cut stays before the first line that tells anything (a stage, evidence, a finding)
      const limit = Math.min(
        first.endLine,
        ...first.stages.map((stage) => stage.line),
        ...first.evidence.map((line) => line.line),
        ...first.findings.map((finding) => finding.line),
      )
      const skip = Math.min(Math.floor(span / 10), limit - first.startLine)
      // the first line tells: the capture began in the line before it, which the log does not have
      if (skip <= 0)
        return {
          bytes: Buffer.concat([Buffer.from('ed.\r\n'), bytes.subarray(lineOffset(lines, first.startLine - 1))]),
          sessions,
        }
      const at = first.startLine - 1 + skip - 1
      // half of the last line cut goes too
      const offset = lineOffset(lines, at) + Math.floor(lines[at].length / 2)
      return {bytes: bytes.subarray(offset), sessions}
    },
  },
  {
    name: 'cut-end',
    description: 'the capture stops mid-line: its last line cut in half, or a message just begun',
    apply: ({bytes, report, sessions}) => {
      const lines = splitLines(bytes)
      while (lines.length > 0 && lines.at(-1)!.toString('latin1').trim() === '') lines.pop()
      const last = lines.length
      if (last === 0) return null
      // a line that tells the verdict (a stage, evidence, a finding) is not cut: a message just begun follows it
      if (last <= lastDecisiveLine(report) || lines[last - 1].length < 4)
        return {bytes: Buffer.concat([joinLines(lines, true), Buffer.from('[  ')]), sessions}
      const end = lineOffset(lines, last - 1) + Math.floor(lines[last - 1].length / 2)
      return {bytes: bytes.subarray(0, end), sessions}
    },
  },
  {
    name: 'after-reboot',
    description: 'two captures in one file: a boot that ends in a restart, then this log',
    apply: ({bytes, rebootLog, sessions}) => ({
      bytes: Buffer.concat([rebootLog.bytes, bytes]),
      sessions: rebootLog.sessions + sessions,
    }),
  },
  {
    name: 'nul-padding',
    description: 'a restart, 8 KiB of NUL padding, then this log (a hypervisor resetting the port)',
    apply: ({bytes, rebootLog, sessions}) => ({
      bytes: Buffer.concat([rebootLog.bytes, Buffer.alloc(8192), bytes]),
      sessions: rebootLog.sessions + sessions,
    }),
  },
  {
    name: 'line-noise',
    description: 'a restart, 1 KiB of random bytes (a UART at the wrong speed), then this log',
    apply: ({bytes, rebootLog, sessions}) => ({
      bytes: Buffer.concat([rebootLog.bytes, lineNoise(1024, bytes.length), NEWLINE, bytes]),
      sessions: rebootLog.sessions + sessions,
    }),
  },
  {
    name: 'noise-first',
    description: '512 random bytes before the log (the port opened mid-garbage)',
    apply: ({bytes, sessions}) => ({
      bytes: Buffer.concat([lineNoise(512, bytes.length + 1), NEWLINE, bytes]),
      sessions,
    }),
  },
  {
    name: 'cp1252',
    description:
      'saved as Windows-1252: UTF-8 re-encoded ("…" one byte 0x85, "é" 0xe9), a Latin-1 word in every seventh line',
    apply: ({bytes, sessions}) => {
      const lines = splitLines(toWindows1252(bytes)).map((line, index) => {
        if (index % 7 !== 3) return line
        const cr = line.at(-1) === 0x0d ? 1 : 0
        return Buffer.concat([
          line.subarray(0, line.length - cr),
          Buffer.from(' (caf\xe9 \xb0C)', 'latin1'),
          line.subarray(line.length - cr),
        ])
      })
      return {bytes: joinLines(lines, bytes.at(-1) === LF), sessions}
    },
  },
]

const CR = Buffer.from('\r')

/** Windows-1252's bytes 0x80-0x9f, by character. */
const WINDOWS_1252 = new Map<string, number>(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'].map((character, index) => [character, 0x80 + index]),
)

/** UTF-8 text as Windows-1252 saves it: one byte a character, '?' for what it cannot hold. */
function toWindows1252(bytes: Buffer): Buffer {
  const out: number[] = []
  for (const character of bytes.toString('utf8')) {
    const code = character.codePointAt(0)!
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) out.push(code)
    else out.push(WINDOWS_1252.get(character) ?? 0x3f)
  }

  return Buffer.from(out)
}
