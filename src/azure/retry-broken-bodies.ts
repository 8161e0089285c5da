/**
 * The Azure SDKs' retry policies retry a request that failed before its answer came (a refused or reset
 * connection) or whose status says so (429, 5xx) — but not one whose body broke after the headers arrived
 * (a connection reset mid-body, a body cut short): core-rest-pipeline reports that as a PARSE_ERROR,
 * "Error reading response as text: aborted", and gives up. A fleet run then loses a VM to one bad packet.
 *
 * This policy sits inside the retry loop, next to the transport. For a request that only reads — GET,
 * HEAD, and the read-only POST actions bootdiag makes (retrieveBootDiagnosticsData, a Resource Graph
 * query) — it reports such a break as the connection reset it is, which the retry policy retries with its
 * usual backoff and limit (BOOTDIAG_MAX_RETRIES). A request that changes something (a restart, a
 * redeploy) is never sent twice: its broken answer stays an error.
 *
 * Blob bodies are streamed, not read here: the blob reader (blob-reader.ts) resumes those itself.
 */
import {type PipelinePolicy, type PipelineRequest, RestError} from '@azure/core-rest-pipeline'

export const RETRY_BROKEN_BODIES_POLICY = 'bootdiagRetryBrokenBodies'

/** POST actions that only read. */
const READ_ONLY_POSTS = [/\/retrieveBootDiagnosticsData$/i, /\/providers\/Microsoft\.ResourceGraph\/resources$/i]

export const retryBrokenBodiesPolicy: PipelinePolicy = {
  name: RETRY_BROKEN_BODIES_POLICY,
  async sendRequest(request, next) {
    try {
      return await next(request)
    } catch (error) {
      if (!isBrokenBody(error) || !readsOnly(request)) throw error
      throw new RestError(`${(error as Error).message} (the connection broke after the answer's headers)`, {
        code: 'ECONNRESET',
        request,
      })
    }
  },
}

/** The policy as the SDK clients' `additionalPolicies` take it. */
export function retryBrokenBodiesPolicies(): Array<{policy: PipelinePolicy; position: 'perRetry'}> {
  return [{policy: retryBrokenBodiesPolicy, position: 'perRetry'}]
}

/** A body that could not be read to its end (not a Ctrl-C: an AbortError is passed on as it is). */
export function isBrokenBody(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === 'AbortError') return false
  const code = (error as {code?: string}).code
  return code === 'PARSE_ERROR' && /^Error reading response as text: /.test(error.message)
}

export function readsOnly(request: PipelineRequest): boolean {
  const method = request.method.toUpperCase()
  if (method === 'GET' || method === 'HEAD') return true
  if (method !== 'POST') return false
  try {
    const path = new URL(request.url).pathname
    return READ_ONLY_POSTS.some((pattern) => pattern.test(path))
  } catch {
    return false
  }
}
