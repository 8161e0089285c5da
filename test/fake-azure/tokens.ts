/**
 * Access tokens issued by the fake Entra ID: JWTs (header.payload.signature, base64url) with the v1 claims
 * Azure services read — `aud` (the requested scope minus `/.default`), `iss` `https://sts.windows.net/<tenant>/`,
 * `tid`, `oid`, `appid`, `nbf`, `iat`, `exp`, `ver: '1.0'`. Azurite's `--oauth basic` checks aud, iss and the
 * lifetime (not the signature); the fake ARM checks all of it, signature included (HS256 with a per-instance
 * key — real tokens are RS256, which no client here verifies).
 */
import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto'

import {guid} from './names.js'

export interface AccessTokenClaims {
  aud: string
  iss: string
  iat: number
  nbf: number
  exp: number
  tid: string
  oid: string
  sub: string
  appid: string
  appidacr: string
  idtyp: string
  idp: string
  uti: string
  ver: string
  [claim: string]: unknown
}

export interface MintOptions {
  audience: string
  tenantId: string
  clientId: string
  objectId: string
  /** seconds from now; negative for an already expired token */
  lifetimeSeconds: number
  /** override or add claims */
  claims?: Record<string, unknown>
}

export type TokenCheck =
  | {claims: AccessTokenClaims; ok: true}
  | {ok: false; reason: 'expired'; claims: AccessTokenClaims}
  | {ok: false; reason: 'malformed' | 'signature'}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url')

export class TokenIssuer {
  private readonly key = randomBytes(32)
  readonly keyId = `fake-${guid().slice(0, 8)}`

  /** A signed access token. */
  mint(options: MintOptions): {accessToken: string; claims: AccessTokenClaims; expiresIn: number} {
    const now = Math.floor(Date.now() / 1000)
    // Entra back-dates iat/nbf by five minutes to absorb clock skew.
    const claims: AccessTokenClaims = {
      aud: options.audience,
      exp: now + options.lifetimeSeconds,
      iat: now - 300,
      idp: `https://sts.windows.net/${options.tenantId}/`,
      idtyp: 'app',
      iss: `https://sts.windows.net/${options.tenantId}/`,
      nbf: now - 300,
      oid: options.objectId,
      sub: options.objectId,
      tid: options.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
      appid: options.clientId,
      appidacr: '1',
      ...options.claims,
    }
    const header = {alg: 'HS256', kid: this.keyId, typ: 'JWT', x5t: this.keyId}
    const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`
    const signature = createHmac('sha256', this.key).update(signingInput).digest('base64url')
    return {accessToken: `${signingInput}.${signature}`, claims, expiresIn: options.lifetimeSeconds}
  }

  /** Verify a token this issuer minted: shape, signature, lifetime. */
  check(token: string): TokenCheck {
    const parts = token.split('.')
    if (parts.length !== 3) return {ok: false, reason: 'malformed'}
    let claims: AccessTokenClaims
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as AccessTokenClaims
    } catch {
      return {ok: false, reason: 'malformed'}
    }

    if (typeof claims !== 'object' || claims === null || typeof claims.exp !== 'number')
      return {ok: false, reason: 'malformed'}
    const expected = createHmac('sha256', this.key).update(`${parts[0]}.${parts[1]}`).digest()
    const given = Buffer.from(parts[2], 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return {ok: false, reason: 'signature'}
    const now = Math.floor(Date.now() / 1000)
    if (claims.exp <= now) return {claims, ok: false, reason: 'expired'}
    return {claims, ok: true}
  }
}

/** Read a JWT's claims without checking anything (for tests and error messages). */
export function decodeClaims(token: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}
