import type { RawClient, Typist } from './clients.js'
import { KeystrokeLog } from './keystrokes.js'
import { keystrokesIn } from './protocol.js'
import { cpus } from 'node:os'
import { optionalNote, type Metric, type Metrics, type Row } from './scenario.js'
import { machineBusyTicks, type BenchServer, type ServerName } from './servers.js'
import { mapLimit, sleep, waitFor } from './stats.js'
import type { KeystrokeLatencies, RatioInterval, RunDeliveries } from './resample.js'
import { watchPauses, type LoadGeneratorPauses } from './loadGenerator.js'

/** Linux reports process CPU time in clock ticks of 1/100 s. */
export const TICKS_PER_SECOND = 100

/**
 * Makes every typist type `rate` keystrokes per second, each on its own drift-free schedule with a
 * random phase (people do not type in step), until `stop()`.
 */
export function startTyping(typists: readonly Typist[], rate: number): { stop(): void } {
  const period = 1000 / rate
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false
  for (const typist of typists) {
    const start = performance.now() + Math.random() * period
    let count = 0
    const tick = () => {
      if (stopped) return
      typist.type(String.fromCharCode(97 + (count % 26)))
      count += 1
      schedule(start + count * period)
    }
    const schedule = (at: number) => {
      const timer = setTimeout(
        () => {
          timers.delete(timer)
          tick()
        },
        Math.max(0, at - performance.now()),
      )
      timers.add(timer)
    }
    schedule(start)
  }
  return {
    stop() {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
  }
}

/** Routes a receiver's incoming keystrokes to whichever log is current. */
export function listen(receiver: RawClient, current: () => KeystrokeLog | null) {
  receiver.onUpdate = (update, at) => {
    const log = current()
    if (!log) return
    for (const id of keystrokesIn(update)) log.arrived(id.client, id.clock, at)
  }
}

export interface TypingRun {
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** Keystroke deliveries that never arrived. */
  readonly lost: number
  readonly keystrokes: number
  readonly samples: number
  /** Its deliveries grouped by keystroke, for the interval of a row's ratio (not kept in results.json). */
  readonly byKeystroke: KeystrokeLatencies
  /**
   * CPU used during the run, in cores (1 = one core busy throughout): the server's, the load
   * generator's, and everything else on the machine (other processes, the kernel's loopback work).
   */
  readonly serverCpu: number
  readonly benchCpu: number
  readonly otherCpu: number
  /** What the load generator itself paused while the run was measured. */
  readonly loadGenerator: LoadGeneratorPauses
}

/**
 * One latency run: typists type for `durationMs` (the first `warmupMs` not measured), then the
 * run waits until every keystroke reached its `receiversEach` receivers (or `drainMs` passed).
 * `server` is whatever serves the load, for its CPU: one server, or several with their database.
 */
export async function typingRun(
  typists: readonly Typist[],
  setLog: (log: KeystrokeLog | null) => void,
  server: Pick<BenchServer, 'cpuTicks'>,
  options: { rate: number; durationMs: number; warmupMs: number; receiversEach: number; drainMs?: number },
): Promise<TypingRun> {
  const started = performance.now()
  const serverTicks = server.cpuTicks()
  const machineTicks = machineBusyTicks()
  const benchUsage = process.cpuUsage()
  const log = new KeystrokeLog()
  log.measureFrom = performance.now() + options.warmupMs
  setLog(log)
  for (const typist of typists) typist.log = log
  const pauses = watchPauses(log.measureFrom)
  const typing = startTyping(typists, options.rate)
  await sleep(options.durationMs)
  typing.stop()
  const loadGenerator = pauses.stop()
  await waitFor(() => log.arrivals >= log.keystrokes * options.receiversEach, options.drainMs ?? 10_000)
  setLog(null)
  for (const typist of typists) typist.log = null
  const seconds = (performance.now() - started) / 1000
  const bench = process.cpuUsage(benchUsage)
  const serverCpu = (server.cpuTicks() - serverTicks) / TICKS_PER_SECOND / seconds
  const benchCpu = (bench.user + bench.system) / 1e6 / seconds
  const machineCpu = (machineBusyTicks() - machineTicks) / TICKS_PER_SECOND / seconds
  const { p50, p99, max, samples } = log.latency()
  return {
    p50,
    p99,
    max,
    samples,
    byKeystroke: log.byKeystroke(),
    lost: log.lost(options.receiversEach),
    keystrokes: log.keystrokes,
    serverCpu,
    benchCpu,
    otherCpu: Math.max(0, machineCpu - serverCpu - benchCpu),
    loadGenerator,
  }
}

/**
 * Other tenants of a shared machine: a run during which more than this many cores were busy
 * outside the server and the load generator is disturbed, and run once more.
 */
export const DISTURBED_CORES = 0.5

/** Runs `run`, and once more if the first was disturbed by other load; returns the run kept and how many were discarded. */
export async function undisturbed<R extends TypingRun>(
  run: () => Promise<R>,
  log: (message: string) => void,
): Promise<{ run: R; discarded: number }> {
  const first = await run()
  if (first.otherCpu <= DISTURBED_CORES) return { run: first, discarded: 0 }
  log(`    disturbed (${first.otherCpu.toFixed(2)} cores busy elsewhere on the machine): run again`)
  return { run: await run(), discarded: 1 }
}

/** The figures of a run kept per repeat. */
export const runMetrics = (run: TypingRun, discarded: number) => ({
  p50: run.p50,
  p99: run.p99,
  max: run.max,
  lost: run.lost,
  keystrokes: run.keystrokes,
  serverCpu: run.serverCpu,
  benchCpu: run.benchCpu,
  otherCpu: run.otherCpu,
  ...run.loadGenerator,
  discarded,
})

/** One line for the progress log. */
export const describeRun = (run: TypingRun, deliveries: number) =>
  `p50 ${run.p50.toFixed(2)} p99 ${run.p99.toFixed(2)} max ${run.max.toFixed(1)} ms, lost ${run.lost} of ${deliveries}; ` +
  `CPU: server ${run.serverCpu.toFixed(2)}, load generator ${run.benchCpu.toFixed(2)}, rest of the machine ${run.otherCpu.toFixed(2)} cores; ` +
  `load generator paused: GC ${run.loadGenerator.benchGcMs.toFixed(0)} ms (longest ${run.loadGenerator.benchGcMaxMs.toFixed(0)}), ` +
  `event loop delay p99 ${run.loadGenerator.benchLagP99.toFixed(1)} ms`

/**
 * A note for a latency row when the two cores were (nearly) all busy during its runs: then the
 * row measures queueing for CPU as much as delivery.
 */
function saturationNote(ours: Metrics, baseline: Metrics): string | undefined {
  const cores = (m: Metrics) => m.serverCpu!.median + m.benchCpu!.median + m.otherCpu!.median
  const describe = (m: Metrics) =>
    `server ${m.serverCpu!.median.toFixed(2)}, load generator ${m.benchCpu!.median.toFixed(2)}, rest ${m.otherCpu!.median.toFixed(2)}`
  if (Math.max(cores(ours), cores(baseline)) < 0.8 * cpus().length) return undefined
  return `the machine was saturated during these runs (cores busy — ours: ${describe(ours)}; baseline: ${describe(baseline)}), so latency here is mostly waiting for CPU.`
}

/**
 * A latency row: p50 / p99 / max, the ratio of the p99s, lost keystrokes after a cell. The target
 * is a p99 no worse than the baseline's with nothing lost, and under `limitMs` when given.
 */
export function latencyRow(scenario: string, label: string, ours: Metrics, baseline: Metrics, limitMs?: number, interval?: RatioInterval): Row {
  const underLimit = limitMs === undefined || ours.p99!.median < limitMs
  return {
    scenario,
    case: label,
    measure: 'p50 / p99 / max (ms)',
    ours,
    baseline,
    show: ['p50', 'p99', 'max'],
    digits: 1,
    ratioOf: 'p99',
    extra: (m) => (m.lost!.median > 0 ? `, lost ${m.lost!.median}` : ''),
    target: limitMs === undefined ? 'p99 ≤ baseline, none lost' : `p99 < ${limitMs} ms, ≤ baseline, none lost`,
    met: underLimit && ours.p99!.median <= baseline.p99!.median && ours.lost!.median === 0,
    ...(interval ? { ratioInterval: interval } : {}),
    ...optionalNote(
      joinNotes(saturationNote(ours, baseline), spreadNote(ours, baseline), interval && intervalNote(interval), loadGeneratorNote(ours, baseline)),
    ),
  }
}

/**
 * What the row's bootstrap interval says of its verdict: whether these runs can tell the two p99s
 * apart at all (`p99RatioInterval`).
 */
function intervalNote({ low, high, level, draws }: RatioInterval): string {
  const verdict =
    low > 1
      ? 'above 1: the Ours column is behind beyond the scatter of these runs.'
      : high < 1
        ? 'below 1: the Ours column is ahead beyond the scatter of these runs.'
        : 'it holds 1: these runs cannot tell the two p99s apart.'
  return `${Math.round(level * 100)}% interval of the p99 ratio (${draws.toLocaleString('en-US')} draws resampling the runs and each run's keystrokes): ${low.toFixed(2)}–${high.toFixed(2)}; ${verdict}`
}

/**
 * How late the load generator itself was (its event loop's delay p99 and its GC pauses, medians
 * of the runs): a part of both columns' latencies that neither server caused.
 */
function loadGeneratorNote(ours: Metrics, baseline: Metrics): string | undefined {
  if (!ours.benchLagP99 || !baseline.benchLagP99) return undefined
  const describe = (m: Metrics) => `event loop delay p99 ${m.benchLagP99!.median.toFixed(1)} ms, GC ${m.benchGcMs!.median.toFixed(0)} ms a run`
  return `The load generator itself (medians of the runs) — Ours column: ${describe(ours)}; Baseline column: ${describe(baseline)}.`
}

/**
 * Where ours is behind on the p99 and yet some run of ours was no slower than some run of the
 * baseline: each run's p99, so a reader sees the verdict rests on medians of overlapping runs.
 */
function spreadNote(ours: Metrics, baseline: Metrics): string | undefined {
  const [o, b] = [ours.p99!, baseline.p99!]
  if (o.median <= b.median || Math.min(...o.runs) > Math.max(...b.runs)) return undefined
  const list = (m: Metric) => m.runs.map((v) => v.toFixed(1)).join(', ')
  return `each run's p99 (ms) — Ours column: ${list(o)}; Baseline column: ${list(b)}: the runs overlap, the medians decide.`
}

export function joinNotes(...notes: ReadonlyArray<string | undefined>): string | undefined {
  const present = notes.filter((note): note is string => note !== undefined)
  return present.length > 0 ? present.join(' ') : undefined
}

/** Opens many clients, `limit` at a time, and waits until each is ready. */
export async function connectAll<T>(count: number, limit: number, open: (index: number) => Promise<T>): Promise<T[]> {
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    limit,
    (i) => open(i),
  )
}

/**
 * The floor rows under a latency row, from the same runs (bench/floorServer.ts, a server that
 * stores each keystroke in LevelDB's log before relaying it and fsyncs beside, as ours does): ours
 * against the floor (what ours adds to the cost of storing first), and the floor against the stock
 * server (what storing first and syncing for the acknowledgement cost any server on LevelDB here),
 * each with its interval from the runs' `deliveries`.
 */
export function floorRows(
  scenario: string,
  label: string,
  ours: Metrics,
  stock: Metrics,
  floor: Metrics,
  deliveries: Pick<RunDeliveries<ServerName>, 'interval'>,
): Row[] {
  return [
    {
      ...latencyRow(scenario, `${label}: ours (Ours) ÷ the floor (Baseline column)`, ours, floor, undefined, deliveries.interval('ours', 'floor')),
      target: 'p99 ≤ floor',
    },
    {
      ...latencyRow(
        scenario,
        `${label}: the floor (Ours column) ÷ stock (Baseline column)`,
        floor,
        stock,
        undefined,
        deliveries.interval('floor', 'baseline'),
      ),
      target: '—',
      met: null,
    },
  ]
}
