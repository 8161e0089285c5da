/**
 * `--since` as people type it: an age (`30d`, `12h`, `90m`, `2w`, `1d12h`) or a date or time (`2026-11-01`,
 * `2026-11-01T10:00Z`). An unusable value is a usage error that shows the accepted forms.
 */
import {UsageError} from '../errors.js'

const UNIT_MS: Record<string, number> = {d: 86_400_000, h: 3_600_000, m: 60_000, w: 7 * 86_400_000}
const AGE = /^(?:\d+(?:\.\d+)?[wdhm])+$/

export function parseSince(text: string, now: Date, flag = '--since'): Date {
  const value = text.trim().toLowerCase()
  if (AGE.test(value)) {
    let ms = 0
    for (const [, n, unit] of value.matchAll(/(\d+(?:\.\d+)?)([wdhm])/g)) ms += Number(n) * UNIT_MS[unit]
    return new Date(now.getTime() - ms)
  }

  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : text.trim())
    if (!Number.isNaN(date.getTime())) return date
  }

  throw new UsageError(
    `${flag} '${text}' is neither an age nor a date: use e.g. ${flag} 30d, 12h, 90m, 2w, or ${flag} 2026-11-01 (UTC) or 2026-11-01T10:00Z.`,
    {code: 'BadDuration'},
  )
}
