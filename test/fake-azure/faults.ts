/**
 * Injected faults: per-route latency, a hold (until the test lets the request go), error answers (429 with Retry-After, 500, 503, a 403 with a chosen
 * `x-ms-error-code`), a connection reset mid-body, a body cut short. The same rules apply to the fake ARM
 * and sign-in servers (in process) and to the storage proxy in front of Azurite (which forwards real bytes).
 *
 * Fractions are deterministic, not random: a rule with `fraction: 0.25` hits the 4th, 8th, … matching
 * request, so a test's outcome never depends on luck.
 *
 * Storage error codes worth knowing: AuthorizationPermissionMismatch = the identity lacks the Storage Blob
 * Data Reader role; AuthorizationFailure = the storage firewall; AuthenticationFailed = a bad or expired SAS.
 */
import type {Service} from './request-log.js'

export interface FaultRule {
  /** a label for the request log */
  name?: string
  service?: Service | Service[]
  /** route name ('virtualMachines.retrieveBootDiagnosticsData', 'blob.get', 'aad.token', …) or a pattern */
  route?: RegExp | string
  method?: string
  /** matched against the path without the query */
  path?: RegExp
  /** VM name (case-insensitive) */
  vm?: string
  /** hit this share of the matching requests, spread evenly and deterministically (default 1: all) */
  fraction?: number
  /** let the first N matching requests through untouched */
  after?: number
  /** hit at most N requests */
  times?: number

  /** wait this long before answering (or forwarding) */
  latencyMs?: number
  /** hold the request until this settles, then answer (or forward): a request kept in flight for as long as a test needs */
  holdUntil?: Promise<unknown>
  /** answer with this status instead of the real answer */
  status?: number
  /** with `status`: a Retry-After header */
  retryAfterSeconds?: number
  /** with `status`: the error code (ARM `error.code`, storage `x-ms-error-code`) */
  errorCode?: string
  /** with `status`: the error message */
  message?: string
  /** with `status` on storage: the AuthenticationErrorDetail element */
  authenticationErrorDetail?: string
  /** send the real headers and this many body bytes, then reset the connection */
  resetAfterBytes?: number
  /** send the real headers (with the full Content-Length) and this many body bytes, then close */
  cutAfterBytes?: number
  /** send only this many body bytes with a Content-Length that says so: a silently short body */
  shortBodyBytes?: number
}

export interface RequestInfo {
  service: Service
  method: string
  path: string
  route: string
  vm?: string
}

export type FaultAction =
  | {
      authenticationErrorDetail?: string
      errorCode?: string
      kind: 'respond'
      message?: string
      retryAfterSeconds?: number
      status: number
    }
  | {afterBytes: number; kind: 'cut'}
  | {afterBytes: number; kind: 'reset'}
  | {bytes: number; kind: 'short'}

export interface FaultDecision {
  latencyMs: number
  /** settle these before answering (rules with holdUntil) */
  holds: Array<Promise<unknown>>
  action?: FaultAction
  /** human-readable, for the request log */
  description?: string
}

export interface FaultHandle {
  readonly rule: FaultRule
  /** requests this rule changed so far */
  readonly hits: number
  remove(): void
}

interface ActiveRule {
  rule: FaultRule
  seen: number
  hits: number
}

export class FaultInjector {
  private rules: ActiveRule[] = []

  /** Add a rule; earlier rules win for the answer, latencies add up. */
  add(rule: FaultRule): FaultHandle {
    const active: ActiveRule = {hits: 0, rule, seen: 0}
    this.rules.push(active)
    return {
      get hits() {
        return active.hits
      },
      remove: () => {
        this.rules = this.rules.filter((r) => r !== active)
      },
      rule,
    }
  }

  clear(): void {
    this.rules = []
  }

  get size(): number {
    return this.rules.length
  }

  /** What to do with this request. Counts it against every matching rule. */
  decide(info: RequestInfo): FaultDecision {
    const decision: FaultDecision = {holds: [], latencyMs: 0}
    const notes: string[] = []
    for (const active of this.rules) {
      const {rule} = active
      if (!ruleMatches(rule, info)) continue
      active.seen++
      const eligible = active.seen - (rule.after ?? 0)
      if (eligible <= 0) continue
      if (rule.times !== undefined && active.hits >= rule.times) continue
      const fraction = rule.fraction ?? 1
      if (fraction < 1 && !(Math.floor(eligible * fraction) > Math.floor((eligible - 1) * fraction))) continue
      const action = actionOf(rule)
      if (action && decision.action) continue
      active.hits++
      if (rule.latencyMs) {
        decision.latencyMs += rule.latencyMs
        notes.push(`latency ${rule.latencyMs} ms`)
      }

      if (rule.holdUntil) {
        decision.holds.push(rule.holdUntil.catch(() => {}))
        notes.push('held')
      }

      if (action) {
        decision.action = action
        notes.push(describe(action))
      }
    }

    if (notes.length > 0) decision.description = notes.join(', ')
    return decision
  }
}

function ruleMatches(rule: FaultRule, info: RequestInfo): boolean {
  if (rule.service) {
    const services = Array.isArray(rule.service) ? rule.service : [rule.service]
    if (!services.includes(info.service)) return false
  }

  if (rule.method && rule.method.toUpperCase() !== info.method.toUpperCase()) return false
  if (
    rule.route !== undefined &&
    (typeof rule.route === 'string' ? rule.route !== info.route : !rule.route.test(info.route))
  )
    return false
  if (rule.path && !rule.path.test(info.path)) return false
  if (rule.vm && rule.vm.toLowerCase() !== info.vm?.toLowerCase()) return false
  return true
}

function actionOf(rule: FaultRule): FaultAction | undefined {
  if (rule.status !== undefined) {
    return {
      authenticationErrorDetail: rule.authenticationErrorDetail,
      errorCode: rule.errorCode,
      kind: 'respond',
      message: rule.message,
      retryAfterSeconds: rule.retryAfterSeconds,
      status: rule.status,
    }
  }

  if (rule.resetAfterBytes !== undefined) return {afterBytes: rule.resetAfterBytes, kind: 'reset'}
  if (rule.cutAfterBytes !== undefined) return {afterBytes: rule.cutAfterBytes, kind: 'cut'}
  if (rule.shortBodyBytes !== undefined) return {bytes: rule.shortBodyBytes, kind: 'short'}
  return undefined
}

function describe(action: FaultAction): string {
  switch (action.kind) {
    case 'respond':
      return `status ${action.status}${action.errorCode ? ` ${action.errorCode}` : ''}`
    case 'reset':
      return `reset after ${action.afterBytes} bytes`
    case 'cut':
      return `cut after ${action.afterBytes} bytes`
    case 'short':
      return `short body of ${action.bytes} bytes`
  }
}
