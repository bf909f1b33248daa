import { median, nearestRank, quantile, random } from './stats.js'

/**
 * One run's measured deliveries grouped by keystroke: the latencies (ms) of each keystroke at every
 * receiver. A keystroke's deliveries are not independent samples (a stall in the server or the load
 * generator delays all of them), so a resample takes or leaves them together.
 */
export type KeystrokeLatencies = ReadonlyArray<readonly number[]>

/** A bootstrap interval of a row's ratio. */
export interface RatioInterval {
  readonly low: number
  readonly high: number
  /** Its coverage, e.g. 0.95. */
  readonly level: number
  readonly draws: number
}

export interface IntervalOptions {
  readonly draws?: number
  readonly level?: number
  readonly seed?: number
}

/**
 * A bootstrap interval for a latency row's ratio as the table computes it: the median over runs of
 * each run's p99, ours ÷ baseline. Each draw picks as many runs as were made, with replacement, and
 * resamples each picked run's keystrokes with replacement (two stages: both which runs and which
 * keystrokes happened to be slow move the verdict). An interval holding 1 says the runs cannot tell
 * the two servers' p99 apart; it is as wide as the runs are few and their tails thin.
 */
export function p99RatioInterval(
  ours: readonly KeystrokeLatencies[],
  baseline: readonly KeystrokeLatencies[],
  { draws = 1000, level = 0.95, seed = 1 }: IntervalOptions = {},
): RatioInterval {
  if (ours.length === 0 || baseline.length === 0) throw new Error('p99RatioInterval needs runs on both sides')
  const next = random(seed)
  const scratch = new Float64Array(Math.max(...[...ours, ...baseline].map(deliveries)))
  const draw = (runs: readonly KeystrokeLatencies[]) => median(runs.map(() => resampledP99(runs[pick(next, runs.length)]!, next, scratch)))
  const ratios = Float64Array.from({ length: draws }, () => draw(ours) / draw(baseline)).sort()
  const tail = (1 - level) / 2
  return { low: quantile(ratios, tail), high: quantile(ratios, 1 - tail), level, draws }
}

/** Each server's runs of a case, keystroke by keystroke, for the intervals of its rows. */
export class RunDeliveries<K extends string = string> {
  readonly #runs = new Map<K, KeystrokeLatencies[]>()

  add(kind: K, run: KeystrokeLatencies) {
    const runs = this.#runs.get(kind) ?? []
    this.#runs.set(kind, [...runs, run])
  }

  /** The interval of `ours` ÷ `baseline` (`p99RatioInterval`). */
  interval(ours: K, baseline: K): RatioInterval {
    return p99RatioInterval(this.#runs.get(ours) ?? [], this.#runs.get(baseline) ?? [])
  }
}

/** The p99 of one resample of `run`'s keystrokes (as many as it has, drawn with replacement). */
function resampledP99(run: KeystrokeLatencies, next: () => number, scratch: Float64Array): number {
  let length = 0
  for (let i = 0; i < run.length; i++) for (const latency of run[pick(next, run.length)]!) scratch[length++] = latency
  if (length === 0) return NaN
  return select(scratch, 0, length - 1, nearestRank(length, 0.99))
}

const pick = (next: () => number, count: number) => Math.floor(next() * count)

const deliveries = (run: KeystrokeLatencies) => run.reduce((sum, keystroke) => sum + keystroke.length, 0)

/**
 * The value that would sit at index `k` if `values[left..right]` were sorted (Hoare's selection,
 * reordering that range in place): linear time where sorting a run's 100,000 deliveries for every
 * draw would take seconds per row.
 */
export function select(values: Float64Array, left: number, right: number, k: number): number {
  while (left < right) {
    const pivot = median3(values[left]!, values[(left + right) >> 1]!, values[right]!)
    let i = left
    let j = right
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        const swap = values[i]!
        values[i++] = values[j]!
        values[j--] = swap
      }
    }
    if (k <= j) right = j
    else if (k >= i) left = i
    else return values[k]!
  }
  return values[k]!
}

const median3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c))
