import { SERVER_KINDS, type ServerKind, type ServerName } from './servers.js'
import { median } from './stats.js'
import type { RatioInterval } from './resample.js'

/** What every scenario is given. */
export interface BenchContext {
  /** Fewer repeats and smaller sizes, for development. */
  readonly quick: boolean
  /** Repeated runs per figure (each figure is their median). */
  readonly repeats: number
  /** Extra node flags for our server (e.g. `--cpu-prof`). */
  readonly oursNodeArgs: readonly string[]
  /** Fan-out cases to run instead of all four, e.g. [[200, 10]] (for profiling one case). */
  readonly fanoutCases?: ReadonlyArray<readonly [number, number]>
  log(message: string): void
}

/** One measured quantity over the repeated runs. */
export interface Metric {
  readonly runs: number[]
  readonly median: number
}

export type Metrics = Record<string, Metric>

/** One row of the results table: a case of a scenario measured on both servers. */
export interface Row {
  readonly scenario: string
  readonly case: string
  /** What the cells show, e.g. "p50 / p99 / max (ms)". */
  readonly measure: string
  readonly ours: Metrics
  readonly baseline: Metrics
  /** Metric keys shown in the cells, in order. */
  readonly show: readonly string[]
  /** Digits after the point in the cells. */
  readonly digits: number
  /** The metric the ours/baseline ratio is taken of. */
  readonly ratioOf: string
  /** Extra text after each cell, e.g. lost keystrokes. */
  readonly extra?: (metrics: Metrics) => string
  readonly target: string
  /** Whether the target is met; null when the row has no target. */
  readonly met: boolean | null
  readonly note?: string
  /** A bootstrap interval of the ratio, where the runs' deliveries allow one (`bench/resample.ts`). */
  readonly ratioInterval?: RatioInterval
}

export interface ScenarioResult {
  readonly id: string
  readonly title: string
  /** How the scenario was run (sizes, rates, durations), for results.json and the report. */
  readonly setup: Record<string, unknown>
  readonly rows: Row[]
}

/** Collects one value per run per server and metric, then their medians. */
export class Runs {
  readonly #values = new Map<ServerName, Map<string, number[]>>()

  add(kind: ServerName, values: Record<string, number>) {
    const byMetric = this.#values.get(kind) ?? new Map<string, number[]>()
    this.#values.set(kind, byMetric)
    for (const [name, value] of Object.entries(values)) byMetric.set(name, [...(byMetric.get(name) ?? []), value])
  }

  metrics(kind: ServerName): Metrics {
    const result: Metrics = {}
    for (const [name, runs] of this.#values.get(kind) ?? []) result[name] = { runs, median: median(runs) }
    return result
  }
}

/** The order servers run in on repeat `r`: alternating, so neither always runs on a warmer machine. */
export const orderFor = (repeat: number): ServerKind[] => inTurn(repeat, SERVER_KINDS)

/** `kinds` rotated by `repeat`: each runs first in turn. */
export const inTurn = <K>(repeat: number, kinds: readonly K[]): K[] => kinds.map((_, i) => kinds[(i + repeat) % kinds.length]!)

/** `{ note }` when there is one (rows are plain data: no `note: undefined`). */
export const optionalNote = (note: string | undefined): { note?: string } => (note ? { note } : {})

/** `row` with `note` first, and whatever note it had (e.g. a saturated machine) after it. */
export const withNote = (row: Row, note: string): Row => ({ ...row, note: row.note ? `${note} ${row.note}` : note })
