import { randomBytes, webcrypto } from 'node:crypto'
import type { RevocationStorage, UserRecord } from '../storage/types.js'
import type { AuditEvent } from '../../shared/audit.js'
import { log } from '../log.js'
import { lazyModule } from '../lazyModule.js'

/** Why a token was refused; all mean 401. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TokenError'
  }
}

export interface TokenClaims {
  readonly username: string
  readonly sessionKey: string
  readonly tokenId: string
  /**
   * The sign-in this token descends from: set at login and kept by every refresh, so signing out
   * ends the sign-in, not only the token at hand. Tokens from before sessions had ids use their own id.
   */
  readonly sessionId: string
  /** Seconds since the epoch. */
  readonly expiresAt: number
}

export interface TokenOptions {
  /**
   * Several servers on one database: a logout on another server reaches this one by notification,
   * a few milliseconds after it answered. Asking storage on every verify closes that window.
   */
  readonly isRevokedInStorage?: (sessionId: string) => Promise<boolean>
}

const ISSUER = 'rancang'
const ALGORITHM = 'HS256'
/** The JWT library: loaded by the first sign-in or token check, so an idle server holds none of its ~50 modules. */
const jose = lazyModule('jose', () => import('jose'))

/** A new sign-in's id, for `Tokens.issue`. */
export const newSessionId = () => randomBytes(12).toString('base64url')

/**
 * Signed session tokens: HS256 JWTs with the server's secret, a lifetime, a unique id, the id of
 * the sign-in they descend from (so logout can revoke it) and the account's session key (so a
 * password change, or signing out everywhere, ends every session).
 */
export class Tokens {
  /** The secret as an HMAC key, imported once: given the bytes, jose imports them again for every token. */
  readonly #key: webcrypto.CryptoKey
  readonly #lifetimeSeconds: number
  readonly #revocations: RevocationStorage
  readonly #revoked = new Map<string, number>()
  readonly #isRevokedInStorage: ((sessionId: string) => Promise<boolean>) | undefined

  private constructor(key: webcrypto.CryptoKey, lifetimeSeconds: number, revocations: RevocationStorage, options: TokenOptions) {
    this.#key = key
    this.#lifetimeSeconds = lifetimeSeconds
    this.#revocations = revocations
    this.#isRevokedInStorage = options.isRevokedInStorage
  }

  static async open(secret: Uint8Array, lifetimeSeconds: number, revocations: RevocationStorage, options: TokenOptions = {}): Promise<Tokens> {
    const key = await webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    const tokens = new Tokens(key, lifetimeSeconds, revocations, options)
    const now = Math.floor(Date.now() / 1000)
    for (const { tokenId, expiresAt } of await revocations.listRevocations()) {
      if (expiresAt < now) await revocations.deleteRevocation(tokenId)
      else tokens.#revoked.set(tokenId, expiresAt)
    }
    return tokens
  }

  get lifetimeSeconds(): number {
    return this.#lifetimeSeconds
  }

  async issue(user: UserRecord, sessionId: string): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.#lifetimeSeconds
    const { SignJWT } = await jose()
    const token = await new SignJWT({ sk: user.sessionKey, sid: sessionId })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setSubject(user.username)
      .setJti(randomBytes(12).toString('base64url'))
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.#key)
    return { token, expiresAt }
  }

  /** Checks signature, issuer, algorithm, expiry and revocation. Throws `TokenError`. */
  async verify(token: string): Promise<TokenClaims> {
    // Outside the try: a library that failed to load is a server error, not an invalid token.
    const { jwtVerify, errors } = await jose()
    try {
      const { payload } = await jwtVerify(token, this.#key, { issuer: ISSUER, algorithms: [ALGORITHM] })
      const { sub, jti, exp, sk, sid } = payload
      if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || typeof sk !== 'string') {
        throw new TokenError('token is missing claims')
      }
      if (sid !== undefined && typeof sid !== 'string') throw new TokenError('token has a malformed session id')
      const sessionId = sid ?? jti
      if (this.#revoked.has(sessionId)) throw new TokenError('session was ended')
      if (await this.#isRevokedInStorage?.(sessionId)) throw new TokenError('session was ended on another server')
      return { username: sub, sessionKey: sk, tokenId: jti, sessionId, expiresAt: exp }
    } catch (error) {
      if (error instanceof TokenError) throw error
      if (error instanceof errors.JWTExpired) throw new TokenError('token expired')
      throw new TokenError('invalid token')
    }
  }

  /**
   * Ends a sign-in (logout): every token refreshed from it, until the newest of them would have
   * expired anyway (it was issued no later than now).
   */
  async revoke(claims: TokenClaims, audit?: AuditEvent): Promise<void> {
    const until = Math.max(claims.expiresAt, Math.floor(Date.now() / 1000) + this.#lifetimeSeconds)
    this.#revoked.set(claims.sessionId, until)
    await this.#revocations.putRevocation(claims.sessionId, until, audit)
    this.#prune()
  }

  /**
   * Takes in a sign-in ended on another server sharing this storage. True when it was not known
   * here yet (its open sockets must close now).
   */
  remember(sessionId: string, expiresAt: number): boolean {
    if (this.#revoked.has(sessionId) || expiresAt < Math.floor(Date.now() / 1000)) return false
    this.#revoked.set(sessionId, expiresAt)
    return true
  }

  #prune() {
    const now = Math.floor(Date.now() / 1000)
    for (const [tokenId, expiresAt] of this.#revoked) {
      if (expiresAt < now) {
        this.#revoked.delete(tokenId)
        // Only tidying: a revocation left behind expires with its token.
        this.#revocations.deleteRevocation(tokenId).catch((error: unknown) => log.warn('could not delete an expired revocation', { error }))
      }
    }
  }
}
