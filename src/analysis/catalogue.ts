/**
 * Checks the catalogue's records (rules/) and compiles them once: regular expressions, anchors (given
 * or derived from the pattern), and the anchor automaton the reader scans with. A bad record fails
 * loudly at start-up with its id, never silently at analysis time.
 */
import {compileAdvice, type CompiledAdvice} from './advice.js'
import {buildAnchorAutomaton, type AnchorAutomaton} from './anchor-automaton.js'
import {ADVICE_RECORDS, RULE_RECORDS, STAGE_MARKERS} from './rules/index.js'
import type {AdviceRecord, MarkerRole, RuleRecord, StageMarkerRecord} from './rules/schema.js'
import {FINDING_CATEGORIES, STAGES, type Outcome, type Stage} from './types.js'

export interface CompiledRule extends RuleRecord {
  readonly index: number
  readonly regex: RegExp
  readonly anchors: readonly string[]
  /** the pattern has named groups (then matching must capture them) */
  readonly groupsUsed: boolean
  /** the advice catalogue's entries for this rule, in catalogue order */
  readonly adviceEntries: readonly CompiledAdvice[]
}

export interface CompiledMarker extends StageMarkerRecord {
  readonly index: number
  readonly regex: RegExp
  readonly anchors: readonly string[]
  /** position of `stage` in STAGES */
  readonly rank: number
  readonly groupsUsed: boolean
}

/** What an anchor id leads to: the records to try when a line holds it. */
export interface AnchorTarget {
  readonly text: string
  /** the anchor written twice, character by character (two consoles on one port) */
  readonly doubled: boolean
  readonly markers: readonly CompiledMarker[]
  readonly rules: readonly CompiledRule[]
}

export interface Catalogue {
  readonly rules: readonly CompiledRule[]
  readonly markers: readonly CompiledMarker[]
  readonly targets: readonly AnchorTarget[]
  readonly automaton: AnchorAutomaton
  /** the advice catalogue */
  readonly advice: readonly CompiledAdvice[]
  /** its entries about outcomes, in catalogue order */
  readonly outcomeAdvice: readonly CompiledAdvice[]
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const DOCS = /^https:\/\/learn\.microsoft\.com\/troubleshoot\/azure\/virtual-machines\/linux\/[a-z0-9-]+$/
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/
const SEVERITIES = new Set(['info', 'warning', 'error', 'critical'])
const FAILURE_OUTCOMES = new Set<Outcome>([
  'shutdown-hung',
  'kernel-panic',
  'initramfs-failure',
  'emergency-mode',
  'fsck-failure',
  'bootloader-failure',
  'kernel-hang',
  'provisioning-failed',
])
const ROLES = new Set<MarkerRole>([
  'firmware-start',
  'prelude',
  'kernel-start',
  'kernel-banner',
  'booted',
  'powered-off',
  'restarted',
  'powering-off',
  'restarting',
  'alive',
])
/** roles whose text two early consoles may both write, character by character */
const EARLY_ROLES = new Set<MarkerRole | undefined>(['firmware-start', 'prelude', 'kernel-start'])
const MIN_ANCHOR_LENGTH = 3

class CatalogueError extends Error {
  constructor(id: string, problem: string) {
    super(`analysis catalogue: record '${id}': ${problem}`)
    this.name = 'CatalogueError'
  }
}

/** Check and compile rule and marker records. Throws CatalogueError naming the first bad record. */
export function compileCatalogue(
  ruleRecords: readonly RuleRecord[],
  markerRecords: readonly StageMarkerRecord[],
  adviceRecords: readonly AdviceRecord[] = [],
): Catalogue {
  const advice = compileAdvice(adviceRecords, new Set(ruleRecords.map((record) => record.id)))
  const ids = new Set<string>()
  const checkId = (id: string) => {
    if (!ID.test(id)) throw new CatalogueError(id, 'id must be kebab-case')
    if (ids.has(id)) throw new CatalogueError(id, 'duplicate id')
    ids.add(id)
  }

  const rules = ruleRecords.map((record, index): CompiledRule => {
    checkId(record.id)
    if (!(FINDING_CATEGORIES as readonly string[]).includes(record.category))
      throw new CatalogueError(record.id, `unknown category '${record.category}'`)
    checkStage(record.id, record.stage)
    for (const stage of [record.implies, record.unless]) if (stage !== undefined) checkStage(record.id, stage)
    if (!SEVERITIES.has(record.severity)) throw new CatalogueError(record.id, `unknown severity '${record.severity}'`)
    for (const outcome of [record.outcome, record.outcomeInInitramfs]) {
      if (outcome !== undefined && !FAILURE_OUTCOMES.has(outcome))
        throw new CatalogueError(record.id, `'${outcome}' is not a failure outcome`)
    }

    if (!record.title.trim() || !record.advice.trim())
      throw new CatalogueError(record.id, 'title and advice are required')
    if (record.docs !== undefined && !DOCS.test(record.docs))
      throw new CatalogueError(
        record.id,
        `docs must be a learn.microsoft.com Linux VM troubleshooting article: ${record.docs}`,
      )
    return {
      ...record,
      index,
      regex: compilePattern(record.id, record.pattern),
      anchors: anchorsOf(record),
      groupsUsed: record.pattern.includes('(?<'),
      adviceEntries: advice.filter((entry) => entry.rules?.includes(record.id)),
    }
  })

  const known = new Set(rules.map((rule) => rule.id))
  for (const rule of rules) {
    for (const id of rule.supersedes ?? []) {
      if (!known.has(id) || id === rule.id) throw new CatalogueError(rule.id, `supersedes unknown rule '${id}'`)
    }
  }

  const markers = markerRecords.map((record, index): CompiledMarker => {
    checkId(record.id)
    checkStage(record.id, record.stage)
    for (const stage of record.inertIn ?? []) checkStage(record.id, stage)
    if (record.role !== undefined && !ROLES.has(record.role))
      throw new CatalogueError(record.id, `unknown role '${record.role}'`)
    return {
      ...record,
      index,
      regex: compilePattern(record.id, record.pattern),
      anchors: anchorsOf(record),
      rank: STAGES.indexOf(record.stage),
      groupsUsed: record.pattern.includes('(?<'),
    }
  })

  const targets = collectTargets(rules, markers)
  const automaton = buildAnchorAutomaton(targets.map((target) => Buffer.from(target.text, 'latin1')))
  const outcomeAdvice = advice.filter((entry) => entry.outcomes !== undefined)
  return {rules, markers, targets, automaton, advice, outcomeAdvice}
}

function checkStage(id: string, stage: Stage): void {
  if (!(STAGES as readonly string[]).includes(stage)) throw new CatalogueError(id, `unknown stage '${stage}'`)
}

function compilePattern(id: string, pattern: string): RegExp {
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw new CatalogueError(id, `pattern does not compile: ${(error as Error).message}`)
  }
}

function anchorsOf(record: RuleRecord | StageMarkerRecord): string[] {
  const anchors = record.anchors ?? [deriveAnchor(record.id, record.pattern)]
  if (anchors.length === 0) throw new CatalogueError(record.id, 'anchors must not be empty')
  for (const anchor of anchors) {
    if (anchor.length < MIN_ANCHOR_LENGTH || !PRINTABLE_ASCII.test(anchor)) {
      throw new CatalogueError(
        record.id,
        `anchor '${anchor}' must be printable ASCII of at least ${MIN_ANCHOR_LENGTH} characters`,
      )
    }
  }

  return [...anchors]
}

/**
 * The longest run of literal characters every match of `pattern` contains. Works on the subset of
 * regular-expression syntax the catalogue uses; a pattern with a top-level alternation needs
 * explicit anchors.
 */
export function deriveAnchor(id: string, pattern: string): string {
  const runs: string[] = []
  let run = ''
  const endRun = () => {
    if (run) runs.push(run)
    run = ''
  }

  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]
    if (char === '\\') {
      const next = pattern[++index]
      if (next !== undefined && /[^\w\s]/.test(next)) {
        run += next
        continue
      }

      endRun()
      continue
    }

    if (char === '|') throw new CatalogueError(id, 'pattern has a top-level alternation: give its anchors')
    if (char === '(' || char === '[') {
      index = skipGroup(pattern, index)
      endRun()
      continue
    }

    if (char === '*' || char === '?' || char === '{') {
      run = run.slice(0, -1)
      if (char === '{') index = pattern.indexOf('}', index)
      endRun()
      continue
    }

    if (char === '+' || char === '.' || char === '^' || char === '$') {
      endRun()
      continue
    }

    run += char
  }

  endRun()
  const longest = runs.reduce((best, candidate) => (candidate.length > best.length ? candidate : best), '')
  if (longest.length < MIN_ANCHOR_LENGTH)
    throw new CatalogueError(id, 'no literal of 3+ characters in the pattern: give its anchors')
  return longest
}

/** Index of the `)` or `]` closing the group or class opened at `start` (escapes and nesting handled). */
function skipGroup(pattern: string, start: number): number {
  let depth = 0
  let inClass = false
  for (let index = start; index < pattern.length; index++) {
    const char = pattern[index]
    if (char === '\\') {
      index++
    } else if (inClass) {
      if (char === ']') {
        inClass = false
        if (depth === 0) return index
      }
    } else if (char === '[') {
      inClass = true
    } else if (char === '(') {
      depth++
    } else if (char === ')') {
      depth--
      if (depth === 0) return index
    }
  }

  return pattern.length
}

function collectTargets(rules: readonly CompiledRule[], markers: readonly CompiledMarker[]): AnchorTarget[] {
  const byText = new Map<string, {doubled: boolean; markers: CompiledMarker[]; rules: CompiledRule[]}>()
  const targetFor = (text: string, doubled: boolean) => {
    let target = byText.get(text)
    if (!target) {
      target = {doubled, markers: [], rules: []}
      byText.set(text, target)
    }

    return target
  }

  for (const marker of markers) {
    for (const anchor of marker.anchors) {
      targetFor(anchor, false).markers.push(marker)
      if (EARLY_ROLES.has(marker.role)) targetFor(doubleCharacters(anchor), true).markers.push(marker)
    }
  }

  for (const rule of rules) {
    for (const anchor of rule.anchors) targetFor(anchor, false).rules.push(rule)
  }

  return [...byText.entries()].map(([text, target]) => ({text, ...target}))
}

/** "Probing" -> "PPrroobbiinngg" */
function doubleCharacters(text: string): string {
  let doubled = ''
  for (const char of text) doubled += char + char
  return doubled
}

let defaultCatalogue: Catalogue | undefined

/** The catalogue of rules/, compiled on first use. */
export function builtinCatalogue(): Catalogue {
  defaultCatalogue ??= compileCatalogue(RULE_RECORDS, STAGE_MARKERS, ADVICE_RECORDS)
  return defaultCatalogue
}
