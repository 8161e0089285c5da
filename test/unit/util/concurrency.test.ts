import {expect} from 'chai'

import {mapWithConcurrency} from '../../../src/util/concurrency.js'

describe('mapWithConcurrency', () => {
  it('keeps the input order with at most `limit` calls in flight', async () => {
    let inFlight = 0
    let most = 0
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++
      most = Math.max(most, inFlight)
      for (let turn = 0; turn < n; turn++) await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return n * 10
    })

    expect(results).to.deep.equal([50, 10, 40, 20, 30])
    expect(most).to.equal(2)
  })

  it('a rejection waits for the calls in flight to finish (their clean-up included) and starts no new one', async () => {
    // Given three calls in flight, one of which fails while the others are still cleaning up
    const finished: string[] = []
    const started: number[] = []
    const outcome = mapWithConcurrency([0, 1, 2, 3, 4, 5], 3, async (n) => {
      started.push(n)
      if (n === 0) throw new Error('interrupted')
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
      finished.push(`clean-up ${n}`)
      return n
    })

    // When the whole call rejects, Then the others had finished, and nothing after them was started
    const error = await outcome.catch((e: Error) => e)
    expect((error as Error).message).to.equal('interrupted')
    expect(finished).to.deep.equal(['clean-up 1', 'clean-up 2'])
    expect(started).to.deep.equal([0, 1, 2])
  })
})
