import WebSocket from 'ws'
import * as Y from 'yjs'
import { decodeServerMessage, encodeSyncStep1, encodeSyncStep2, encodeUpdate, firstStruct, keystrokesIn } from './protocol.js'
import type { KeystrokeLog } from './keystrokes.js'
import { textsOf } from './content.js'

const EMPTY_STATE_VECTOR = new Uint8Array([0])

/** Opens a WebSocket (binary frames, no compression: both servers refuse or skip it anyway). */
function openSocket(url: string): WebSocket {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 })
  socket.binaryType = 'nodebuffer'
  return socket
}

/**
 * A lightweight client without a Y.Doc: it asks for the whole document (sync step 1 with an empty
 * state vector), notes when the answer (sync step 2) arrives, and hands every later update to
 * `onUpdate` with its arrival time. Used as a receiver, a joiner and a writer of prepared updates.
 */
export class RawClient {
  readonly socket: WebSocket
  /**
   * Resolves with the arrival time (performance.now()) of the first sync step 2 and the state it
   * completes: its payload merged with every update received before it (our server sends the
   * updates stored since its last encoding just ahead of the step 2, PROTOCOL.md).
   */
  readonly synced: Promise<{ readonly at: number; readonly update: Uint8Array }>
  /** Resolves when the socket is open (rejects if it fails first). */
  readonly opened: Promise<void>
  readonly closed: Promise<void>
  onUpdate: ((update: Uint8Array, at: number) => void) | null = null
  onStored: ((request: number, at: number) => void) | null = null
  onSyncStep1: ((stateVector: Uint8Array) => void) | null = null
  onAwareness: ((update: Uint8Array, at: number) => void) | null = null
  /** Every document payload received (sync step 2 and updates), for clients that check content. */
  onContent: ((update: Uint8Array, at: number) => void) | null = null

  constructor(url: string, stateVector: Uint8Array = EMPTY_STATE_VECTOR) {
    this.socket = openSocket(url)
    let resolveSynced!: (value: { at: number; update: Uint8Array }) => void
    this.synced = new Promise((resolve) => (resolveSynced = resolve))
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => {
        this.socket.send(encodeSyncStep1(stateVector))
        resolve()
      })
      this.socket.once('error', reject)
      this.socket.once('close', (code) => reject(new Error(`closed with ${code} before opening`)))
    })
    this.opened.catch(() => {})
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()))
    this.socket.on('error', () => {})
    let synced = false
    /** Content that came before the sync step 2: the stored tail our server sends just ahead of it. */
    const before: Uint8Array[] = []
    this.socket.on('message', (data: Buffer) => {
      const at = performance.now()
      const message = decodeServerMessage(data)
      switch (message.kind) {
        case 'syncStep1':
          this.onSyncStep1?.(message.stateVector)
          break
        case 'syncStep2':
          this.onContent?.(message.update, at)
          if (!synced) {
            synced = true
            resolveSynced({ at, update: before.length > 0 ? Y.mergeUpdates([...before, message.update]) : message.update })
            before.length = 0
          }
          break
        case 'update':
          if (!synced) before.push(message.update)
          this.onContent?.(message.update, at)
          this.onUpdate?.(message.update, at)
          break
        case 'stored':
          this.onStored?.(message.request, at)
          break
        case 'awareness':
          this.onAwareness?.(message.update, at)
          break
      }
    })
  }

  send(message: Uint8Array) {
    this.socket.send(message)
  }

  async close() {
    if (this.socket.readyState === WebSocket.CLOSED) return
    this.socket.close()
    const timer = setTimeout(() => this.socket.terminate(), 5000)
    await this.closed
    clearTimeout(timer)
  }
}

/** A document's whole state as the server holds it: the answer to sync step 1 with an empty state vector. */
export async function fetchState(url: string): Promise<Uint8Array> {
  const client = new RawClient(url)
  const { update } = await client.synced
  await client.close()
  return update
}

/** Transaction origin of updates from the server (not to be sent back). */
const REMOTE = Symbol('remote')

/**
 * A typing client: a Y.Doc synced with the server (sync step 1/2, answering the server's step 1),
 * inserting one character per keystroke into its own Y.XmlText of the 'prosemirror' fragment, and
 * (unless it shares a document) applying everyone else's updates as an editor would.
 *
 * Typists may share one Y.Doc (`shared`): each keeps its own Yjs client id and paragraph, so their
 * keystrokes never depend on one another; the join scenario uses this so fifty typists of a 1 MB
 * document do not need fifty copies of it in the load generator.
 */
export class Typist {
  readonly doc: Y.Doc
  readonly clientId: number
  readonly client: RawClient
  readonly #shared: boolean
  /** Where keystrokes sent and received are recorded (one log per run). */
  log: KeystrokeLog | null
  #text: Y.XmlText | null = null
  readonly #textIndex: number
  #cursor = 0
  readonly #ready: Promise<void>

  constructor(url: string, doc: Y.Doc, options: { textIndex: number; log?: KeystrokeLog; shared?: boolean; expected?: Map<number, number> }) {
    this.doc = doc
    this.#shared = options.shared ?? false
    this.clientId = this.#shared ? Math.floor(Math.random() * 0xffffffff) : doc.clientID
    this.log = options.log ?? null
    this.#textIndex = options.textIndex
    this.client = new RawClient(url, Y.encodeStateVector(doc))
    this.client.onSyncStep1 = (stateVector) => this.client.send(encodeSyncStep2(Y.encodeStateAsUpdate(doc, stateVector)))
    this.client.onContent = (update) => {
      if (!this.#shared) Y.applyUpdate(doc, update, REMOTE)
    }
    this.client.onUpdate = (update, at) => {
      for (const id of keystrokesIn(update)) if (id.client !== this.clientId) this.log?.arrived(id.client, id.clock, at)
    }
    // The baseline answers sync step 1 from whatever it has loaded so far; wait for the content.
    const expected = options.expected
    this.#ready = this.client.synced.then(async () => {
      if (expected && !this.#shared) {
        while (!covers(Y.decodeStateVector(Y.encodeStateVector(doc)), expected)) await new Promise((resolve) => setTimeout(resolve, 20))
      }
    })
    doc.on('update', this.#onLocalUpdate)
  }

  /** Resolves once the document is synced (and holds `expected`, when given). */
  get ready(): Promise<void> {
    return this.#ready
  }

  /** Types one character at the typist's cursor; the update goes to the server at once. */
  type(char = 'a') {
    if (!this.#text) {
      const texts = textsOf(this.doc)
      this.#text = texts[this.#textIndex % texts.length]!
      this.#cursor = this.#text.length
    }
    if (this.#shared) this.doc.clientID = this.clientId
    this.#cursor = Math.min(this.#cursor, this.#text.length)
    const text = this.#text
    const cursor = this.#cursor++
    this.doc.transact(() => text.insert(cursor, char), this)
  }

  readonly #onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== this) return
    const id = firstStruct(update)
    if (id) this.log?.sent(id.client, id.clock, performance.now())
    this.client.send(encodeUpdate(update))
  }

  async close() {
    this.doc.off('update', this.#onLocalUpdate)
    await this.client.close()
  }
}

/** Whether state vector `have` holds everything `want` does. */
export function covers(have: Map<number, number>, want: Map<number, number>): boolean {
  for (const [client, clock] of want) if ((have.get(client) ?? 0) < clock) return false
  return true
}
