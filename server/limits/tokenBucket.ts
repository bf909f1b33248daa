/** A clock in milliseconds; injected so that limits can be tested without waiting. */
export type Clock = () => number

/**
 * A token bucket: refills at `perSecond` tokens a second up to `burst`, and starts full. Pure
 * arithmetic over the injected clock; nothing runs between calls.
 */
export class TokenBucket {
  readonly perSecond: number
  readonly burst: number
  readonly #now: Clock
  #tokens: number
  #last: number

  constructor(perSecond: number, burst: number, now: Clock = Date.now) {
    if (!(perSecond > 0) || !(burst > 0)) throw new RangeError('TokenBucket: perSecond and burst must be positive')
    this.perSecond = perSecond
    this.burst = burst
    this.#now = now
    this.#tokens = burst
    this.#last = now()
  }

  /** Takes `amount` tokens if the bucket holds them; false (and nothing taken) otherwise. */
  take(amount = 1): boolean {
    this.#refill()
    if (this.#tokens < amount) return false
    this.#tokens -= amount
    return true
  }

  /** Seconds until `amount` tokens are available (0 when they are now). */
  secondsUntil(amount = 1): number {
    this.#refill()
    return Math.max(0, (amount - this.#tokens) / this.perSecond)
  }

  /** Full again: the bucket holds nothing worth remembering. */
  get full(): boolean {
    this.#refill()
    return this.#tokens >= this.burst
  }

  #refill() {
    const now = this.#now()
    this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.perSecond)
    this.#last = now
  }
}
