/**
 * The advice engine: checks and compiles the advice catalogue (rules/advice.ts), picks the entry that
 * applies to a finding or to a session's outcome, fills in what the evidence names, and adds the exact
 * Azure Linux Auto Repair (ALAR) commands where an action fits.
 *
 * The commands are those of the vm-repair extension of the Azure CLI, as Microsoft's ALAR article and
 * the extension's source (azure-cli-extensions, src/vm-repair) give them: a repair VM is created with a
 * copy of the OS disk, `az vm repair run --run-id linux-alar2 --parameters <action> --run-on-repair`
 * repairs the copy, and `az vm repair restore` swaps it back in. `az vm repair repair-and-restore` does
 * the three steps in one, but only with the fstab action (it takes no --run-id or --parameters).
 */
import type {AdviceRecord} from './rules/schema.js'
import {FINDING_CATEGORIES, OUTCOMES, REPAIR_ACTIONS, type FindingCategory, type Outcome, type Repair} from './types.js'
import type {RepairAction} from './types.js'

export interface CompiledAdvice extends AdviceRecord {
  readonly subjectRegex?: RegExp
  readonly notSubjectRegex?: RegExp
  /** the text names the subject */
  readonly namesSubject: boolean
}

/** The advice chosen for a finding or a session. */
export interface AdviceChoice {
  adviceId: string
  advice: string
  docs?: string
  repair?: Repair
}

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const DOCS = /^https:\/\/learn\.microsoft\.com\/troubleshoot\/azure\/virtual-machines\/linux\/[a-z0-9-]+$/
/** The longest subject quoted in advice. */
const MAX_SUBJECT = 120
const VM = '--resource-group <resource-group> --name <vm-name>'

/** The commands that run an ALAR action on a copy of the VM's OS disk and put the repaired copy back. */
export function repairFor(action: RepairAction): Repair {
  return {
    action,
    commands: [
      `az vm repair create --verbose ${VM}`,
      `az vm repair run --verbose ${VM} --run-id linux-alar2 --parameters ${action} --run-on-repair`,
      `az vm repair restore --verbose ${VM}`,
    ],
  }
}

/** The sentence of advice that gives a repair's commands. */
function repairSentence(repair: Repair): string {
  const [create, run, restore] = repair.commands.map((command) => `\`${command}\``)
  const oneStep = repair.action === 'fstab' ? ` (\`az vm repair repair-and-restore ${VM}\` does all three)` : ''
  return `Azure Linux Auto Repair (${repair.action}) does this on a copy of the OS disk: ${create}, then ${run}, then ${restore}${oneStep}.`
}

class AdviceError extends Error {
  constructor(id: string, problem: string) {
    super(`analysis catalogue: advice '${id}': ${problem}`)
    this.name = 'AdviceError'
  }
}

/** Check and compile the advice records against the rule ids. Throws naming the first bad record. */
export function compileAdvice(records: readonly AdviceRecord[], ruleIds: ReadonlySet<string>): CompiledAdvice[] {
  const ids = new Set<string>()
  return records.map((record) => {
    const {id} = record
    if (!ID.test(id)) throw new AdviceError(id, 'id must be kebab-case')
    if (ids.has(id)) throw new AdviceError(id, 'duplicate id')
    ids.add(id)
    const forRules = record.rules !== undefined && record.rules.length > 0
    const forOutcomes = record.outcomes !== undefined && record.outcomes.length > 0
    if (forRules === forOutcomes) throw new AdviceError(id, 'give either rules or outcomes')
    for (const rule of record.rules ?? []) if (!ruleIds.has(rule)) throw new AdviceError(id, `unknown rule '${rule}'`)
    for (const outcome of record.outcomes ?? [])
      if (!(OUTCOMES as readonly string[]).includes(outcome)) throw new AdviceError(id, `unknown outcome '${outcome}'`)
    for (const category of record.causeCategories ?? [])
      if (!(FINDING_CATEGORIES as readonly string[]).includes(category))
        throw new AdviceError(id, `unknown category '${category}'`)
    if (forRules && (record.causeCategories !== undefined || record.beforeBoot !== undefined))
      throw new AdviceError(id, 'causeCategories and beforeBoot are for outcomes')
    if (!record.text.trim()) throw new AdviceError(id, 'text is required')
    if (record.docs !== undefined && !DOCS.test(record.docs))
      throw new AdviceError(id, `docs must be a learn.microsoft.com Linux VM troubleshooting article: ${record.docs}`)
    if (record.repair !== undefined && !(REPAIR_ACTIONS as readonly string[]).includes(record.repair))
      throw new AdviceError(id, `unknown repair action '${record.repair}'`)
    return {
      ...record,
      subjectRegex: compile(id, record.subject),
      notSubjectRegex: compile(id, record.notSubject),
      namesSubject: record.text.includes('{subject}'),
    }
  })
}

function compile(id: string, pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw new AdviceError(id, `pattern does not compile: ${(error as Error).message}`)
  }
}

/** The advice for a finding of a rule, given the entries that list the rule and what the finding names. */
export function adviceForFinding(
  entries: readonly CompiledAdvice[],
  subject: string | undefined,
): AdviceChoice | undefined {
  for (const entry of entries) if (subjectFits(entry, subject)) return render(entry, subject)
  return undefined
}

export interface OutcomeContext {
  outcome: Outcome
  /** what the finding that explains the outcome (or the rule that decided it) names */
  subject?: string
  /** the category of the finding that explains the outcome */
  causeCategory?: FindingCategory
  /** the failure came before the boot completed */
  beforeBoot: boolean
}

/** The advice for a session's outcome, from the outcome entries of the catalogue. */
export function adviceForOutcome(
  entries: readonly CompiledAdvice[],
  context: OutcomeContext,
): AdviceChoice | undefined {
  for (const entry of entries) {
    if (!entry.outcomes?.includes(context.outcome)) continue
    if (
      entry.causeCategories &&
      (context.causeCategory === undefined || !entry.causeCategories.includes(context.causeCategory))
    )
      continue
    if (entry.beforeBoot !== undefined && entry.beforeBoot !== context.beforeBoot) continue
    if (subjectFits(entry, context.subject)) return render(entry, context.subject)
  }

  return undefined
}

function subjectFits(entry: CompiledAdvice, subject: string | undefined): boolean {
  if (subject === undefined || subject === '') {
    return !entry.subjectRegex && (!entry.namesSubject || entry.unnamed !== undefined)
  }

  return (!entry.subjectRegex || entry.subjectRegex.test(subject)) && !entry.notSubjectRegex?.test(subject)
}

function render(entry: CompiledAdvice, subject: string | undefined): AdviceChoice {
  const named = subject ? shorten(subject) : (entry.unnamed ?? '')
  const repair = entry.repair === undefined ? undefined : repairFor(entry.repair)
  const text = entry.text.replaceAll('{subject}', named)
  return {
    adviceId: entry.id,
    advice: repair ? `${text} ${repairSentence(repair)}` : text,
    ...(entry.docs === undefined ? {} : {docs: entry.docs}),
    ...(repair === undefined ? {} : {repair}),
  }
}

function shorten(subject: string): string {
  const trimmed = subject.trim().replace(/\.$/, '')
  return trimmed.length <= MAX_SUBJECT ? trimmed : `${trimmed.slice(0, MAX_SUBJECT - 1)}…`
}
