/**
 * Durations as people type them on the command line (`15m`, `5s`, `1h30m`, `250ms`) and as bootdiag
 * prints them (`41 s`, `2 min 5 s`). One grammar, one error message that shows the accepted forms.
 */
import {UsageError} from '../errors.js'

const UNIT_MS = {h: 3_600_000, m: 60_000, ms: 1, s: 1000} as const
type Unit = keyof typeof UNIT_MS

/** One `<number><unit>` part: whole or decimal number, then h, m, s or ms. */
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y
/** A bare number: seconds. */
const BARE_SECONDS = /^\d+(?:\.\d+)?$/

export interface DurationBounds {
  /** the flag it came from, for the message, e.g. '--timeout' */
  flag: string
  minMs?: number
  maxMs?: number
}

/**
 * Milliseconds of a duration such as `15m`, `90s`, `1h30m` or `500ms`. A bare number is seconds. Throws a
 * UsageError naming the flag and the accepted forms.
 */
export function parseDuration(text: string, bounds: DurationBounds): number {
  const value = text.trim().toLowerCase()
  const ms = parseMs(value)
  const example = `e.g. ${bounds.flag} 90s, 15m or 1h30m`
  if (ms === undefined)
    throw new UsageError(`${bounds.flag} '${text}' is not a duration: use a number with h, m, s or ms (${example}).`, {
      code: 'BadDuration',
    })
  if (bounds.minMs !== undefined && ms < bounds.minMs) {
    throw new UsageError(`${bounds.flag} '${text}' is too short: the least is ${formatDuration(bounds.minMs)}.`, {
      code: 'BadDuration',
    })
  }

  if (bounds.maxMs !== undefined && ms > bounds.maxMs) {
    throw new UsageError(`${bounds.flag} '${text}' is too long: the most is ${formatDuration(bounds.maxMs)}.`, {
      code: 'BadDuration',
    })
  }

  return ms
}

function parseMs(value: string): number | undefined {
  if (value === '') return undefined
  if (BARE_SECONDS.test(value)) return Math.round(Number(value) * 1000)
  let total = 0
  DURATION_PART.lastIndex = 0
  while (DURATION_PART.lastIndex < value.length) {
    const match = DURATION_PART.exec(value)
    if (!match) return undefined
    total += Number(match[1]) * UNIT_MS[match[2] as Unit]
  }

  return Math.round(total)
}

/** `41 s`, `2 min 5 s`, `1 h 3 min`, `350 ms`: what a person reads in a verdict or a status line. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`
}

/** `00:41`, `12:05`, `1:02:03`: elapsed time on a status line. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  const hours = Math.floor(total / 3600)
  const rest = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`
  return hours > 0 ? `${hours}:${rest}` : rest
}
