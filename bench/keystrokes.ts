import type { KeystrokeLatencies } from './resample.js'
import { Samples, type LatencySummary } from './stats.js'

interface Sent {
  /** Clock of the typist's first recorded keystroke. */
  readonly base: number
  /** Send time of keystroke `base + i` (performance.now(), ms). */
  readonly times: number[]
  /** How many receivers got keystroke `base + i`. */
  readonly arrivals: number[]
  /** Measured latencies (ms) of keystroke `base + i`, one per receiver so far (none in the warm-up). */
  readonly latencies: number[][]
}

/**
 * Every keystroke sent in a run (Yjs client:clock → send time) and where it arrived: delivery
 * latency from the send to each receiver's `message` event, and keystrokes that never arrived.
 */
export class KeystrokeLog {
  readonly #sent = new Map<number, Sent>()
  /** Keystrokes sent before this time are a warm-up: counted for losses, not for latency. */
  measureFrom = 0
  #keystrokes = 0
  #arrivals = 0

  /** Number of keystrokes sent. */
  get keystrokes(): number {
    return this.#keystrokes
  }

  get arrivals(): number {
    return this.#arrivals
  }

  sent(client: number, clock: number, at: number) {
    let entry = this.#sent.get(client)
    if (!entry) {
      entry = { base: clock, times: [], arrivals: [], latencies: [] }
      this.#sent.set(client, entry)
    }
    const index = clock - entry.base
    entry.times[index] = at
    entry.arrivals[index] = 0
    if (at >= this.measureFrom) entry.latencies[index] = []
    this.#keystrokes += 1
  }

  /** A receiver got keystroke client:clock at `at`; keystrokes not sent in this run are ignored. */
  arrived(client: number, clock: number, at: number) {
    const entry = this.#sent.get(client)
    if (!entry) return
    const index = clock - entry.base
    const sentAt = entry.times[index]
    if (sentAt === undefined) return
    entry.arrivals[index]! += 1
    this.#arrivals += 1
    if (sentAt >= this.measureFrom) entry.latencies[index]!.push(at - sentAt)
  }

  /** Keystroke deliveries missing, when each keystroke should reach `receiversEach` clients. */
  lost(receiversEach: number): number {
    let lost = 0
    for (const entry of this.#sent.values()) for (const count of entry.arrivals) if (count !== undefined) lost += Math.max(0, receiversEach - count)
    return lost
  }

  /** p50, p99 and max of every measured delivery. */
  latency(): LatencySummary {
    const samples = new Samples()
    for (const keystroke of this.byKeystroke()) for (const latency of keystroke) samples.add(latency)
    return samples.summary()
  }

  /** The measured deliveries, keystroke by keystroke (for `p99RatioInterval`). */
  byKeystroke(): KeystrokeLatencies {
    return [...this.#sent.values()].flatMap((entry) => entry.latencies.filter((latencies) => latencies !== undefined))
  }
}
