/**
 * Error answers in the exact shapes the three Azure services use:
 * - Resource Manager: JSON CloudError `{"error":{"code","message"[,"target","details"]}}`
 *   (azure-rest-api-specs common-types; messages quoted from real responses, see arm.ts);
 * - Entra ID token endpoint: OAuth JSON `{"error","error_description":"AADSTSnnn: …","error_codes",…}`;
 * - Blob storage: XML `<Error><Code/><Message/></Error>` plus the `x-ms-error-code` header.
 */
import {randomUUID} from 'node:crypto'

export interface Reply {
  status: number
  headers?: Record<string, string | string[]>
  /** object → JSON; string/Buffer as is */
  body?: Buffer | object | string
}

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): Reply {
  return {body: body as object, headers: {'content-type': 'application/json; charset=utf-8', ...headers}, status}
}

// --- Resource Manager ------------------------------------------------------------------------------

export function armError(
  status: number,
  code: string,
  message: string,
  extra: {target?: string; details?: unknown[]; headers?: Record<string, string>} = {},
): Reply {
  const error: Record<string, unknown> = {code, message}
  if (extra.target) error.target = extra.target
  if (extra.details) error.details = extra.details
  return json(status, {error}, extra.headers ?? {})
}

/** Default ARM answer for an injected fault status. */
export function armFaultReply(status: number, code?: string, message?: string): Reply {
  switch (status) {
    case 429:
      // Compute's throttling answer (learn.microsoft.com …/troubleshooting-throttling-errors), in a CloudError.
      return armError(
        429,
        code ?? 'OperationNotAllowed',
        message ??
          'The server rejected the request because too many requests have been received for this subscription.',
        {
          details: [
            {
              code: 'TooManyRequests',
              message: JSON.stringify({
                allowedRequestCount: 800,
                measuredRequestCount: 1238,
                operationGroup: 'HighCostGet30Min',
              }),
              target: 'HighCostGet30Min',
            },
          ],
          headers: {
            'x-ms-ratelimit-remaining-resource':
              'Microsoft.Compute/HighCostGet3Min;0,Microsoft.Compute/HighCostGet30Min;0',
          },
        },
      )
    case 500:
      return armError(
        500,
        code ?? 'InternalServerError',
        message ?? 'An internal server error occurred. Please retry later.',
      )
    case 503:
      return armError(
        503,
        code ?? 'ServiceUnavailable',
        message ?? 'The service is temporarily unavailable. Please retry later.',
      )
    default:
      return armError(status, code ?? 'Error', message ?? `Injected fault ${status}.`)
  }
}

// --- Entra ID ------------------------------------------------------------------------------------------

/** The token endpoint's error body (AADSTS code and text, trace and correlation IDs, timestamp). */
export function aadError(status: number, error: string, aadsts: number, text: string, authorityHost: string): Reply {
  const traceId = randomUUID()
  const correlationId = randomUUID()
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  return json(status, {
    correlation_id: correlationId,
    error,
    error_codes: [aadsts],
    error_description: `AADSTS${aadsts}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_uri: `${authorityHost}/error?code=${aadsts}`,
    timestamp,
    trace_id: traceId,
  })
}

// --- Blob storage ---------------------------------------------------------------------------------------

const BLOB_MESSAGES: Record<string, string> = {
  AuthenticationFailed:
    'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
  AuthorizationFailure: 'This request is not authorized to perform this operation.',
  AuthorizationPermissionMismatch: 'This request is not authorized to perform this operation using this permission.',
  BlobNotFound: 'The specified blob does not exist.',
  InternalError: 'Server encountered an internal error. Please try again after some time.',
  ServerBusy: 'The server is busy.',
}

export function blobError(
  status: number,
  code: string,
  options: {
    message?: string
    authenticationErrorDetail?: string
    method?: string
    headers?: Record<string, string>
  } = {},
): Reply {
  const requestId = randomUUID()
  const text = `${options.message ?? BLOB_MESSAGES[code] ?? code}\nRequestId:${requestId}\nTime:${new Date().toISOString().replace(/Z$/, '0000Z')}`
  const detail = options.authenticationErrorDetail
    ? `<AuthenticationErrorDetail>${escapeXml(options.authenticationErrorDetail)}</AuthenticationErrorDetail>`
    : ''
  const headers: Record<string, string> = {
    'x-ms-error-code': code,
    'x-ms-request-id': requestId,
    'x-ms-version': '2026-10-06',
    ...options.headers,
  }
  if (options.method === 'HEAD') return {headers, status}
  return {
    body: `\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escapeXml(text)}</Message>${detail}</Error>`,
    headers: {'content-type': 'application/xml', ...headers},
    status,
  }
}

/** Default blob answer for an injected fault status. */
export function blobFaultReply(
  status: number,
  method: string,
  fault: {errorCode?: string; message?: string; authenticationErrorDetail?: string} = {},
): Reply {
  const defaultCode =
    status === 403 ? 'AuthorizationFailure' : status === 503 || status === 429 ? 'ServerBusy' : 'InternalError'
  return blobError(status, fault.errorCode ?? defaultCode, {
    authenticationErrorDetail: fault.authenticationErrorDetail,
    message: fault.message,
    method,
  })
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** RFC 1123 date as storage prints it in AuthenticationErrorDetail. */
export function httpDate(date: Date): string {
  return date.toUTCString()
}
