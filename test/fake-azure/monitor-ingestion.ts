/**
 * The fake of Azure Monitor's Logs Ingestion API: a data collection endpoint (DCE) on 127.0.0.1 over HTTPS
 * that checks what a client really sends, against the REST spec
 * (azure-rest-api-specs, specification/monitor/data-plane/ingestion/stable/2023-01-01/DataCollectionRules.json):
 *
 *   POST {endpoint}/dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01
 *   Authorization: Bearer <token for https://monitor.azure.com/.default>
 *   Content-Type: application/json; Content-Encoding: gzip (optional in the spec; the JS SDK always sends it)
 *   body: a JSON array of objects (the stream's rows) → 204 No Content
 *
 * Checked, in this order: the api-version; the bearer token (signature, expiry, audience
 * `https://monitor.azure.com`); the body's size — at most 1 MB (1,048,576 bytes) as sent and once
 * decompressed, Azure Monitor's documented limit per call; gzip that decodes; a JSON array of objects; the
 * rule (by its immutable ID) and the stream it declares; the caller's 'Monitoring Metrics Publisher' role
 * on the rule. Rows are kept per rule with what the declaration says of them: columns it does not declare
 * and values of the wrong type (the real service drops the first and nulls the second without an error).
 * Errors use the spec's Azure.Core ErrorResponse `{"error":{"code","message"}}` with `x-ms-error-code`
 * (the spec leaves every status but 204 to "default"); the statuses are HTTP's own for each case, the codes
 * and messages the fake's (unverified against the real service). An injected 429 or 503 says
 * `Retry-After: 0`, so the SDK's retry comes at once and no test waits.
 */
import {gunzipSync} from 'node:zlib'

import type {Route, RouteContext} from './http.js'
import {json, type Reply} from './responses.js'
import type {FakeAzureState} from './state.js'
import type {TokenIssuer} from './tokens.js'

export const INGESTION_API_VERSION = '2023-01-01'
export const MONITOR_AUDIENCE = 'https://monitor.azure.com'
/** 1 MB per call, compressed and uncompressed alike */
export const MAX_CALL_BYTES = 1_048_576

export type ColumnType = 'boolean' | 'datetime' | 'dynamic' | 'int' | 'long' | 'real' | 'string'

export interface RuleInit {
  /** the stream's name, e.g. Custom-BootDiagnostics_CL */
  stream: string
  columns: Array<{name: string; type: ColumnType | string}>
  /** object IDs that hold 'Monitoring Metrics Publisher' on the rule (default: the fake's default principal) */
  publishers?: string[]
}

/** What one accepted (or refused) call carried. */
export interface IngestionCall {
  status: number
  stream: string
  apiVersion?: string
  contentEncoding?: string
  contentType?: string
  /** bytes as sent, and once decompressed */
  bytes: number
  decodedBytes?: number
  rows: number
  audience?: string
  userAgent?: string
}

export interface FakeDataCollectionRule {
  /** dcr- and 32 hex digits */
  immutableId: string
  stream: string
  columns: Map<string, string>
  publishers: Set<string>
  /** accepted rows, in arrival order */
  rows: Array<Record<string, unknown>>
  /** per accepted row: its columns the declaration lacks, and its values of the wrong type */
  problems: Array<{row: number; undeclared: string[]; mistyped: string[]}>
  calls: IngestionCall[]
}

export interface IngestionDeps {
  state: FakeAzureState
  issuer: TokenIssuer
  /** the object ID given publish rights by default */
  defaultPublisher(): string
}

export class FakeIngestion {
  readonly rules = new Map<string, FakeDataCollectionRule>()

  constructor(private readonly deps: IngestionDeps) {}

  addRule(init: RuleInit): FakeDataCollectionRule {
    const immutableId = `dcr-${crypto.randomUUID().replaceAll('-', '')}`
    const rule: FakeDataCollectionRule = {
      calls: [],
      columns: new Map(init.columns.map((column) => [column.name, column.type.toLowerCase()])),
      immutableId,
      problems: [],
      publishers: new Set(init.publishers ?? [this.deps.defaultPublisher()]),
      rows: [],
      stream: init.stream,
    }
    this.rules.set(immutableId.toLowerCase(), rule)
    return rule
  }

  routes(): Route[] {
    return [
      {
        handle: (ctx) => this.upload(ctx),
        method: 'POST',
        name: 'ingestion.upload',
        pattern: /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)\/?$/i,
      },
    ]
  }

  notFound(ctx: RouteContext): Reply {
    return ingestionError(
      404,
      'NotFound',
      `The fake data collection endpoint does not serve ${ctx.method} ${ctx.url.pathname}.`,
    )
  }

  private upload(ctx: RouteContext): Reply {
    const [ruleId, stream] = ctx.params
    const rule = this.rules.get(ruleId.toLowerCase())
    const call: IngestionCall = {
      apiVersion: ctx.query('api-version'),
      bytes: ctx.body.length,
      contentEncoding: header(ctx, 'content-encoding'),
      contentType: header(ctx, 'content-type'),
      rows: 0,
      status: 0,
      stream,
      userAgent: header(ctx, 'user-agent'),
    }
    const reply = this.check(ctx, call, rule, stream)
    call.status = reply.status
    rule?.calls.push(call)
    return reply
  }

  private check(
    ctx: RouteContext,
    call: IngestionCall,
    rule: FakeDataCollectionRule | undefined,
    stream: string,
  ): Reply {
    if (call.apiVersion !== INGESTION_API_VERSION)
      return ingestionError(
        400,
        'InvalidApiVersion',
        `The api-version '${call.apiVersion ?? ''}' is not supported; use '${INGESTION_API_VERSION}'.`,
      )

    const bearer = /^Bearer\s+(\S+)$/i.exec(header(ctx, 'authorization') ?? '')
    if (!bearer) return ingestionError(401, 'InvalidToken', 'The request has no bearer token.')
    const checked = this.deps.issuer.check(bearer[1])
    if (!checked.ok)
      return ingestionError(
        401,
        'InvalidToken',
        checked.reason === 'expired' ? 'The access token has expired.' : 'The access token is invalid.',
      )
    call.audience = String(checked.claims.aud)
    if (call.audience.replace(/\/+$/, '').toLowerCase() !== MONITOR_AUDIENCE)
      return ingestionError(
        401,
        'InvalidTokenAudience',
        `The access token was issued for '${call.audience}'; the Logs Ingestion API takes tokens for '${MONITOR_AUDIENCE}'.`,
      )

    if (ctx.body.length > MAX_CALL_BYTES)
      return ingestionError(
        413,
        'ContentLengthLimitExceeded',
        `The request is ${ctx.body.length} bytes; at most ${MAX_CALL_BYTES} are allowed per call.`,
      )
    let decoded = ctx.body
    if (call.contentEncoding?.toLowerCase() === 'gzip') {
      try {
        decoded = gunzipSync(ctx.body, {maxOutputLength: MAX_CALL_BYTES + 1})
      } catch (error) {
        const tooLarge =
          (error as {code?: string}).code === 'ERR_BUFFER_TOO_LARGE' ||
          /larger than|maxOutputLength/i.test(String(error))
        return tooLarge
          ? ingestionError(
              413,
              'ContentLengthLimitExceeded',
              `The decompressed request is over ${MAX_CALL_BYTES} bytes.`,
            )
          : ingestionError(
              400,
              'InvalidContentEncoding',
              'The body is not valid gzip, though Content-Encoding says gzip.',
            )
      }
    } else if (call.contentEncoding) {
      return ingestionError(
        400,
        'InvalidContentEncoding',
        `Content-Encoding '${call.contentEncoding}' is not supported; use gzip.`,
      )
    }

    call.decodedBytes = decoded.length
    if (decoded.length > MAX_CALL_BYTES)
      return ingestionError(
        413,
        'ContentLengthLimitExceeded',
        `The decompressed request is ${decoded.length} bytes; at most ${MAX_CALL_BYTES} are allowed per call.`,
      )
    if (!/^application\/json\b/i.test(call.contentType ?? ''))
      return ingestionError(
        400,
        'InvalidContentType',
        `Content-Type '${call.contentType ?? ''}' is not application/json.`,
      )
    let body: unknown
    try {
      body = JSON.parse(decoded.toString('utf8'))
    } catch {
      return ingestionError(400, 'InvalidPayload', 'The body is not valid JSON.')
    }

    if (!Array.isArray(body) || body.some((row) => typeof row !== 'object' || row === null || Array.isArray(row)))
      return ingestionError(400, 'InvalidPayload', 'The body must be a JSON array of objects.')

    if (!rule)
      return ingestionError(404, 'DataCollectionRuleNotFound', `Data collection rule '${ctx.params[0]}' was not found.`)
    if (rule.stream.toLowerCase() !== stream.toLowerCase())
      return ingestionError(
        404,
        'InvalidStream',
        `Stream '${stream}' is not declared in data collection rule '${rule.immutableId}'.`,
      )
    if (!rule.publishers.has(String(checked.claims.oid)))
      return ingestionError(
        403,
        'OperationFailed',
        `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${rule.immutableId}'.`,
      )

    call.rows = body.length
    for (const row of body as Array<Record<string, unknown>>) {
      const undeclared = Object.keys(row).filter((name) => !rule.columns.has(name))
      const mistyped = Object.entries(row)
        .filter(([name, value]) => rule.columns.has(name) && !fitsType(value, rule.columns.get(name)!))
        .map(([name]) => name)
      if (undeclared.length > 0 || mistyped.length > 0)
        rule.problems.push({mistyped, row: rule.rows.length, undeclared})
      rule.rows.push(row)
    }

    return {status: 204}
  }
}

function header(ctx: RouteContext, name: string): string | undefined {
  const value = ctx.req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** A value the declared column type takes (null is always taken). */
function fitsType(value: unknown, type: string): boolean {
  if (value === null) return true
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'int':
    case 'long':
      return typeof value === 'number' && Number.isInteger(value)
    case 'real':
      return typeof value === 'number'
    case 'boolean':
      return typeof value === 'boolean'
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value))
    default:
      return true
  }
}

/** The spec's Azure.Core ErrorResponse, with x-ms-error-code. */
export function ingestionError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return json(status, {error: {code, message}}, {'x-ms-error-code': code, ...headers})
}

/** The answer to an injected fault status (429 and 503 with Retry-After as Azure Monitor throttles). */
export function ingestionFaultReply(status: number, message?: string): Reply {
  if (status === 429)
    return ingestionError(
      429,
      'TooManyRequests',
      message ?? 'The request rate is over the data collection rule’s limit.',
      {
        'retry-after': '0',
      },
    )
  if (status >= 500)
    return ingestionError(status, 'ServiceUnavailable', message ?? `Injected fault ${status}.`, {'retry-after': '0'})
  return ingestionError(status, 'InjectedFault', message ?? `Injected fault ${status}.`)
}
