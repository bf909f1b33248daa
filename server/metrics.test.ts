import { describe, expect, it } from 'vitest'
import { metrics, registry } from './metrics.js'

/** The count a scrape shows (a scrape folds what a deferred histogram kept). */
async function scrapedCount(name: string): Promise<number> {
  const text = await registry.getSingleMetricAsString(name)
  return Number(new RegExp(`^${name}_count (\\d+)$`, 'm').exec(text)![1])
}

describe('deferred histograms', () => {
  it('show every observation when scraped, in the buckets prom-client would have put them in', async () => {
    const before = await scrapedCount('rancang_store_batch_write_seconds')
    metrics.storeBatchWrite.observe(0.0002)
    metrics.storeBatchWrite.observe(0.003)
    expect(await scrapedCount('rancang_store_batch_write_seconds')).toBe(before + 2)
    const text = await registry.getSingleMetricAsString('rancang_store_batch_write_seconds')
    expect(text).toMatch(/rancang_store_batch_write_seconds_bucket\{le="0.0005"\} [1-9]/)
  })

  it('fold what they keep without waiting for a scrape, so memory stays bounded on a server nobody scrapes', async () => {
    const before = await scrapedCount('rancang_store_latency_seconds')
    for (let i = 0; i < 1024; i++) metrics.storeLatency.observe(0.001)
    // What prom-client holds itself, read without the scrape's fold.
    const held = (registry.getSingleMetric('rancang_store_latency_seconds') as unknown as { hashMap: Record<string, { count: number }> }).hashMap['']
    expect(held?.count).toBe(before + 1024)
  })
})

describe('deferred counters', () => {
  it('show what was counted when scraped, and count on from there', async () => {
    const before = await scrapedValue('rancang_updates_stored_total')
    metrics.updatesStored.inc(3)
    metrics.updatesStored.inc()
    expect(await scrapedValue('rancang_updates_stored_total')).toBe(before + 4)
    expect(await scrapedValue('rancang_updates_stored_total')).toBe(before + 4)
    metrics.updatesStored.inc()
    expect(await scrapedValue('rancang_updates_stored_total')).toBe(before + 5)
  })
})

async function scrapedValue(name: string): Promise<number> {
  const text = await registry.getSingleMetricAsString(name)
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)![1])
}
