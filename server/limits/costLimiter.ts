import { TokenBucket, type Clock } from './tokenBucket.js'

export interface CostLimits {
  /** Requests one account may start per minute, sustained. */
  readonly perMinute: number
  /** Requests one account may start at once after a quiet spell (at most `perMinute`). */
  readonly burst: number
  /** Requests running at once, across all accounts. */
  readonly concurrent: number
  /** What a refusal for a full server suggests waiting (seconds): about one request's duration. */
  readonly busyRetrySeconds: number
}

/** Why a request was refused: its account asked too often, or the server runs as many as it may. */
export type Admission =
  { readonly admitted: true; release(): void } | { readonly admitted: false; readonly reason: 'rate' | 'busy'; readonly retryAfterSeconds: number }

/** Above this many remembered accounts, those whose bucket refilled are forgotten. */
const PRUNE_ABOVE = 1_000

/**
 * Admission for one kind of expensive request (an export, a comparison, an import): a token bucket
 * per account, so one person cannot take every turn, and a global count of running requests, so
 * all of them together cannot stall the server. A request refused for being busy costs no token.
 */
export class CostLimiter {
  readonly #limits: CostLimits
  readonly #now: Clock
  readonly #buckets = new Map<string, TokenBucket>()
  #running = 0

  constructor(limits: CostLimits, now: Clock = Date.now) {
    if (limits.perMinute < 1 || limits.burst < 1 || limits.concurrent < 1) {
      throw new RangeError('CostLimiter: perMinute, burst and concurrent must be at least 1')
    }
    this.#limits = limits
    this.#now = now
  }

  get running(): number {
    return this.#running
  }

  /** Admits a request of `account` now, or says why not and when to retry. Release an admission exactly once. */
  admit(account: string): Admission {
    if (this.#running >= this.#limits.concurrent) return { admitted: false, reason: 'busy', retryAfterSeconds: this.#limits.busyRetrySeconds }
    const bucket = this.#bucketOf(account)
    if (!bucket.take()) return { admitted: false, reason: 'rate', retryAfterSeconds: Math.max(1, Math.ceil(bucket.secondsUntil())) }
    this.#running += 1
    let released = false
    return {
      admitted: true,
      release: () => {
        if (released) return
        released = true
        this.#running -= 1
      },
    }
  }

  #bucketOf(account: string): TokenBucket {
    let bucket = this.#buckets.get(account)
    if (!bucket) {
      if (this.#buckets.size >= PRUNE_ABOVE) for (const [key, b] of this.#buckets) if (b.full) this.#buckets.delete(key)
      bucket = new TokenBucket(this.#limits.perMinute / 60, Math.min(this.#limits.burst, this.#limits.perMinute), this.#now)
      this.#buckets.set(account, bucket)
    }
    return bucket
  }
}
