import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'

/**
 * The load generator (this process) times every delivery, so its own pauses land in every
 * server's latencies alike: holding thousands of Y.Docs it scavenged 17–23 times in the 3 measured
 * seconds of a many-documents run, 20–55 ms each, 8–20% of them. Each latency run therefore reports
 * what it paused. Two cures were measured and not taken, since each moved other rows more than the
 * scatter: a larger young generation (`--max-semi-space-size=64`: 3–5 scavenges a run there, but
 * 60–150 ms each in the cluster row) and a full collection before each run (`--expose-gc`: the
 * cluster row's one-server p99 was 122–448 ms in eight runs with it, 50–156 ms without).
 */

/** What the load generator lost to its own pauses while a run was measured (ms). */
export interface LoadGeneratorPauses {
  /** Its garbage collections: all their pauses together, and the longest. */
  readonly benchGcMs: number
  readonly benchGcMaxMs: number
  /** The 99th percentile of its event loop's delay: how late it may have read an arrival. */
  readonly benchLagP99: number
}

/** How often the event loop's delay is sampled (ms); Node's histogram includes this interval. */
const RESOLUTION_MS = 10

/** Watches this process's pauses from `from` (performance.now()) until `stop()`. */
export function watchPauses(from: number): { stop(): LoadGeneratorPauses } {
  const pauses: number[] = []
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.startTime >= from) pauses.push(entry.duration)
  })
  observer.observe({ entryTypes: ['gc'] })
  const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  const enable = setTimeout(() => lag.enable(), Math.max(0, from - performance.now()))
  return {
    stop() {
      clearTimeout(enable)
      lag.disable()
      // Entries are delivered asynchronously: take what is queued before disconnecting.
      for (const entry of observer.takeRecords()) if (entry.startTime >= from) pauses.push(entry.duration)
      observer.disconnect()
      const p99 = lag.count > 0 ? lag.percentile(99) / 1e6 - RESOLUTION_MS : 0
      return {
        benchGcMs: pauses.reduce((sum, pause) => sum + pause, 0),
        benchGcMaxMs: Math.max(0, ...pauses),
        benchLagP99: Math.max(0, p99),
      }
    },
  }
}
