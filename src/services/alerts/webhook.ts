/**
 * Webhooks (`archive --notify URL`): a URL whose path or query is its secret (a Slack webhook's path, a
 * Teams workflow's `sig=`, an Azure Function's `code=`), so it is registered with the redactor the moment
 * it is read and shown only as `https://host/…`; and a JSON POST that is retried on 408/429/5xx and
 * network errors (honouring Retry-After, else backing off 1, 2, 4, 8 s with jitter) until a deadline, and
 * never throws: a message that cannot be delivered is a result, not an error.
 *
 * The POST goes through Node's fetch: HTTPS trusts the system roots and NODE_EXTRA_CA_CERTS; a proxy is
 * used when NODE_USE_ENV_PROXY=1 sets Node to honour HTTPS_PROXY / NO_PROXY.
 */
import type {Clock} from '../../context/run-context.js'
import {UsageError} from '../../errors.js'
import {redact, registerSecret} from '../../util/redact.js'

export interface Webhook {
  /** the whole URL: a secret, never printed */
  readonly url: string
  /** what may be shown: scheme, host and `/…` */
  readonly display: string
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost'])

/** --notify's value: an https URL (http only to loopback); its secret parts are registered with the redactor. */
export function parseWebhook(text: string, flag = '--notify'): Webhook {
  const value = text.trim()
  // Registered first: whatever happens next, the value never appears in a message.
  registerSecret(value)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`${flag} needs a URL such as https://hooks.slack.com/services/…; the value given is not one.`)
  }

  for (const part of [url.pathname, url.search, url.username, url.password, ...url.searchParams.values()])
    registerSecret(part)
  const display = `${url.protocol}//${url.host}/…`
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new UsageError(`${flag} must use https (got ${url.protocol}//${url.host}); plain http only to 127.0.0.1.`)
  return {display, url: url.toString()}
}

export interface PostOptions {
  /** the deadline (and Ctrl-C): once aborted, no attempt starts and a waiting one is dropped */
  signal: AbortSignal
  /** waits between attempts (the run's clock: tests do not wait) */
  sleep: Clock['sleep']
  /** one attempt's limit (default 10 s) */
  attemptTimeoutMs?: number
  /** attempts in all (default 5) */
  maxAttempts?: number
  /** [0, 1): the backoff's jitter (default Math.random) */
  random?: () => number
  userAgent?: string
}

export type PostResult =
  {ok: true; attempts: number; status: number} | {ok: false; attempts: number; reason: string; retryable: boolean}

export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000
export const DEFAULT_MAX_ATTEMPTS = 5
/** the longest Retry-After honoured; a longer one waits this long (the deadline still applies) */
const MAX_RETRY_AFTER_MS = 60_000

/** POST `body` as JSON, retried as the module comment says. The reason of a failure never holds the URL. */
export async function postJson(webhook: Webhook, body: unknown, options: PostOptions): Promise<PostResult> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  const random = options.random ?? Math.random
  const payload = JSON.stringify(body)
  let last: {reason: string; retryable: boolean} = {reason: 'not sent', retryable: true}
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (options.signal.aborted) return {attempts: attempt - 1, ok: false, ...stopped(options.signal, last)}
    let waitMs: number | undefined
    try {
      const response = await fetch(webhook.url, {
        body: payload,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          ...(options.userAgent ? {'user-agent': options.userAgent} : {}),
        },
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([
          options.signal,
          AbortSignal.timeout(options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS),
        ]),
      })
      const answer = await shortText(response)
      if (response.status >= 200 && response.status < 300) return {attempts: attempt, ok: true, status: response.status}
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500
      last = {reason: `HTTP ${response.status}${answer ? ` ${answer}` : ''}`, retryable}
      if (response.status >= 300 && response.status < 400) last.reason += ' (a redirect: give the final URL)'
      if (!retryable) return {attempts: attempt, ok: false, ...last}
      waitMs = retryAfterMs(response.headers.get('retry-after'))
    } catch (error) {
      if (options.signal.aborted) return {attempts: attempt, ok: false, ...stopped(options.signal, last)}
      last = {reason: networkReason(error), retryable: true}
    }

    if (attempt === maxAttempts) break
    const backoff = 1000 * 2 ** (attempt - 1) * (0.8 + 0.4 * random())
    try {
      await options.sleep(Math.min(waitMs ?? backoff, MAX_RETRY_AFTER_MS), options.signal)
    } catch {
      return {attempts: attempt, ok: false, ...stopped(options.signal, last)}
    }
  }

  return {attempts: maxAttempts, ok: false, ...last}
}

/** Why the attempts stopped: the deadline (or Ctrl-C) came, after what the last attempt met. */
function stopped(signal: AbortSignal, last: {reason: string; retryable: boolean}) {
  const why = signal.reason instanceof Error && signal.reason.name === 'InterruptedError' ? 'interrupted' : 'deadline'
  const reason = last.reason === 'not sent' ? `not sent before the ${why}` : `${last.reason}; then the ${why} came`
  return {reason, retryable: true}
}

/** The start of the answer's body (Slack says `no_service`, `invalid_payload`…), one line, secrets removed. */
async function shortText(response: Response): Promise<string> {
  try {
    const text = (await response.text()).replaceAll(/\s+/g, ' ').trim()
    return redact(text.length > 120 ? `${text.slice(0, 119)}…` : text)
  } catch {
    return ''
  }
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** A network failure in a few words (fetch hides it in `cause`); never the URL. */
function networkReason(error: unknown): string {
  const err = error as {name?: string; message?: string; cause?: {code?: string; message?: string}}
  if (err?.name === 'TimeoutError') return 'no answer in time'
  const code = err?.cause?.code
  if (code) return `network error ${code}`
  return `network error (${redact(String(err?.cause?.message ?? err?.message ?? error).split('\n')[0])})`
}
