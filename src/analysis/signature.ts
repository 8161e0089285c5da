/**
 * The failure signature of a verdict: a normalised title of its deciding evidence, the way syzkaller titles
 * crashes, so that the same failure on many VMs (or many boots) groups under one name:
 *   `initramfs-failure: ALERT! UUID=… does not exist. Dropping to a shell!`
 * What differs between occurrences of one failure is taken out: line numbers, UUIDs, addresses and long
 * hex, process ids, counts and timings. Healthy verdicts have none (null).
 */
import {HEALTHY_OUTCOMES} from './types.js'

const MAX_SIGNATURE = 160

const NORMALISE: ReadonlyArray<[RegExp, string | ((match: string) => string)]> = [
  [/\s*\(line \d+\)\s*$/, ''],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '…'],
  [/\b0x[0-9a-f]+\b/gi, '0x…'],
  [/\b[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b|\b[0-9a-f]*[a-f][0-9a-f]*\d[0-9a-f]*\b/gi, hexOrWord],
  [/\[\s*\d+(\.\d+)?\]/g, '[…]'],
  [/\b\d+(\.\d+)?\s*(ms|s|sec|seconds?|min|minutes?|jiffies)\b/gi, '… $2'],
  [/\b\d{2,}\b/g, 'N'],
  [/\s+/g, ' '],
]

/** Long hex runs (addresses, hashes) become …; short mixed words (sda1, ext4, eth0) stay. */
function hexOrWord(match: string): string {
  return match.length >= 12 ? '…' : match
}

export interface SignatureInput {
  outcome: string
  lastStage: string | null
  /** the verdict's one-line summary, e.g. "boot stopped in emergency-mode: Dependency failed for /data (line 812)" */
  summary: string
}

export function failureSignature(verdict: SignatureInput): string | null {
  if ((HEALTHY_OUTCOMES as readonly string[]).includes(verdict.outcome)) return null
  const colon = verdict.summary.indexOf(': ')
  const quoted = colon >= 0 ? verdict.summary.slice(colon + 2) : ''
  let title = quoted
  for (const [pattern, replacement] of NORMALISE)
    title = typeof replacement === 'string' ? title.replace(pattern, replacement) : title.replace(pattern, replacement)
  title = title.trim()
  const signature = title ? `${verdict.outcome}: ${title}` : `${verdict.outcome} in ${verdict.lastStage ?? 'no stage'}`
  return signature.length > MAX_SIGNATURE ? `${signature.slice(0, MAX_SIGNATURE - 1)}…` : signature
}
