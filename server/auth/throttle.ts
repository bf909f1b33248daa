import { normaliseUsername } from '../../shared/accounts.js'

export interface ThrottleOptions {
  /** Failed attempts allowed per username within the window. */
  readonly perUsername: number
  /** Failed attempts allowed per address within the window. */
  readonly perAddress: number
  readonly windowMs: number
  /** Milliseconds since the epoch; tests pass their own clock. */
  readonly now?: () => number
}

/** A sign-in attempt holding a failure slot for its username and its address until it is settled. */
export interface LoginAttempt {
  /** The password was right: the slot is freed, and earlier failures for the username are forgiven. */
  succeed(): void
  /** The password was wrong: the slot stays, as a failure, until it ages out of the window. */
  fail(): void
}

interface Slot {
  readonly at: number
  pending: boolean
}

/** Longer than any valid username, so distinct valid names keep distinct keys; longer junk shares one. */
const MAX_KEY_LENGTH = 64
const MAX_KEYS = 10_000

/**
 * Limits password guessing: after too many failures within a window, further attempts for that
 * username, or from that address, are refused (HTTP 429) until the oldest failure ages out.
 *
 * A burst is limited exactly like a sequence: an attempt holds a failure slot from before its
 * password is checked until it is known to be right. When every slot is held by attempts still
 * being checked, the next attempt waits for one of them to settle instead of being checked
 * alongside: thirty parallel guesses get as many checks as thirty guesses in a row (the limit),
 * and forty colleagues behind one address signing in at once all get in.
 * In memory: a restart forgives, which a guesser cannot trigger.
 */
export class LoginThrottle {
  readonly #options: ThrottleOptions
  readonly #now: () => number
  readonly #slots = new Map<string, Slot[]>()
  /** Attempts waiting for a slot held by one still being checked; woken when any attempt settles. */
  #waiting: Array<() => void> = []

  constructor(options: ThrottleOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /**
   * Takes a failure slot for one attempt before its password is checked, or says how many seconds
   * to wait when the username or the address has used up its failures.
   */
  async reserve(username: string, address: string): Promise<LoginAttempt | { readonly retryAfterSeconds: number }> {
    const keys = [
      { key: `u:${normaliseUsername(username).slice(0, MAX_KEY_LENGTH)}`, limit: this.#options.perUsername },
      { key: `a:${address}`, limit: this.#options.perAddress },
    ]
    for (;;) {
      const now = this.#now()
      const wait = Math.max(...keys.map(({ key, limit }) => this.#wait(key, limit, now)))
      if (wait > 0) return { retryAfterSeconds: Math.ceil(wait / 1000) }
      if (keys.every(({ key, limit }) => this.#recent(key, now).length < limit)) return this.#take(keys[0]!.key, keys[1]!.key, now)
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    }
  }

  #take(userKey: string, addressKey: string, now: number): LoginAttempt {
    const slot: Slot = { at: now, pending: true }
    for (const key of [userKey, addressKey]) this.#slots.set(key, [...this.#recent(key, now), slot])
    if (this.#slots.size > MAX_KEYS) this.#prune(now)
    return {
      succeed: () => {
        // Other attempts still being checked keep their slots: only settled failures are forgiven.
        this.#keep(userKey, (s) => s !== slot && s.pending)
        this.#keep(addressKey, (s) => s !== slot)
        this.#wake()
      },
      fail: () => {
        slot.pending = false
        this.#wake()
      },
    }
  }

  /** Milliseconds until the settled failures under `key` drop below `limit`. */
  #wait(key: string, limit: number, now: number): number {
    const failures = this.#recent(key, now).filter((s) => !s.pending)
    if (failures.length < limit) return 0
    return failures[failures.length - limit]!.at + this.#options.windowMs - now
  }

  #recent(key: string, now: number): Slot[] {
    return (this.#slots.get(key) ?? []).filter((s) => now - s.at < this.#options.windowMs)
  }

  #keep(key: string, keep: (slot: Slot) => boolean) {
    const slots = (this.#slots.get(key) ?? []).filter(keep)
    if (slots.length > 0) this.#slots.set(key, slots)
    else this.#slots.delete(key)
  }

  #wake() {
    const waiting = this.#waiting
    this.#waiting = []
    for (const resolve of waiting) resolve()
  }

  #prune(now: number) {
    for (const [key, slots] of this.#slots) if (slots.every((s) => now - s.at >= this.#options.windowMs)) this.#slots.delete(key)
  }
}
