import { randomBytes } from 'node:crypto'
import { SignJWT, jwtVerify, errors } from 'jose'
import type { RevocationStorage, UserRecord } from '../storage/types.js'
import { log } from '../log.js'

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
  /** Seconds since the epoch. */
  readonly expiresAt: number
}

const ISSUER = 'rancang'
const ALGORITHM = 'HS256'

/**
 * Signed session tokens: HS256 JWTs with the server's secret, a lifetime, a unique id (so logout can
 * revoke one) and the account's session key (so a password change ends every session).
 */
export class Tokens {
  readonly #secret: Uint8Array
  readonly #lifetimeSeconds: number
  readonly #revocations: RevocationStorage
  readonly #revoked = new Map<string, number>()

  private constructor(secret: Uint8Array, lifetimeSeconds: number, revocations: RevocationStorage) {
    this.#secret = secret
    this.#lifetimeSeconds = lifetimeSeconds
    this.#revocations = revocations
  }

  static async open(secret: Uint8Array, lifetimeSeconds: number, revocations: RevocationStorage): Promise<Tokens> {
    const tokens = new Tokens(secret, lifetimeSeconds, revocations)
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

  async issue(user: UserRecord): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.#lifetimeSeconds
    const token = await new SignJWT({ sk: user.sessionKey })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setSubject(user.username)
      .setJti(randomBytes(12).toString('base64url'))
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.#secret)
    return { token, expiresAt }
  }

  /** Checks signature, issuer, algorithm, expiry and revocation. Throws `TokenError`. */
  async verify(token: string): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.#secret, { issuer: ISSUER, algorithms: [ALGORITHM] })
      const { sub, jti, exp, sk } = payload
      if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || typeof sk !== 'string') {
        throw new TokenError('token is missing claims')
      }
      if (this.#revoked.has(jti)) throw new TokenError('token was revoked')
      return { username: sub, sessionKey: sk, tokenId: jti, expiresAt: exp }
    } catch (error) {
      if (error instanceof TokenError) throw error
      if (error instanceof errors.JWTExpired) throw new TokenError('token expired')
      throw new TokenError('invalid token')
    }
  }

  /** Ends one session (logout) until its token would have expired anyway. */
  async revoke(claims: TokenClaims): Promise<void> {
    this.#revoked.set(claims.tokenId, claims.expiresAt)
    await this.#revocations.putRevocation(claims.tokenId, claims.expiresAt)
    this.#prune()
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
