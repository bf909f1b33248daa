/** The median of `values` (NaN for none). */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (finite.length === 0) return NaN
  const mid = finite.length >> 1
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2
}

/**
 * A growing list of latency samples (ms) kept in a typed array, since a fan-out run records
 * about a million of them.
 */
export class Samples {
  #values = new Float64Array(1 << 16)
  #length = 0

  get length(): number {
    return this.#length
  }

  add(value: number) {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2)
      grown.set(this.#values)
      this.#values = grown
    }
    this.#values[this.#length++] = value
  }

  /** p50, p99 and max, in ms (NaN when empty). */
  summary(): LatencySummary {
    if (this.#length === 0) return { p50: NaN, p99: NaN, max: NaN, samples: 0 }
    const sorted = this.#values.slice(0, this.#length).sort()
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted[sorted.length - 1]!, samples: this.#length }
  }
}

export interface LatencySummary {
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly samples: number
}

/** Index of the nearest-rank q-quantile among `length` ascending values. */
export const nearestRank = (length: number, q: number) => Math.min(length - 1, Math.max(0, Math.ceil(q * length) - 1))

/** Nearest-rank quantile of an ascending array. */
export const quantile = (sorted: Float64Array, q: number): number => sorted[nearestRank(sorted.length, q)]!

/** A small deterministic PRNG (mulberry32), so both servers get byte-identical generated load. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(condition: () => boolean, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) return false
    await sleep(intervalMs)
  }
  return true
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** A number for the table: thousands separated, `digits` after the point, a dash when unknown. */
export const format = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—'
