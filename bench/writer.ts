import { RawClient } from './clients.js'
import { encodeStored, encodeUpdate, firstStruct } from './protocol.js'
import type { BenchServer, ServerKind } from './servers.js'
import type { History } from './content.js'

export interface WriterOptions {
  /** At most this many updates sent and not yet acknowledged. */
  readonly inFlight: number
  /** Our server: ask "stored?" (message 100) after this many updates. */
  readonly ackEvery: number
  /**
   * The baseline has no acknowledgement; it echoes every update to its sender after applying it.
   * Echoes from these Yjs clients count (null: every update arriving on this socket).
   */
  readonly own: ReadonlySet<number> | null
}

/**
 * Sends prepared updates as fast as the server takes them, with a bounded window. Our server
 * acknowledges updates as durably stored (message 100); the baseline only relays them, so there
 * the echo of the sender's own update is the acknowledgement (relayed, not stored).
 */
export class Writer {
  readonly #client: RawClient
  readonly #ours: boolean
  readonly #options: WriterOptions
  sent = 0
  acknowledged = 0
  onAcknowledged: ((total: number, at: number) => void) | null = null
  #wake: () => void = () => {}

  constructor(client: RawClient, kind: ServerKind, options: WriterOptions) {
    this.#client = client
    this.#ours = kind === 'ours'
    this.#options = options
    if (this.#ours) {
      client.onStored = (request, at) => this.#acknowledge(request, at)
    } else {
      const own = options.own
      const previous = client.onUpdate
      client.onUpdate = (update, at) => {
        previous?.(update, at)
        if (own) {
          const id = firstStruct(update)
          if (!id || !own.has(id.client)) return
        }
        this.#acknowledge(this.acknowledged + 1, at)
      }
    }
  }

  #acknowledge(total: number, at: number) {
    if (total <= this.acknowledged) return
    this.acknowledged = total
    this.onAcknowledged?.(total, at)
    this.#wake()
  }

  /**
   * Sends `next()` until it returns undefined or `stop()` holds; resolves once everything sent is
   * acknowledged (stored, on our server; echoed, on the baseline).
   */
  run(next: () => Uint8Array | undefined, stop: () => boolean = () => false): Promise<void> {
    const { inFlight, ackEvery } = this.#options
    let requested = this.sent
    let done = false
    return new Promise((resolve) => {
      const pump = () => {
        while (!done && this.sent - this.acknowledged < inFlight) {
          const update = stop() ? undefined : next()
          if (!update) {
            done = true
            break
          }
          this.#client.send(encodeUpdate(update))
          this.sent += 1
          if (this.#ours && this.sent - requested >= ackEvery) this.#request((requested = this.sent))
        }
        if (done && this.#ours && requested < this.sent) this.#request((requested = this.sent))
        if (done && this.acknowledged >= this.sent) {
          this.#wake = () => {}
          resolve()
        }
      }
      this.#wake = pump
      pump()
    })
  }

  #request(count: number) {
    this.#client.send(encodeStored(count))
  }
}

/**
 * A synced client to send prepared updates from. The baseline loads a document only after
 * answering the first client and then broadcasts what it loaded; wait for that to pass, so it is
 * not taken for the echo of a sent update.
 */
export async function openSender(server: BenchServer, docId: string): Promise<RawClient> {
  const client = new RawClient(server.docUrl(docId))
  await client.synced
  await server.waitIdle()
  return client
}

/**
 * Sends a document's history to a server as edits, as fast as it takes them (acknowledged as
 * stored by ours). Not timed: scenarios send to both servers at once.
 */
export async function sendHistory(server: BenchServer, docId: string, history: History) {
  const sender = await openSender(server, docId)
  await writeHistory(sender, server.kind, history)
  await sender.close()
}

/** Writes a history's edits through an open sender, as fast as the server takes them. */
export async function writeHistory(sender: RawClient, kind: ServerKind, history: History) {
  let next = 0
  await new Writer(sender, kind, { inFlight: 512, ackEvery: 64, own: null }).run(() => history.updates[next++])
}
