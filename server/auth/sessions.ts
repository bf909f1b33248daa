import { normaliseUsername, type IssuedSession, type User } from '../../shared/accounts.js'
import { audited, originOf, type AuditAction } from '../../shared/audit.js'
import type { AuditStorage } from '../storage/types.js'
import { withoutUnprintable } from '../../shared/text.js'
import { metrics } from '../metrics.js'
import { publicUser, type Accounts } from './accounts.js'
import type { LoginThrottle } from './throttle.js'
import { TokenError, newSessionId, type TokenClaims, type Tokens } from './tokens.js'

export interface Session {
  readonly user: User
  readonly claims: TokenClaims
}

/**
 * Sessions ended by a logout: one sign-in of an account, or (no `sessionId`) all of them. A sign-in
 * ended on another server comes without `accountId` (the revocation names only the sign-in).
 */
export type LogoutPayload =
  { readonly accountId: string; readonly sessionId?: string } | { readonly accountId?: undefined; readonly sessionId: string }

export class LoginRefused extends Error {
  constructor(readonly retryAfterSeconds = 0) {
    super(retryAfterSeconds > 0 ? 'too many failed attempts' : 'wrong username or password')
    this.name = 'LoginRefused'
  }
}

/** Longest typed username kept in the audit log for a sign-in that names no account. */
const MAX_TYPED_NAME = 64
/** A refused guesser is recorded once per username and address per this long, not once per request. */
const THROTTLED_ENTRY_INTERVAL_MS = 60_000
const MAX_THROTTLED_KEYS = 10_000

/** The username as typed, fit for the log: normalised, printable and short. */
const typedName = (username: unknown) =>
  typeof username === 'string' ? withoutUnprintable(normaliseUsername(username)).slice(0, MAX_TYPED_NAME) : ''

/** Sign-in and token checks: who is behind a request, with the account's current role. */
export class Sessions {
  readonly #accounts: Accounts
  readonly #tokens: Tokens
  readonly #throttle: LoginThrottle
  readonly #audit: AuditStorage
  readonly #logoutListeners = new Set<(payload: LogoutPayload) => void>()
  /** When each `username|address` last got a `login.throttled` entry. */
  readonly #throttledLogged = new Map<string, number>()

  constructor(accounts: Accounts, tokens: Tokens, throttle: LoginThrottle, audit: AuditStorage) {
    this.#accounts = accounts
    this.#tokens = tokens
    this.#throttle = throttle
    this.#audit = audit
  }

  /**
   * Throws `LoginRefused` (with a retry delay when throttled). The attempt takes its throttle slot
   * before the password is checked, so parallel guesses cannot all get in before the first fails.
   */
  async login(username: unknown, password: unknown, address: string): Promise<IssuedSession> {
    const attempt = await this.#throttle.reserve(typeof username === 'string' ? username : '', address)
    if ('retryAfterSeconds' in attempt) {
      metrics.logins.throttled.inc()
      await this.#recordThrottled(typedName(username), address)
      throw new LoginRefused(attempt.retryAfterSeconds)
    }
    let record
    try {
      record = await this.#accounts.authenticate(username, password)
    } catch (error) {
      attempt.fail()
      throw error
    }
    if (!record) {
      attempt.fail()
      metrics.logins.failed.inc()
      await this.#record('login.failed', typedName(username), address)
      throw new LoginRefused()
    }
    attempt.succeed()
    metrics.logins.succeeded.inc()
    await this.#audit.appendAudit({ ...originOf(record, address), action: 'login.succeeded', target: record.username })
    return { ...(await this.#tokens.issue(record, newSessionId())), user: publicUser(record) }
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

  /** A fresh token for a valid session (same sign-in), so an open editor never runs into expiry. */
  async refresh(session: Session): Promise<IssuedSession> {
    const record = await this.#accounts.get(session.user.username)
    // Checked again: a logout everywhere or password change since `authenticate` must not be outlived.
    if (!record || record.sessionKey !== session.claims.sessionKey) throw new TokenError('account changed or removed')
    return { ...(await this.#tokens.issue(record, session.claims.sessionId)), user: publicUser(record) }
  }

  /**
   * Ends this sign-in (every token refreshed from it), or with `everywhere` every sign-in of the
   * account, on every device ("Keluar dari semua perangkat").
   */
  async logout(session: Session, address: string, everywhere = false): Promise<void> {
    const origin = originOf(session.user, address)
    if (everywhere) await this.#accounts.endSessions(session.user.username, origin)
    else await this.#tokens.revoke(session.claims, audited(origin, 'logout', session.user.username))
    const payload: LogoutPayload = everywhere ? { accountId: session.user.id } : { accountId: session.user.id, sessionId: session.claims.sessionId }
    for (const listener of this.#logoutListeners) listener(payload)
  }

  /** A sign-in ended on another server (a revocation it stored): refused here too from now on. */
  endedElsewhere(sessionId: string, expiresAt: number): void {
    if (!this.#tokens.remember(sessionId, expiresAt)) return
    for (const listener of this.#logoutListeners) listener({ sessionId })
  }

  #record(action: AuditAction, name: string, address: string) {
    return this.#audit.appendAudit({ actor: name, action, target: name, address })
  }

  /**
   * A throttled guesser may send thousands of requests: each costs a disk write only once per
   * username and address per minute, and the log stays readable.
   */
  async #recordThrottled(name: string, address: string) {
    const key = `${name}|${address}`
    const now = Date.now()
    if (now - (this.#throttledLogged.get(key) ?? -Infinity) < THROTTLED_ENTRY_INTERVAL_MS) return
    if (this.#throttledLogged.size >= MAX_THROTTLED_KEYS) this.#throttledLogged.clear()
    this.#throttledLogged.set(key, now)
    await this.#record('login.throttled', name, address)
  }

  /** Called for every logout (open sockets of the ended sessions close). */
  onLogout(listener: (payload: LogoutPayload) => void): () => void {
    this.#logoutListeners.add(listener)
    return () => this.#logoutListeners.delete(listener)
  }
}
