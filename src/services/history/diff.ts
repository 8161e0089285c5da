/**
 * `bootdiag diff SNAPSHOT_A SNAPSHOT_B` (and `history --diff`): what is new in B — the boot sessions that
 * started after A's log ended (or all of B's, when its log replaced A's) and the findings B has that A had
 * not. A snapshot is named by its folder (a path), its id `<subscriptionId>/<resourceGroup>/<vm>/<name>`
 * (as history prints it; `<resourceGroup>/<vm>/<name>` when one subscription has it), or its location in a
 * Blob-container archive.
 */
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {mkdtemp, open, readFile, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

import {analyze} from '../../analysis/index.js'
import {failureSignature} from '../../analysis/signature.js'
import type {AnalysisReport, Finding, Session} from '../../analysis/types.js'
import {NotFoundError, fileSystemError} from '../../errors.js'
import {type VmLocation, SNAPSHOT_DIR_PATTERN} from '../../store/layout.js'
import type {SnapshotManifest} from '../../store/manifest.js'
import {indexVmKey} from '../../store/index/records.js'
import type {IndexView} from '../../store/index/reader.js'
import type {ArchiveStore} from '../../store/store.js'
import {type IndexContext, openIndex, snapshotId} from '../report/open-index.js'
import {type HistoryOptions, findVm} from './history.js'

export interface DiffSide {
  /** the snapshot's id in the archive, or the folder given */
  snapshot: string
  path: string
  takenAt: string | null
  outcome: string
  lastStage: string | null
  summary: string
  signature: string | null
  bytes: number
  lines: number
  sessions: number
}

export interface SessionChange {
  /** new: started after A's log ended (or B's log replaced A's); continued: began in A, went on in B */
  status: 'new' | 'continued'
  index: number
  startLine: number
  endLine: number
  kernel: string | null
  partial: boolean
  outcome: string
  lastStage: string | null
  summary?: string
}

export interface SnapshotDiff {
  a: DiffSide
  b: DiffSide
  /** same: identical logs; grown: B's log is A's with more after it; replaced: another log */
  relation: 'same' | 'grown' | 'replaced'
  /** the verdict (outcome or last stage) differs */
  verdictChanged: boolean
  /** sessions new in B (line numbers are B's) */
  sessions: SessionChange[]
  /** findings new in B, with the session they are in */
  findings: Array<Finding & {session: number}>
}

interface Resolved {
  label: string
  path: string
  manifest?: SnapshotManifest
  name?: string
}

export async function diffSnapshots(context: IndexContext, a: string, b: string): Promise<SnapshotDiff> {
  const scratch = await mkdtemp(join(tmpdir(), 'bootdiag-diff-'))
  let opened: {store: ArchiveStore; view: IndexView} | undefined
  const index = async () => (opened ??= await openIndex(context))
  try {
    const [first, second] = [
      await resolveSnapshot(a, index, scratch, 'a'),
      await resolveSnapshot(b, index, scratch, 'b'),
    ]
    return await compareLogs(first, second, context.signal)
  } finally {
    await opened?.view.close()
    await rm(scratch, {force: true, recursive: true})
  }
}

/** `history --diff`: the VM's latest snapshot against the one before it. */
export async function diffLatest(context: IndexContext, options: HistoryOptions): Promise<SnapshotDiff> {
  const scratch = await mkdtemp(join(tmpdir(), 'bootdiag-diff-'))
  const {store, view} = await openIndex(context)
  try {
    const vmKey = findVm(view, options, store)
    const records = view.records(vmKey).filter((r) => r.log)
    if (records.length < 2)
      throw new NotFoundError(
        `VM '${records.at(-1)?.vmName ?? options.name}' has ${records.length === 0 ? 'no snapshot' : 'one snapshot'} with a serial log in the archive: nothing to compare.`,
        {code: 'SnapshotNotFound'},
      )
    const [a, b] = [records.at(-2)!, records.at(-1)!]
    const resolveOne = async (record: typeof a, tag: string): Promise<Resolved> => {
      const vm = {name: record.vmName, resourceGroup: record.resourceGroup, subscriptionId: record.subscriptionId}
      const path = await store.localFile(vm, record.name, 'serial.log', join(scratch, `${tag}-serial.log`))
      if (!path)
        throw new NotFoundError(`The serial.log of snapshot ${record.name} is gone from the archive.`, {
          code: 'SnapshotNotFound',
        })
      return {
        label: snapshotId(vmKey, record.name),
        manifest: await store.readManifest(vm, record.name),
        name: record.name,
        path,
      }
    }

    return await compareLogs(await resolveOne(a, 'a'), await resolveOne(b, 'b'), context.signal)
  } finally {
    await view.close()
    await rm(scratch, {force: true, recursive: true})
  }
}

/** Two snapshots already resolved to local logs. */
export async function compareLogs(a: Resolved, b: Resolved, signal?: AbortSignal): Promise<SnapshotDiff> {
  const [reportA, reportB] = [await analyseFile(a.path, signal), await analyseFile(b.path, signal)]
  const relation = await relationOf(a, b)
  let sessions: SessionChange[] = []
  let findings: SnapshotDiff['findings'] = []
  if (relation.kind === 'replaced') {
    sessions = reportB.sessions.map((s) => sessionChange(s, 'new'))
    const seen = new Map<string, number>()
    for (const f of reportA.sessions.flatMap((s) => s.findings))
      seen.set(findingKey(f), (seen.get(findingKey(f)) ?? 0) + 1)
    for (const session of reportB.sessions) {
      for (const f of session.findings) {
        const left = seen.get(findingKey(f)) ?? 0
        if (left > 0) seen.set(findingKey(f), left - 1)
        else findings.push({...f, session: session.index})
      }
    }
  } else if (relation.kind === 'grown') {
    const boundary = relation.lines
    const before = new Map(reportA.sessions.map((s) => [s.index, s]))
    for (const session of reportB.sessions) {
      if (session.startLine > boundary) sessions.push(sessionChange(session, 'new'))
      else if (session.endLine > boundary) {
        const earlier = before.get(session.index)
        const grewFindings = session.findings.some((f) => f.line > boundary)
        if (grewFindings || earlier?.outcome !== session.outcome || earlier?.lastStage !== session.lastStage)
          sessions.push(sessionChange(session, 'continued'))
      }

      for (const f of session.findings) if (f.line > boundary) findings.push({...f, session: session.index})
    }
  }

  findings = findings.sort((x, y) => x.line - y.line)
  return {
    a: side(a, reportA),
    b: side(b, reportB),
    findings,
    relation: relation.kind,
    sessions,
    verdictChanged:
      reportA.verdict.outcome !== reportB.verdict.outcome || reportA.verdict.lastStage !== reportB.verdict.lastStage,
  }
}

function sessionChange(session: Session, status: SessionChange['status']): SessionChange {
  return {
    endLine: session.endLine,
    index: session.index,
    kernel: session.kernel,
    lastStage: session.lastStage,
    outcome: session.outcome,
    partial: session.partial,
    startLine: session.startLine,
    status,
    ...(session.summary ? {summary: session.summary} : {}),
  }
}

/** A finding's identity across logs: its rule and its text without numbers (times, pids, addresses, counts). */
function findingKey(finding: Finding): string {
  return `${finding.rule} ${finding.text
    .replaceAll(/0x[0-9a-f]+|\d+/gi, 'N')
    .replaceAll(/\s+/g, ' ')
    .trim()}`
}

function side(resolved: Resolved, report: AnalysisReport): DiffSide {
  return {
    bytes: report.bytes,
    lastStage: report.verdict.lastStage,
    lines: report.lines,
    outcome: report.verdict.outcome,
    path: resolved.path,
    sessions: report.sessions.length + (report.sessionsOmitted ?? 0),
    signature: failureSignature(report.verdict),
    snapshot: resolved.label,
    summary: report.verdict.summary,
    takenAt: resolved.manifest?.takenAt ?? null,
  }
}

async function analyseFile(path: string, signal?: AbortSignal): Promise<AnalysisReport> {
  const stream = createReadStream(path, {highWaterMark: 1024 * 1024, signal})
  return analyze(stream, {source: path})
}

/** How B's log relates to A's: the same bytes, A's content followed by more, or another log. */
async function relationOf(
  a: Resolved,
  b: Resolved,
): Promise<{kind: 'same'} | {kind: 'grown'; lines: number} | {kind: 'replaced'}> {
  const [sizeA, sizeB] = [(await stat(a.path)).size, (await stat(b.path)).size]
  let prefix = await contentLength(a.path, sizeA)
  const declared = b.manifest?.files?.['serial.log']?.continues
  if (declared && a.name && declared.snapshot === a.name) prefix = Math.min(prefix, declared.bytes)
  if (sizeA === sizeB && (await hashRange(a.path, sizeA)) === (await hashRange(b.path, sizeB))) return {kind: 'same'}
  if (prefix > sizeB || prefix === 0) return {kind: 'replaced'}
  if ((await hashRange(a.path, prefix)) !== (await hashRange(b.path, prefix))) return {kind: 'replaced'}
  return {kind: 'grown', lines: await countLines(a.path, prefix)}
}

/** The file's length without the NUL padding a page blob ends with. */
async function contentLength(path: string, size: number): Promise<number> {
  const tail = Math.min(size, 65_536)
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(tail)
    await handle.read(buffer, 0, tail, size - tail)
    let end = tail
    while (end > 0 && buffer[end - 1] === 0) end--
    return size - tail + end
  } finally {
    await handle.close()
  }
}

async function hashRange(path: string, bytes: number): Promise<string> {
  const hash = createHash('sha256')
  if (bytes > 0) for await (const chunk of createReadStream(path, {end: bytes - 1})) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Complete lines in the first `bytes` bytes. */
async function countLines(path: string, bytes: number): Promise<number> {
  let lines = 0
  if (bytes === 0) return 0
  for await (const chunk of createReadStream(path, {end: bytes - 1})) {
    const data = chunk as Buffer
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) lines++
  }

  return lines
}

/** A snapshot folder on disk, or a snapshot of the archive by id or location. */
async function resolveSnapshot(
  reference: string,
  index: () => Promise<{store: ArchiveStore; view: IndexView}>,
  scratch: string,
  tag: string,
): Promise<Resolved> {
  const folder = await stat(reference).catch(() => undefined)
  if (folder?.isDirectory()) {
    const path = join(reference, 'serial.log')
    if (!(await stat(path).catch(() => undefined))?.isFile())
      throw new NotFoundError(
        `${reference} holds no serial.log, so it is not a snapshot. Pass a snapshot folder or id.`,
        {
          code: 'NotASnapshot',
        },
      )
    const manifest = await readFile(join(reference, 'snapshot.json'), 'utf8')
      .then((text) => JSON.parse(text) as SnapshotManifest)
      .catch(() => undefined)
    return {label: resolve(reference), manifest, name: lastSegment(reference), path}
  }

  const {store, view} = await index()
  const relative = reference.startsWith(`${store.location}/`) ? reference.slice(store.location.length + 1) : reference
  const parts = relative.split('/').filter(Boolean)
  const name = parts.at(-1) ?? ''
  let vm: VmLocation | undefined
  if (parts.length === 4) vm = {name: parts[2], resourceGroup: parts[1], subscriptionId: parts[0]}
  else if (parts.length === 3) {
    const matches = view.vmsNamed(parts[0], parts[1])
    if (matches.length === 1) {
      const [subscriptionId, resourceGroup, vmName] = matches[0].split('/')
      vm = {name: vmName, resourceGroup, subscriptionId}
    }
  }

  if (!vm || !SNAPSHOT_DIR_PATTERN.test(name))
    throw new NotFoundError(
      `'${reference}' is neither a snapshot folder nor a snapshot of the archive ${store.location}. Pass a folder, or an id as 'bootdiag history' prints it (<subscriptionId>/<resourceGroup>/<vm>/<snapshot>).`,
      {code: 'SnapshotNotFound'},
    )
  const path = await store
    .localFile(vm, name, 'serial.log', join(scratch, `${tag}-serial.log`))
    .catch((error: unknown) => {
      throw fileSystemError(error, {what: reference, writing: false}) ?? error
    })
  if (!path)
    throw new NotFoundError(`The archive ${store.location} holds no serial.log of snapshot ${reference}.`, {
      code: 'SnapshotNotFound',
    })
  return {label: snapshotId(indexVmKey(vm), name), manifest: await store.readManifest(vm, name), name, path}
}

function lastSegment(path: string): string {
  return resolve(path).split(/[\\/]/).pop() ?? ''
}
