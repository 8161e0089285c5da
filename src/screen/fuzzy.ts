/**
 * Fuzzy text matching that survives OCR noise: a catalogue string is looked for anywhere in the
 * screen's text with a bounded number of character edits (substitutions, insertions, deletions), so
 * "Please wat for the Local Session Manager", "Your PC/Device needs tobe repaired" and
 * "Don't tun off your computer" still match, while a string that is not on screen stays far off.
 * Both sides are normalised first: lower case, every run of non-alphanumerics one space.
 */

/** "Don’t turn off  your computer." -> "don t turn off your computer" */
export function normalizeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

export interface ApproximateMatch {
  /** edits needed to turn the needle into the best-matching stretch of the haystack */
  distance: number
  /** 1 - distance / needle length, clamped at 0 */
  similarity: number
  /** where that stretch starts and ends (exclusive) in the haystack */
  start: number
  end: number
}

/**
 * The stretch of `haystack` closest to `needle` in edit distance (Sellers' algorithm: a match may start
 * and end anywhere in the haystack at no cost). O(needle × haystack) time, O(needle) memory.
 * Both strings should already be normalised.
 */
export function approximateFind(needle: string, haystack: string): ApproximateMatch {
  const m = needle.length
  if (m === 0) return {distance: 0, end: 0, similarity: 1, start: 0}
  // column j of the DP: cost[i] = edits to match needle[0..i) ending at haystack position j; from[i] = start
  let cost = new Int32Array(m + 1)
  let from = new Int32Array(m + 1)
  let nextCost = new Int32Array(m + 1)
  let nextFrom = new Int32Array(m + 1)
  for (let i = 0; i <= m; i++) cost[i] = i
  let best: ApproximateMatch = {distance: m, end: 0, similarity: 0, start: 0}
  for (let j = 1; j <= haystack.length; j++) {
    const c = haystack.charCodeAt(j - 1)
    nextCost[0] = 0
    nextFrom[0] = j
    for (let i = 1; i <= m; i++) {
      const substitute = cost[i - 1] + (needle.charCodeAt(i - 1) === c ? 0 : 1)
      const skipHaystack = cost[i] + 1
      const skipNeedle = nextCost[i - 1] + 1
      if (substitute <= skipHaystack && substitute <= skipNeedle) {
        nextCost[i] = substitute
        nextFrom[i] = from[i - 1]
      } else if (skipHaystack <= skipNeedle) {
        nextCost[i] = skipHaystack
        nextFrom[i] = from[i]
      } else {
        nextCost[i] = skipNeedle
        nextFrom[i] = nextFrom[i - 1]
      }
    }

    if (nextCost[m] < best.distance) best = {distance: nextCost[m], end: j, similarity: 0, start: nextFrom[m]}
    ;[cost, nextCost] = [nextCost, cost]
    ;[from, nextFrom] = [nextFrom, from]
    if (best.distance === 0) break
  }

  return {...best, similarity: Math.max(0, 1 - best.distance / m)}
}

/** Edit distance between two whole strings (Levenshtein). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  let previous = new Int32Array(b.length + 1)
  let current = new Int32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1)
      current[j] = Math.min(substitution, previous[j] + 1, current[j - 1] + 1)
    }

    ;[previous, current] = [current, previous]
  }

  return previous[b.length]
}
