export interface ThrottleOptions {
  /** Failed attempts allowed per username within the window. */
  readonly perUsername: number
  /** Failed attempts allowed per address within the window. */
  readonly perAddress: number
  readonly windowMs: number
}

/**
 * Limits password guessing: after too many failures within a window, further attempts for that
 * username, or from that address, are refused (HTTP 429) until the oldest failure ages out.
 * In memory: a restart forgives, which a guesser cannot trigger.
 */
export class LoginThrottle {
  readonly #options: ThrottleOptions
  readonly #failures = new Map<string, number[]>()

  constructor(options: ThrottleOptions) {
    this.#options = options
  }

  /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfter(username: string, address: string, now = Date.now()): number {
    const wait = Math.max(
      this.#wait(`u:${username.toLowerCase()}`, this.#options.perUsername, now),
      this.#wait(`a:${address}`, this.#options.perAddress, now),
    )
    return Math.ceil(wait / 1000)
  }

  fail(username: string, address: string, now = Date.now()) {
    for (const key of [`u:${username.toLowerCase()}`, `a:${address}`]) {
      const times = this.#recent(key, now)
      times.push(now)
      this.#failures.set(key, times)
    }
    if (this.#failures.size > 10_000) this.#prune(now)
  }

  succeed(username: string) {
    this.#failures.delete(`u:${username.toLowerCase()}`)
  }

  #wait(key: string, limit: number, now: number): number {
    const times = this.#recent(key, now)
    if (times.length < limit) return 0
    return times[times.length - limit]! + this.#options.windowMs - now
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => now - t < this.#options.windowMs)
  }

  #prune(now: number) {
    for (const [key, times] of this.#failures) if (times.every((t) => now - t >= this.#options.windowMs)) this.#failures.delete(key)
  }
}
