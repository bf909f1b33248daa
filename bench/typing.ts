import type { RawClient, Typist } from './clients.js'
import { KeystrokeLog } from './keystrokes.js'
import { firstStruct } from './protocol.js'
import { mapLimit, sleep, waitFor } from './stats.js'

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
    const id = firstStruct(update)
    if (id) log.arrived(id.client, id.clock, at)
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
}

/**
 * One latency run: typists type for `durationMs` (the first `warmupMs` not measured), then the
 * run waits until every keystroke reached its `receiversEach` receivers (or `drainMs` passed).
 */
export async function typingRun(
  typists: readonly Typist[],
  setLog: (log: KeystrokeLog | null) => void,
  options: { rate: number; durationMs: number; warmupMs: number; receiversEach: number; drainMs?: number },
): Promise<TypingRun> {
  const log = new KeystrokeLog()
  log.measureFrom = performance.now() + options.warmupMs
  setLog(log)
  for (const typist of typists) typist.log = log
  const typing = startTyping(typists, options.rate)
  await sleep(options.durationMs)
  typing.stop()
  await waitFor(() => log.arrivals >= log.keystrokes * options.receiversEach, options.drainMs ?? 10_000)
  setLog(null)
  for (const typist of typists) typist.log = null
  const { p50, p99, max, samples } = log.latency()
  return { p50, p99, max, samples, lost: log.lost(options.receiversEach), keystrokes: log.keystrokes }
}

/** Opens many clients, `limit` at a time, and waits until each is ready. */
export async function connectAll<T>(count: number, limit: number, open: (index: number) => Promise<T>): Promise<T[]> {
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    limit,
    (i) => open(i),
  )
}
