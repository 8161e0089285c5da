/**
 * A byte-level Aho-Corasick automaton over the catalogue's anchors: one table lookup per input byte
 * finds every occurrence of every anchor (overlapping ones too) and every newline. This is the cheap
 * prefilter that keeps the analyser near grep's speed: lines without an anchor are never decoded.
 *
 * State 0 is the root; state 1 is a copy of the root entered on '\n' (flag NEWLINE), so the scanning
 * loop needs a single test per byte: `flags[state] !== 0`.
 */

export const FLAG_HIT = 1
export const FLAG_NEWLINE = 2

const ROOT = 0
const NEWLINE_ROOT = 1
const NEWLINE = 0x0a

export interface AnchorAutomaton {
  /** next state = table[(state << 8) | byte] */
  readonly table: Uint16Array | Uint32Array
  /** FLAG_HIT: an anchor ends in this state; FLAG_NEWLINE: the state is entered on '\n' */
  readonly flags: Uint8Array
  /** ids of the anchors ending in state s: outputs[outputStart[s] .. outputStart[s + 1]) */
  readonly outputStart: Uint32Array
  readonly outputs: Uint32Array
  readonly stateCount: number
}

/** Build the automaton. Anchors are byte strings without '\n'; their index is their id. */
export function buildAnchorAutomaton(anchors: readonly Uint8Array[]): AnchorAutomaton {
  // the trie: children per state, and the anchors ending exactly there
  const children: Array<Map<number, number>> = [new Map<number, number>(), new Map<number, number>()]
  const ends: number[][] = [[], []]
  for (const [id, anchor] of anchors.entries()) {
    if (anchor.length === 0 || anchor.includes(NEWLINE)) throw new Error(`anchor ${id} is empty or holds a newline`)
    let state = ROOT
    for (const byte of anchor) {
      let next = children[state].get(byte)
      if (next === undefined) {
        next = children.length
        children.push(new Map())
        ends.push([])
        children[state].set(byte, next)
      }

      state = next
    }

    ends[state].push(id)
  }

  const stateCount = children.length
  const table = stateCount <= 0xffff ? new Uint16Array(stateCount * 256) : new Uint32Array(stateCount * 256)
  const fail = new Uint32Array(stateCount)
  const outputsPerState: number[][] = ends.map((ids) => [...ids])

  // breadth-first: a state's transitions are its children, else those of its failure state
  const queue: number[] = []
  for (let byte = 0; byte < 256; byte++) {
    const child = children[ROOT].get(byte)
    table[(ROOT << 8) | byte] = child ?? ROOT
    if (child !== undefined) queue.push(child)
  }

  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]
    outputsPerState[state].push(...outputsPerState[fail[state]])
    for (let byte = 0; byte < 256; byte++) {
      const child = children[state].get(byte)
      if (child === undefined) {
        table[(state << 8) | byte] = table[(fail[state] << 8) | byte]
      } else {
        fail[child] = table[(fail[state] << 8) | byte]
        table[(state << 8) | byte] = child
        queue.push(child)
      }
    }
  }

  // the newline root behaves like the root; every state goes to it on '\n'
  for (let byte = 0; byte < 256; byte++) table[(NEWLINE_ROOT << 8) | byte] = table[(ROOT << 8) | byte]
  for (let state = 0; state < stateCount; state++) table[(state << 8) | NEWLINE] = NEWLINE_ROOT

  const flags = new Uint8Array(stateCount)
  const outputStart = new Uint32Array(stateCount + 1)
  let total = 0
  for (let state = 0; state < stateCount; state++) {
    outputStart[state] = total
    total += outputsPerState[state].length
    if (outputsPerState[state].length > 0) flags[state] |= FLAG_HIT
  }

  outputStart[stateCount] = total
  const outputs = new Uint32Array(total)
  for (let state = 0; state < stateCount; state++) outputs.set(outputsPerState[state], outputStart[state])
  flags[NEWLINE_ROOT] |= FLAG_NEWLINE
  return {table, flags, outputStart, outputs, stateCount}
}
