import type { IssuedSession, User } from '../../../shared/accounts.js'
import { api, configureApi } from './api.js'

const STORAGE_KEY = 'rancang.sesi'
/** Refresh the token this long before it expires, and check that often. */
const REFRESH_MARGIN_S = 60 * 60
const CHECK_EVERY_MS = 5 * 60 * 1000

function load(): IssuedSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    const session = raw ? (JSON.parse(raw) as IssuedSession) : null
    return session && session.expiresAt > Date.now() / 1000 ? session : null
  } catch {
    return null
  }
}

/**
 * Who is signed in on this browser. The token lives in localStorage (so every tab shares it) and
 * is refreshed well before it expires; a 401 anywhere signs out with a message.
 */
class Session {
  #current = $state<IssuedSession | null>(load())
  #notice = $state<string | null>(null)
  readonly #listeners = new Set<(token: string | null) => void>()

  constructor() {
    this.#apply()
    // Stored before accounts had ids: without one, the person's own comments would not show as theirs.
    // A failure leaves it to the next sign-in (a 401 signs out as anywhere else).
    if (this.#current && !this.#current.user.id) void this.reload().catch(() => undefined)
    setInterval(() => void this.#refreshIfDue(), CHECK_EVERY_MS)
    addEventListener('storage', (event) => {
      if (event.key !== STORAGE_KEY) return
      this.#current = load()
      this.#apply()
    })
  }

  get user(): User | null {
    return this.#current?.user ?? null
  }

  get token(): string | null {
    return this.#current?.token ?? null
  }

  /** Why the user was signed out, shown on the login page once. */
  get notice(): string | null {
    return this.#notice
  }

  /** Called with the new token whenever it changes (the editor reconnects with it). */
  onToken(listener: (token: string | null) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async login(username: string, password: string): Promise<void> {
    const session = await api.post<IssuedSession>('/api/login', { username, password })
    this.#notice = null
    this.#set(session)
  }

  /** Signs out here; with `everywhere`, ends every session of the account on every device too. */
  async logout(everywhere = false): Promise<void> {
    try {
      await api.post(everywhere ? '/api/logout/all' : '/api/logout')
    } finally {
      this.#set(null)
      this.#notice = everywhere ? 'Anda telah keluar dari semua perangkat.' : 'Anda telah keluar.'
    }
  }

  /** Ends the session locally (the token was refused) and says why on the login page. */
  expire(notice = 'Sesi Anda berakhir. Silakan masuk lagi.') {
    if (!this.#current) return
    this.#notice = notice
    this.#set(null)
  }

  /** Re-reads the account (e.g. after its role changed). */
  async reload(): Promise<void> {
    if (!this.#current) return
    const user = await api.get<User>('/api/me')
    this.#set({ ...this.#current, user })
  }

  async #refreshIfDue() {
    const current = this.#current
    if (!current || current.expiresAt - Date.now() / 1000 > REFRESH_MARGIN_S) return
    try {
      this.#set(await api.post<IssuedSession>('/api/session'))
    } catch {
      // A failed refresh is retried at the next check; a 401 has already signed out.
    }
  }

  #set(session: IssuedSession | null) {
    const tokenChanged = session?.token !== this.#current?.token
    this.#current = session
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session))
    else localStorage.removeItem(STORAGE_KEY)
    this.#apply()
    if (tokenChanged) for (const listener of this.#listeners) listener(session?.token ?? null)
  }

  #apply() {
    configureApi({ token: this.token, onUnauthorized: () => this.expire() })
  }
}

export const session = new Session()
