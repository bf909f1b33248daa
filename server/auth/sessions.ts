import type { IssuedSession, User } from '../../shared/accounts.js'
import { publicUser, type Accounts } from './accounts.js'
import type { LoginThrottle } from './throttle.js'
import { TokenError, type TokenClaims, type Tokens } from './tokens.js'

export interface Session {
  readonly user: User
  readonly claims: TokenClaims
}

export class LoginRefused extends Error {
  constructor(readonly retryAfterSeconds = 0) {
    super(retryAfterSeconds > 0 ? 'too many failed attempts' : 'wrong username or password')
    this.name = 'LoginRefused'
  }
}

/** Sign-in and token checks: who is behind a request, with the account's current role. */
export class Sessions {
  readonly #accounts: Accounts
  readonly #tokens: Tokens
  readonly #throttle: LoginThrottle
  readonly #logoutListeners = new Set<(tokenId: string) => void>()

  constructor(accounts: Accounts, tokens: Tokens, throttle: LoginThrottle) {
    this.#accounts = accounts
    this.#tokens = tokens
    this.#throttle = throttle
  }

  /** Throws `LoginRefused` (with a retry delay when throttled). */
  async login(username: unknown, password: unknown, address: string): Promise<IssuedSession> {
    const name = typeof username === 'string' ? username : ''
    const wait = this.#throttle.retryAfter(name, address)
    if (wait > 0) throw new LoginRefused(wait)
    const record = await this.#accounts.authenticate(username, password)
    if (!record) {
      this.#throttle.fail(name, address)
      throw new LoginRefused()
    }
    this.#throttle.succeed(name)
    return { ...(await this.#tokens.issue(record)), user: publicUser(record) }
  }

  /**
   * The session behind a token, with the account as it is now (a lowered role applies at once).
   * Throws `TokenError` for a missing, forged, expired or revoked token, a removed account, or
   * one whose password changed since.
   */
  async authenticate(token: string | null | undefined): Promise<Session> {
    if (!token) throw new TokenError('missing token')
    const claims = await this.#tokens.verify(token)
    const record = await this.#accounts.get(claims.username)
    if (!record || record.sessionKey !== claims.sessionKey) throw new TokenError('account changed or removed')
    return { user: publicUser(record), claims }
  }

  /** A fresh token for a valid session, so an open editor never runs into expiry. */
  async refresh(session: Session): Promise<IssuedSession> {
    const record = await this.#accounts.get(session.user.username)
    if (!record) throw new TokenError('account removed')
    return { ...(await this.#tokens.issue(record)), user: publicUser(record) }
  }

  async logout(session: Session): Promise<void> {
    await this.#tokens.revoke(session.claims)
    for (const listener of this.#logoutListeners) listener(session.claims.tokenId)
  }

  /** Called with the id of every token ended by logout (open sockets using it close). */
  onLogout(listener: (tokenId: string) => void): () => void {
    this.#logoutListeners.add(listener)
    return () => this.#logoutListeners.delete(listener)
  }
}
