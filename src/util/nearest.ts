/** "Did you mean …?": the candidates nearest to what was typed, by edit distance. */

/** Levenshtein distance (insert, delete, substitute; a swap of two neighbours counts as one). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) =>
    Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }

  return d[a.length][b.length]
}

/**
 * The candidates nearest to `typed` (case-insensitive), at most two, and only those close enough to be a
 * slip: a distance of at most a third of the word (at least 1, at most 3), or a candidate that starts with it.
 */
export function nearest(typed: string, candidates: readonly string[]): string[] {
  const word = typed.toLowerCase()
  if (!word) return []
  const limit = Math.min(3, Math.max(1, Math.floor(word.replace(/^-+/, '').length / 3)))
  const scored = candidates
    .map((candidate) => {
      const lower = candidate.toLowerCase()
      const distance = editDistance(word, lower)
      const prefix = word.replace(/^-+/, '').length >= 3 && lower.startsWith(word)
      return {candidate, distance: prefix ? Math.min(distance, limit) : distance}
    })
    .filter(({distance}) => distance <= limit)
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
  if (scored.length === 0) return []
  const best = scored[0].distance
  return scored
    .filter(({distance}) => distance === best)
    .slice(0, 2)
    .map(({candidate}) => candidate)
}
