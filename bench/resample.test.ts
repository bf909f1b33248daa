import { describe, expect, it } from 'vitest'
import { p99RatioInterval, select, type KeystrokeLatencies } from './resample.js'
import { random } from './stats.js'

/**
 * A run of `keystrokes` keystrokes, each delivered to `receivers` clients with latencies from
 * `latency`; one keystroke in a hundred (by default) stalls 5 ms at every receiver.
 */
function run(keystrokes: number, receivers: number, latency: (next: () => number) => number, seed: number, stalls = 0.01): KeystrokeLatencies {
  const next = random(seed)
  return Array.from({ length: keystrokes }, () => {
    const stall = next() < stalls ? 5 : 0
    return Array.from({ length: receivers }, () => latency(next) + stall)
  })
}

const typical = (next: () => number) => 1 + next()

describe('select', () => {
  it('finds the value sorting would put at an index, duplicates and all', () => {
    const next = random(7)
    for (const length of [1, 2, 3, 10, 101, 1000]) {
      const values = Float64Array.from({ length }, () => Math.floor(next() * 20))
      const sorted = Float64Array.from(values).sort()
      for (const k of [0, length >> 1, length - 1]) expect(select(Float64Array.from(values), 0, length - 1, k)).toBe(sorted[k])
    }
  })
})

describe('p99RatioInterval', () => {
  it('holds 1 when both sides are runs of the same server', () => {
    const runs = [1, 2, 3].map((seed) => run(100, 9, typical, seed))
    const other = [4, 5, 6].map((seed) => run(100, 9, typical, seed))
    const interval = p99RatioInterval(runs, other, { draws: 400 })
    expect(interval.low).toBeLessThan(1)
    expect(interval.high).toBeGreaterThan(1)
    expect(interval).toMatchObject({ level: 0.95, draws: 400 })
  })

  it('lies above 1 when every delivery of ours takes twice as long', () => {
    const baseline = [1, 2, 3].map((seed) => run(300, 9, typical, seed, 0))
    const ours = baseline.map((r) => r.map((keystroke) => keystroke.map((latency) => latency * 2)))
    const interval = p99RatioInterval(ours, baseline, { draws: 400 })
    expect(interval.low).toBeGreaterThan(1.2)
    expect(interval.high).toBeLessThan(3)
  })

  it('widens when a run is unlike the others: runs are resampled too', () => {
    const steady = [1, 2, 3].map((seed) => run(200, 9, typical, seed))
    const oneSlow = [steady[0]!, steady[1]!, run(200, 9, (next) => 10 + next(), 9)]
    const narrow = p99RatioInterval(steady, steady, { draws: 400 })
    const wide = p99RatioInterval(oneSlow, steady, { draws: 400 })
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low)
  })

  it('gives the same interval for the same seed', () => {
    const ours = [1, 2, 3].map((seed) => run(50, 9, typical, seed))
    const baseline = [4, 5, 6].map((seed) => run(50, 9, typical, seed))
    expect(p99RatioInterval(ours, baseline, { seed: 3, draws: 100 })).toEqual(p99RatioInterval(ours, baseline, { seed: 3, draws: 100 }))
  })
})
