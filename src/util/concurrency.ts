/** Small async helpers: bounded concurrency and collecting async iterables. */

/**
 * Map items with at most `limit` calls in flight; results keep the input order. The first rejection
 * rejects the whole call (callers that want per-item failures catch inside `fn`) — once the calls already
 * in flight have settled, so none is still cleaning up (abandoning a snapshot) when the caller exits; no
 * new call starts after it.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: {error: unknown} | undefined
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++
      try {
        results[index] = await fn(items[index], index)
      } catch (error) {
        failure ??= {error}
      }
    }
  }

  await Promise.all(Array.from({length: Math.max(1, Math.min(limit, items.length))}, worker))
  if (failure) throw failure.error
  return results
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** What a paged list gave before it failed (if it did): the items so far and the error. */
export async function collectSome<T>(items: AsyncIterable<T>): Promise<{items: T[]; error?: unknown}> {
  const out: T[] = []
  try {
    for await (const item of items) out.push(item)
    return {items: out}
  } catch (error) {
    return {error, items: out}
  }
}
