import { RawClient } from '../clients.js'
import { encodeAwareness } from '../protocol.js'
import { encodeAwarenessEntries } from '../../shared/protocol/awareness.js'
import { connectAll } from '../typing.js'

/** Clients connected at once while a group opens. */
const CONNECT_CONCURRENCY = 50

/** When a cursor move was sent: awareness id, clock, and the time on the shared clock (`absoluteNow`). */
export type SentMove = readonly [clientId: number, clock: number, at: number]

/** What a group of moving clients needs to know: where to connect and where cursors may go. */
export interface PresenceGroupOptions {
  readonly url: string
  /**
   * The awareness id of the run's first client; the others follow. A new range each run: a server
   * that still knows an id from an earlier run ignores moves with older clocks, or (ours) raises the
   * clock of an id taken again, which a stock provider adopts and this bench client would not.
   */
  readonly idBase: number
  /** Index of the group's first client among all of the run's clients (gives ids and cursor spread). */
  readonly first: number
  readonly count: number
  /** Relative positions (as JSON) the cursors move between. */
  readonly cursors: readonly unknown[]
}

/**
 * Milliseconds on the monotonic clock every thread of the load generator shares, so a move timed in
 * a worker can be matched with its arrival in another (`performance.now()` starts anew in each
 * worker, and `performance.timeOrigin` follows the wall clock, which may be stepped meanwhile).
 */
export const absoluteNow = () => Number(process.hrtime.bigint()) / 1e6

/**
 * A group of the run's clients, each moving its cursor (an awareness update with a valid
 * y-prosemirror cursor) on its own random phase and logging when each move was sent. What they
 * receive is left to `RawClient` (dropped unless someone listens).
 */
export class PresenceGroup {
  readonly clients: RawClient[]
  readonly sent: SentMove[] = []
  readonly #options: PresenceGroupOptions
  readonly #clocks: number[]
  #stops: Array<() => void> = []

  private constructor(clients: RawClient[], options: PresenceGroupOptions) {
    this.clients = clients
    this.#options = options
    this.#clocks = clients.map(() => 0)
  }

  static async connect(options: PresenceGroupOptions): Promise<PresenceGroup> {
    const clients = await connectAll(options.count, CONNECT_CONCURRENCY, async () => {
      const client = new RawClient(options.url)
      await client.synced
      return client
    })
    return new PresenceGroup(clients, options)
  }

  /** Every client announces itself (ours takes the id for the connection). */
  announce() {
    this.clients.forEach((_, i) => this.#move(i))
  }

  /** Each client moves `rate` times a second, starting at a random phase. */
  start(rate: number) {
    const period = 1000 / rate
    this.#stops = this.clients.map((_, i) => {
      let timer: NodeJS.Timeout
      const first = setTimeout(() => {
        this.#move(i)
        timer = setInterval(() => this.#move(i), period)
      }, Math.random() * period)
      return () => (clearTimeout(first), clearInterval(timer))
    })
  }

  stop() {
    for (const stop of this.#stops) stop()
    this.#stops = []
  }

  async close() {
    this.stop()
    await Promise.all(this.clients.map((client) => client.close()))
  }

  #move(i: number) {
    const index = this.#options.first + i
    const clientId = this.#options.idBase + index
    const clock = ++this.#clocks[i]!
    const cursors = this.#options.cursors
    const position = cursors[(index + clock) % cursors.length]
    const state = JSON.stringify({ user: { name: `peserta ${index}`, color: '#336699' }, cursor: { anchor: position, head: position } })
    this.sent.push([clientId, clock, absoluteNow()])
    this.clients[i]!.send(encodeAwareness(encodeAwarenessEntries([{ clientId, clock, state }])))
  }
}
