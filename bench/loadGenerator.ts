import { spawn } from 'node:child_process'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'

/**
 * The load generator (this process) times every delivery, so its own pauses land in every
 * server's latencies alike: holding thousands of Y.Docs it scavenged 17–23 times in a 6-s run of
 * the many-documents row, 20–55 ms each, 4–10% of the run. Each latency run therefore reports
 * what it paused. A larger young generation is no cure for every row: with `--max-semi-space-size=64`
 * the many-documents row scavenged 3–5 times a run, but the cluster row (6,000 clients all typing)
 * paused 60–150 ms a scavenge instead of 30–60 and its p99 rose from 50–78 ms to 122–448 ms.
 * `--expose-gc` lets it collect before each run (`collectGarbage`).
 */
export const LOAD_GENERATOR_FLAGS = ['--expose-gc'] as const

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

/** The flags of LOAD_GENERATOR_FLAGS a process started with `execArgv` and `NODE_OPTIONS` lacks. */
export const missingFlags = (execArgv: readonly string[], nodeOptions = ''): string[] =>
  LOAD_GENERATOR_FLAGS.filter((flag) => !execArgv.includes(flag) && !nodeOptions.split(/\s+/).includes(flag))

/**
 * Runs this script again with the flags it lacks and resolves with its exit code; null when it has
 * them. V8 sizes its heap at start-up, so they need a fresh process. They go in NODE_OPTIONS: the
 * servers are started with an environment of their own, so none of them inherits them.
 */
export function relaunchWithFlags(): Promise<number> | null {
  const missing = missingFlags(process.execArgv, process.env.NODE_OPTIONS)
  if (missing.length === 0) return null
  const nodeOptions = [process.env.NODE_OPTIONS, ...missing].filter(Boolean).join(' ')
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)))
}

/**
 * A full collection before a run, when exposed: setting up thousands of clients leaves garbage
 * whose collection would otherwise fall into whichever server's run comes first.
 */
export function collectGarbage(): void {
  globalThis.gc?.()
}

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
