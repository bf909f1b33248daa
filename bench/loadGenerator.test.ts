import { describe, expect, it } from 'vitest'
import { watchPauses } from './loadGenerator.js'
import { sleep } from './stats.js'

describe('watchPauses', () => {
  const block = (ms: number) => {
    const until = performance.now() + ms
    while (performance.now() < until);
  }

  it("leaves out the event loop's delay before `from`", async () => {
    // Wide margins: the block, counted, would read 300 ms; a busy test machine adds far less.
    const watch = watchPauses(performance.now() + 350)
    block(300)
    await sleep(400)
    expect(watch.stop().benchLagP99).toBeLessThan(250)
  })

  it("reports the garbage collections and the event loop's delay after `from`", async () => {
    const churn = () => {
      // Short-lived objects well past the young generation's size: scavenges must run.
      let kept: unknown[] = []
      for (let i = 0; i < 2_000_000; i++) {
        kept.push({ i, text: `x${i}` })
        if (kept.length > 1000) kept = []
      }
    }
    const watch = watchPauses(performance.now())
    churn()
    await sleep(50)
    block(120)
    churn()
    await sleep(50)
    const pauses = watch.stop()
    expect(pauses.benchGcMs).toBeGreaterThan(0)
    expect(pauses.benchGcMaxMs).toBeLessThanOrEqual(pauses.benchGcMs)
    expect(pauses.benchLagP99).toBeGreaterThanOrEqual(100)
  })
})
