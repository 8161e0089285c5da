/**
 * The one secret scrubber. Every byte bootdiag writes to stdout, stderr, a debug log, an error message
 * or a file that could carry a URL or an HTTP exchange passes through `redact`.
 *
 * It removes: SAS query strings (any URL query holding `sig=`), bare `sig=` values, bearer tokens, JWTs,
 * token/secret/key fields in JSON and form bodies, storage connection-string keys, and any value
 * registered with `registerSecret` (e.g. the client secret read from the environment).
 */

const REDACTED = '<redacted>'

/** Exact values that must never appear (client secrets and the like), longest first. */
const registeredSecrets = new Set<string>()

/** Never print this exact value, wherever it appears. Values shorter than 8 characters are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) registeredSecrets.add(value)
}

interface Rule {
  pattern: RegExp
  replace: string | ((match: string, ...groups: string[]) => string)
}

// Each pattern is linear: bounded character classes, no nested quantifiers.
const rules: Rule[] = [
  // A URL whose query string carries a SAS signature: keep scheme, host and path, drop the query.
  {
    pattern: /(\bhttps?:\/\/[^\s"'<>?#]+)\?([^\s"'<>#]*\bsig=[^\s"'<>#]*)/gi,
    replace: (_m, base: string) => `${base}?${REDACTED}`,
  },
  // A SAS signature outside a URL (query fragments in messages, headers).
  {pattern: /\b(sig|signature)=[^&\s"'<>;]+/gi, replace: (_m, key: string) => `${key}=${REDACTED}`},
  // Authorization headers and bearer tokens.
  {
    pattern: /\b(Bearer|Basic|SharedKey|SharedKeyLite)\s+[A-Za-z0-9._~+/:=-]{8,}/g,
    replace: (_m, kind: string) => `${kind} ${REDACTED}`,
  },
  // JSON Web Tokens, wherever they appear.
  {pattern: /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, replace: REDACTED},
  // JSON fields that hold credentials.
  {
    pattern:
      /("(?:access_token|refresh_token|id_token|client_secret|client_assertion|password|accountKey|account_key|sasToken|sas_token|token|primaryKey|secondaryKey|key1|key2)"\s*:\s*)"(?:[^"\\]|\\.){12,}"/gi,
    replace: (_m, field: string) => `${field}"${REDACTED}"`,
  },
  // Form-encoded credentials (token requests).
  {
    pattern: /\b(client_secret|client_assertion|assertion|refresh_token|password|code)=[^&\s"'<>]+/gi,
    replace: (_m, key: string) => `${key}=${REDACTED}`,
  },
  // Storage connection strings and shared access keys.
  {
    pattern: /\b(AccountKey|SharedAccessSignature|SharedAccessKey|SharedAccessKeyName)=[^;\s"'<>]+/gi,
    replace: (_m, key: string) => `${key}=${REDACTED}`,
  },
]

export function redact(text: string): string {
  if (!text) return text
  let out = text
  for (const secret of registeredSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED)
  }
  for (const rule of rules) {
    out = out.replace(rule.pattern, rule.replace as (substring: string, ...args: string[]) => string)
  }
  return out
}

/** A URL safe to show or store: no query string, no credentials in the authority. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    const hadQuery = parsed.search.length > 0
    parsed.search = ''
    parsed.hash = ''
    return hadQuery && /[?&]sig=/i.test(url) ? `${parsed.toString()}?${REDACTED}` : parsed.toString()
  } catch {
    return redact(url)
  }
}
