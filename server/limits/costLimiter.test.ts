import { describe, expect, it } from 'vitest'
import { CostLimiter } from './costLimiter.js'
import { TokenBucket } from './tokenBucket.js'

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('TokenBucket', () => {
  it('starts full, refills at its rate up to its burst, and says how long until the next token', () => {
    const clock = manualClock()
    const bucket = new TokenBucket(0.5, 2, clock.now)
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false])
    expect(bucket.secondsUntil()).toBe(2)
    clock.advance(1000)
    expect(bucket.take()).toBe(false)
    expect(bucket.secondsUntil()).toBe(1)
    clock.advance(1000)
    expect(bucket.take()).toBe(true)
    clock.advance(60_000)
    expect(bucket.full).toBe(true)
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false])
  })
})

describe('CostLimiter', () => {
  it('admits an account its burst at once, then refuses with the seconds until the next one at the per-minute rate', () => {
    const clock = manualClock()
    const limiter = new CostLimiter({ perMinute: 6, burst: 3, concurrent: 10, busyRetrySeconds: 2 }, clock.now)
    for (let i = 0; i < 3; i++) {
      const admission = limiter.admit('pembaca')
      expect(admission.admitted).toBe(true)
      if (admission.admitted) admission.release()
    }
    expect(limiter.admit('pembaca')).toEqual({ admitted: false, reason: 'rate', retryAfterSeconds: 10 })
    // Another account has its own allowance.
    expect(limiter.admit('penyusun').admitted).toBe(true)
    clock.advance(10_000)
    const next = limiter.admit('pembaca')
    expect(next.admitted).toBe(true)
    expect(limiter.admit('pembaca')).toMatchObject({ admitted: false, reason: 'rate' })
  })

  it('refuses as busy while `concurrent` requests run, without spending the refused account’s allowance', () => {
    const clock = manualClock()
    const limiter = new CostLimiter({ perMinute: 1, burst: 1, concurrent: 1, busyRetrySeconds: 5 }, clock.now)
    const first = limiter.admit('admin')
    expect(first.admitted).toBe(true)
    expect(limiter.admit('admin2')).toEqual({ admitted: false, reason: 'busy', retryAfterSeconds: 5 })
    if (first.admitted) {
      first.release()
      first.release() // a second release does not free a second place
    }
    expect(limiter.running).toBe(0)
    const second = limiter.admit('admin2')
    expect(second.admitted).toBe(true)
    expect(limiter.admit('admin3')).toMatchObject({ admitted: false, reason: 'busy' })
  })
})
