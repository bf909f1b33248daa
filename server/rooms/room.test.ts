import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { User } from '../../shared/accounts.js'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import {
  encodeAwareness,
  encodeStored,
  encodeUpdate,
  messageAuth,
  messageStored,
  messageAwareness,
  messageSync,
  PermissionDenied,
  syncStep1,
  syncUpdate,
} from '../../shared/protocol/messages.js'
import { decodeAwarenessEntries, encodeAwarenessEntries } from '../../shared/protocol/awareness.js'
import { SchemaFirewall } from '../../shared/model/firewall.js'
import { encodeDocument, FRAGMENT } from '../../shared/model/ydoc.js'
import { bab, pasal, regulation } from '../../shared/model/builders.js'
import { MemoryStorage } from '../storage/memory.js'
import type { UpdateEntry } from '../storage/types.js'
import { DEFAULT_META, type DocumentRecord } from '../../shared/documents.js'
import { Connection } from './connection.js'
import { GroupCommit } from './groupCommit.js'
import { admitEverything, inlineValidator } from './validation.js'
import { Room, type RoomOptions } from './room.js'
import { Rooms } from './rooms.js'
import type { Extension, onUpdateStoredPayload } from './hooks.js'
import { prng } from '../../test/harness/random.js'
import { wholeMessage, type Outgoing, type SocketLike } from './socket.js'

/*
 * Room tests over an in-memory socket pair: no network, no `ws`. Messages sit in queues until the
 * test delivers them, so delivery order is under the test's (seeded) control.
 */

const DOC_ID = 'uji-ruang'
const RECORD: DocumentRecord = { id: DOC_ID, title: 'Dokumen uji', createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e1', meta: DEFAULT_META }
const EDITOR: User = { id: 'id-penyusun', username: 'penyusun', name: 'Penyusun', bidang: 'Bidang Aplikasi Informatika', role: 'editor' }
const VIEWER: User = { id: 'id-pembaca', username: 'pembaca', name: 'Pembaca', bidang: 'Bidang Statistik', role: 'viewer' }

/**
 * A group commit on `storage` whose writes can be held, as on a slow disk: after `hold()` they wait
 * for `release()`; `hold()` resolves when the first held write starts. `stored` lists what was written.
 */
function gatedCommit(storage: MemoryStorage) {
  const stored: UpdateEntry[] = []
  let held = Promise.resolve()
  let release = () => {}
  let writing = () => {}
  const commit = new GroupCommit(async (entries) => {
    writing()
    await held
    await storage.appendUpdates(entries)
    stored.push(...entries)
  })
  const hold = () => {
    held = new Promise<void>((resolve) => (release = resolve))
    return new Promise<void>((resolve) => (writing = resolve))
  }
  return { commit, stored, hold, release: () => release() }
}

const OPTIONS: RoomOptions = {
  compactAfterUpdates: 500,
  maxBufferedBytes: 1024 * 1024,
  maxStateBytes: 16 * 1024,
  maxClientsPerConnection: 8,
  validator: inlineValidator,
  syncAnswersPerMinute: 60,
  // These tests exercise the room on plain Yjs types (a Y.Text, a Y.Array), not on the schema; the
  // schema firewall is tested on its own and, in a room, by the test that names it.
  createFirewall: () => admitEverything,
}

/** The server's end of an in-memory socket: what the room sends waits in `inbox` for the client. */
class MemorySocket implements SocketLike {
  bufferedAmount = 0
  readonly inbox: Uint8Array[] = []
  closedWith: { code: number; reason: string } | null = null
  onSend: (message: Uint8Array) => void = () => {}
  onClose: () => void = () => {}

  send(outgoing: Outgoing) {
    if (this.closedWith) throw new Error('send after close')
    const message = wholeMessage(outgoing)
    this.onSend(message)
    this.inbox.push(message)
  }

  close(code: number, reason: string) {
    if (this.closedWith) return
    this.closedWith = { code, reason }
    // As the transport does: the close event, and with it leaving the room, comes later.
    queueMicrotask(this.onClose)
  }
}

/** A client speaking y-protocols like the stock provider, over a `MemorySocket`. */
class MemoryClient {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly denials: string[] = []
  outbox: Uint8Array[] = []
  socket!: MemorySocket
  connection!: Connection
  online = false

  constructor(
    readonly room: Room,
    readonly user: User,
    readonly canWrite: boolean,
  ) {
    this.awareness.setLocalState(null)
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this && this.online) this.outbox.push(encodeUpdate(update))
    })
    this.connect()
  }

  connect() {
    this.socket = new MemorySocket()
    this.connection = new Connection(this.socket, this.user, this.canWrite)
    const connection = this.connection
    this.socket.onClose = () => {
      connection.closed = true
      this.room.leave(connection)
      if (this.connection === connection) this.online = false
    }
    this.online = true
    this.outbox = []
    this.room.join(this.connection)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageSync)
    syncProtocol.writeSyncStep1(encoder, this.doc)
    this.outbox.push(encoding.toUint8Array(encoder))
  }

  /** Drops the connection; whatever was in flight is lost. */
  disconnect() {
    if (!this.online) return
    this.online = false
    this.outbox = []
    this.socket.inbox.length = 0
    this.connection.closed = true
    this.room.leave(this.connection)
  }

  get pending(): number {
    return this.online ? this.outbox.length + this.socket.inbox.length : 0
  }

  /** Hands up to `count` queued messages to the server. */
  sendToServer(count = Infinity) {
    while (this.online && count-- > 0 && this.outbox.length > 0) this.room.receive(this.connection, this.outbox.shift()!)
  }

  /** Reads up to `count` messages the server sent. */
  readFromServer(count = Infinity) {
    while (this.online && count-- > 0 && this.socket.inbox.length > 0) this.#read(this.socket.inbox.shift()!)
  }

  #read(message: Uint8Array) {
    const decoder = decoding.createDecoder(message)
    const type = decoding.readVarUint(decoder)
    if (type === messageSync) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageSync)
      syncProtocol.readSyncMessage(decoder, encoder, this.doc, this)
      if (encoding.length(encoder) > 1) this.outbox.push(encoding.toUint8Array(encoder))
    } else if (type === messageAwareness) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this)
    } else if (type === messageAuth) {
      decoding.readVarUint(decoder)
      this.denials.push(decoding.readVarString(decoder))
    }
  }
}

/** Delivers every queued message both ways until nothing moves and everything accepted is stored. */
async function deliverAll(room: Room, clients: readonly MemoryClient[]) {
  for (let round = 0; round < 1_000; round++) {
    for (const client of clients) {
      client.sendToServer()
      client.readFromServer()
    }
    await room.settle()
    if (clients.every((c) => c.pending === 0)) return
  }
  throw new Error('messages kept flowing after 1000 rounds')
}

async function createRoom(options: Partial<RoomOptions> = {}, storage = new MemoryStorage(), initial?: Y.Doc) {
  if (!(await storage.getDocument(DOC_ID))) {
    const seed = initial ?? new Y.Doc()
    if (!initial) seed.getText('teks').insert(0, 'Pasal 1 berbunyi.')
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(seed))
  }
  const commit = new GroupCommit((entries) => storage.appendUpdates(entries))
  const room = await Room.load(RECORD, storage, commit, { ...OPTIONS, ...options })
  return { room, storage, commit }
}

const textOf = (doc: Y.Doc) => doc.getText('teks').toString()
const isDocUpdate = (message: Uint8Array) => message[0] === messageSync && message[1] === syncUpdate

const awarenessMessage = (entries: Array<[clientId: number, clock: number, state: unknown]>): Uint8Array =>
  encodeAwareness(encodeAwarenessEntries(entries.map(([clientId, clock, state]) => ({ clientId, clock, state: JSON.stringify(state) }))))

/** A valid y-prosemirror cursor (a caret before item `n:0` of the fragment); the room drops malformed ones. */
const cursor = (n: number) => {
  const position = { type: null, tname: FRAGMENT, item: { client: n, clock: 0 }, assoc: 0 }
  return { anchor: position, head: position }
}

/** The presence `observer` shows once the room has relayed everything it was sent. */
async function presenceSeenBy(observer: MemoryClient, room: Room) {
  await room.settle()
  observer.readFromServer()
  return observer.awareness.getStates()
}

describe('Room', () => {
  it('opens the sync handshake with its state vector and sends a joining client the whole stored document', async () => {
    const { room } = await createRoom()
    const client = new MemoryClient(room, EDITOR, true)
    const first = client.socket.inbox[0]!
    const decoder = decoding.createDecoder(first)
    expect([decoding.readVarUint(decoder), decoding.readVarUint(decoder)]).toEqual([messageSync, syncStep1])
    expect(decoding.readVarUint8Array(decoder)).toEqual(Y.encodeStateVector(room.doc))
    await deliverAll(room, [client])
    expect(textOf(client.doc)).toBe('Pasal 1 berbunyi.')
    expect(Y.encodeStateVector(client.doc)).toEqual(Y.encodeStateVector(room.doc))
  })

  it('answers joining clients from the stored bytes, state and log merged, without building the Y.Doc; the first edit builds it and is stored before it is relayed (S1)', async () => {
    const storage = new MemoryStorage()
    const seed = new Y.Doc()
    seed.getText('teks').insert(0, 'Pasal 1 berbunyi.')
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(seed))
    const logged: UpdateEntry[] = []
    seed.on('update', (update: Uint8Array) => logged.push({ docId: DOC_ID, clock: logged.length + 1, update }))
    seed.getText('teks').insert(17, ' Ayat 1.')
    seed.getText('teks').insert(25, ' Ayat 2.')
    await storage.appendUpdates(logged)
    const { room } = await createRoom({}, storage)

    const first = new MemoryClient(room, EDITOR, true)
    const second = new MemoryClient(room, VIEWER, false)
    const opening = decoding.createDecoder(first.socket.inbox[0]!)
    decoding.readVarUint(opening)
    decoding.readVarUint(opening)
    expect(decoding.readVarUint8Array(opening)).toEqual(Y.encodeStateVector(seed))
    await deliverAll(room, [first, second])
    expect(textOf(first.doc)).toBe('Pasal 1 berbunyi. Ayat 1. Ayat 2.')
    expect(textOf(second.doc)).toBe('Pasal 1 berbunyi. Ayat 1. Ayat 2.')
    expect(room.documentBuilt).toBe(false)

    first.doc.getText('teks').insert(0, 'Bab I. ')
    await deliverAll(room, [first, second])
    expect(room.documentBuilt).toBe(true)
    expect(textOf(room.doc)).toBe('Bab I. Pasal 1 berbunyi. Ayat 1. Ayat 2.')
    expect(textOf(second.doc)).toBe('Bab I. Pasal 1 berbunyi. Ayat 1. Ayat 2.')
    expect((await storage.loadDocument(DOC_ID)).updates).toHaveLength(3)
  })

  it('asks the storage to reclaim what its compactions replaced when it closes, once that passed a megabyte', async () => {
    class TidiedStorage extends MemoryStorage {
      readonly tidied: string[] = []
      async tidyDocument(id: string) {
        this.tidied.push(id)
      }
    }
    const edit = async (chunk: string, times: number) => {
      const storage = new TidiedStorage()
      const { room } = await createRoom({ compactAfterUpdates: 1, maxStateBytes: 4 * 1024 * 1024, maxBufferedBytes: 4 * 1024 * 1024 }, storage)
      const editor = new MemoryClient(room, EDITOR, true)
      await deliverAll(room, [editor])
      for (let i = 0; i < times; i++) {
        editor.doc.getText('teks').insert(0, chunk)
        await deliverAll(room, [editor])
        await room.settle()
      }
      expect(storage.tidied).toEqual([])
      await room.close()
      expect((await storage.loadDocument(DOC_ID)).updates).toEqual([])
      return storage.tidied
    }
    // Four pastes of 200 kB: the states they replaced and their log add up to 2 MB.
    expect(await edit('x'.repeat(200_000), 4)).toEqual([DOC_ID])
    // Forty keystrokes, compacted one by one: kilobytes replaced, nothing worth a tidy.
    expect(await edit('a', 40)).toEqual([])
  })

  it('stores the state vector with the state it compacts, also on closing a document only read that lacked one, so the next open decodes nothing', async () => {
    const { room, storage } = await createRoom()
    expect((await storage.loadDocument(DOC_ID)).stateVector).toBeNull()
    const reader = new MemoryClient(room, VIEWER, false)
    await deliverAll(room, [reader])
    await room.close()
    const read = await storage.loadDocument(DOC_ID)
    expect(read.stateVector).toEqual(Y.encodeStateVectorFromUpdate(read.state!))
    expect(read.stateVector).toEqual(Y.encodeStateVector(reader.doc))

    const reopened = await Room.load(RECORD, storage, new GroupCommit((entries) => storage.appendUpdates(entries)), OPTIONS)
    const editor = new MemoryClient(reopened, EDITOR, true)
    await deliverAll(reopened, [editor])
    editor.doc.getText('teks').insert(0, 'Bab I. ')
    await deliverAll(reopened, [editor])
    await reopened.close()
    const edited = await storage.loadDocument(DOC_ID)
    expect(edited.updates).toEqual([])
    expect(edited.stateVector).toEqual(Y.encodeStateVector(editor.doc))
    expect(edited.stateVector).toEqual(Y.encodeStateVectorFromUpdate(edited.state!))
  })

  it('still loads a document whose stored log holds an update Yjs refuses: the others are applied and served', async () => {
    const storage = new MemoryStorage()
    const seed = new Y.Doc()
    seed.getText('teks').insert(0, 'awal')
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(seed))
    const before = Y.encodeStateVector(seed)
    seed.getText('teks').insert(4, ' akhir')
    await storage.appendUpdates([
      { docId: DOC_ID, clock: 1, update: new Uint8Array([3, 200, 1, 7, 0xff, 0xff, 0xff]) },
      { docId: DOC_ID, clock: 2, update: Y.encodeStateAsUpdate(seed, before) },
    ])
    const { room } = await createRoom({}, storage)
    const client = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [client])
    expect(textOf(client.doc)).toBe('awal akhir')
  })

  it('stores an update before it applies or relays it, and never echoes it to its writer (S1)', async () => {
    const storage = new MemoryStorage()
    const { commit: gated, stored, hold, release } = gatedCommit(storage)
    const seed = new Y.Doc()
    seed.getText('teks').insert(0, 'awal')
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(seed))
    const room = await Room.load(RECORD, storage, gated, OPTIONS)
    const writer = new MemoryClient(room, EDITOR, true)
    const reader = new MemoryClient(room, EDITOR, true)
    // Handshake first, with writes flowing freely.
    await deliverAll(room, [writer, reader])
    const writeStarted = hold()

    const relayedWhileStored: number[] = []
    reader.socket.onSend = (message) => {
      if (isDocUpdate(message)) relayedWhileStored.push(stored.length)
    }
    writer.doc.getText('teks').insert(0, 'ubah ')
    writer.sendToServer()
    await writeStarted
    // Held in storage: not in the room's document, not sent to anyone.
    expect(textOf(room.doc)).toBe('awal')
    expect(reader.socket.inbox.filter(isDocUpdate)).toEqual([])

    release()
    await room.settle()
    expect(textOf(room.doc)).toBe('ubah awal')
    expect(relayedWhileStored).toEqual([1])
    expect(writer.socket.inbox.filter(isDocUpdate)).toEqual([])
    reader.readFromServer()
    expect(textOf(reader.doc)).toBe('ubah awal')
  })

  it('relays an update once it is written to the log, and answers its writer\'s "stored?" only after the fsync (S1) (S2)', async () => {
    const storage = new MemoryStorage()
    let release = () => {}
    let syncs = 0
    const commit = new GroupCommit((entries) => storage.appendUpdates(entries), {
      logSync: {
        sync: () => {
          syncs += 1
          return new Promise<void>((resolve) => (release = resolve))
        },
        writeDurably: (entries) => storage.appendUpdates(entries),
      },
    })
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(new Y.Doc()))
    const room = await Room.load(RECORD, storage, commit, OPTIONS)
    const writer = new MemoryClient(room, EDITOR, true)
    const reader = new MemoryClient(room, { ...EDITOR, id: 'id-pembaca-2', username: 'pembaca2' }, true)
    await deliverAll(room, [writer, reader])

    writer.doc.getText('teks').insert(0, 'ubah')
    writer.sendToServer()
    room.receive(writer.connection, encodeStored(7))
    await room.settle()
    // Written: applied and relayed while the fsync is still running...
    expect(syncs).toBe(1)
    reader.readFromServer()
    expect(textOf(reader.doc)).toBe('ubah')
    // ...but not acknowledged.
    const acknowledged = () => writer.socket.inbox.filter((m) => m[0] === messageStored)
    expect(acknowledged()).toEqual([])
    release()
    await commit.drain()
    await new Promise((resolve) => setImmediate(resolve))
    expect(acknowledged()).toEqual([encodeStored(7)])
  })

  it('relays a stored batch as one message per connection, in storing order, in the turn its write completes and never before (S1)', async () => {
    const storage = new MemoryStorage()
    const { commit: gated, stored, hold, release } = gatedCommit(storage)
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(new Y.Doc()))
    const room = await Room.load(RECORD, storage, gated, OPTIONS)
    const first = new MemoryClient(room, EDITOR, true)
    const second = new MemoryClient(room, { ...EDITOR, id: 'id-kedua', username: 'kedua' }, true)
    const reader = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [first, second, reader])
    const writeStarted = hold()

    const storedAtRelay: number[] = []
    reader.socket.onSend = (message) => {
      if (isDocUpdate(message)) storedAtRelay.push(stored.length)
    }
    // Sent in one turn: validated, then appended to one batch, the first writer's edit first.
    first.doc.getText('teks').insert(0, 'satu')
    second.doc.getText('teks').insert(0, 'dua')
    first.sendToServer()
    second.sendToServer()
    await writeStarted
    expect(reader.socket.inbox.filter(isDocUpdate)).toEqual([])

    const before = stored.length
    release()
    // The next turn of the event loop: by then the batch is applied and relayed.
    await new Promise((resolve) => setImmediate(resolve))
    expect(stored.slice(before).map((entry) => Y.decodeUpdate(entry.update).structs[0]!.id.client)).toEqual([first.doc.clientID, second.doc.clientID])
    expect(storedAtRelay).toEqual([before + 2])
    expect(reader.socket.inbox.filter(isDocUpdate)).toHaveLength(1)
    reader.readFromServer()
    expect(textOf(reader.doc)).toBe(textOf(room.doc))
    expect(textOf(reader.doc)).toContain('satu')
    expect(textOf(reader.doc)).toContain('dua')
    // Each writer receives the other's edit within the same merged message.
    first.readFromServer()
    second.readFromServer()
    expect(textOf(first.doc)).toBe(textOf(room.doc))
    expect(textOf(second.doc)).toBe(textOf(room.doc))
  })

  it('hands a keystroke the inline decoder proves to storage in the turn it arrives, and relays it before applying it and running the hooks', async () => {
    const seen: Array<{ relayed: number; applied: string }> = []
    let reader!: MemoryClient
    const { room, commit } = await createRoom({
      onUpdateStored: ({ room }) => seen.push({ relayed: reader.socket.inbox.filter(isDocUpdate).length, applied: textOf(room.doc) }),
    })
    const writer = new MemoryClient(room, EDITOR, true)
    reader = new MemoryClient(room, VIEWER, false)
    await deliverAll(room, [writer, reader])
    const appended: number[] = []
    const append = commit.append.bind(commit)
    commit.append = (entry, callbacks) => {
      appended.push(entry.clock)
      append(entry, callbacks)
    }

    writer.doc.getText('teks').insert(0, 'Ayat ')
    writer.sendToServer()
    // No promise in between: appended before receive returned.
    expect(appended).toHaveLength(1)
    await room.settle()
    expect(seen).toEqual([{ relayed: 1, applied: 'Ayat Pasal 1 berbunyi.' }])
    reader.readFromServer()
    expect(textOf(reader.doc)).toBe('Ayat Pasal 1 berbunyi.')
  })

  it("stores the draft's last change with a person's first keystroke and again when someone else types, not with every keystroke", async () => {
    const { room, storage } = await createRoom()
    const rina = new MemoryClient(room, EDITOR, true)
    const bayu = new MemoryClient(room, { ...EDITOR, id: 'id-bayu', username: 'bayu' }, true)
    await deliverAll(room, [rina, bayu])
    const modifiedBy: string[] = []
    const appendUpdates = storage.appendUpdates.bind(storage)
    storage.appendUpdates = (entries) => {
      for (const entry of entries) modifiedBy.push(entry.modified?.by.username ?? '-')
      return appendUpdates(entries)
    }
    for (const [client, text] of [
      [rina, 'a'],
      [rina, 'b'],
      [rina, 'c'],
      [bayu, 'd'],
      [bayu, 'e'],
    ] as const) {
      client.doc.getText('teks').insert(0, text)
      await deliverAll(room, [client])
    }
    expect(modifiedBy).toEqual([EDITOR.username, '-', '-', 'bayu', '-'])
    expect((await storage.listLastModified()).get(DOC_ID)?.by.username).toBe('bayu')
  })

  it('relays a typed insertion as the bytes it was stored as, without Yjs encoding the transaction again, and a deletion as what it changed', async () => {
    const { room } = await createRoom()
    const writer = new MemoryClient(room, EDITOR, true)
    const reader = new MemoryClient(room, VIEWER, false)
    await deliverAll(room, [writer, reader])
    const events: string[] = []
    const doc = room.doc
    const emit = doc.emit.bind(doc)
    doc.emit = (name, args) => {
      events.push(name)
      emit(name, args)
    }

    writer.doc.getText('teks').insert(0, 'a')
    const sent = writer.outbox.at(-1)!
    writer.sendToServer()
    await room.settle()
    expect(reader.socket.inbox.filter(isDocUpdate)).toEqual([sent])
    expect(events).toContain('afterTransaction')
    expect(events).not.toContain('update')
    reader.readFromServer()
    expect(textOf(reader.doc)).toBe(textOf(room.doc))

    // A deletion is relayed as what it changed; sent again (as in a reconnect's sync step 2), it
    // changes nothing and nothing is relayed.
    writer.doc.getText('teks').delete(0, 1)
    const deletion = writer.outbox.at(-1)!
    writer.sendToServer()
    await room.settle()
    reader.readFromServer()
    expect(textOf(reader.doc)).toBe(textOf(room.doc))
    room.receive(writer.connection, deletion)
    await room.settle()
    expect(reader.socket.inbox).toEqual([])
  })

  it('sends the relay of the update that calls for a compaction before it encodes the document to compact it, and compacts without being asked', async () => {
    const { room, storage } = await createRoom({ compactAfterUpdates: 2 })
    const writer = new MemoryClient(room, EDITOR, true)
    const reader = new MemoryClient(room, VIEWER, false)
    await deliverAll(room, [writer, reader])
    const order: string[] = []
    const compactDocument = storage.compactDocument.bind(storage)
    storage.compactDocument = (...args) => {
      order.push('compact')
      return compactDocument(...args)
    }
    reader.socket.onSend = (message) => {
      if (isDocUpdate(message)) order.push('relay')
    }

    for (const text of ['a', 'b']) {
      writer.doc.getText('teks').insert(0, text)
      writer.sendToServer()
    }
    for (let wait = 0; wait < 100 && !order.includes('compact'); wait++) await new Promise((resolve) => setTimeout(resolve, 1))
    // Both updates in one batch: one relay, then the compaction the second one called for.
    expect(order).toEqual(['relay', 'compact'])
    await room.settle()
    expect((await storage.loadDocument(DOC_ID)).updates).toEqual([])
  })

  it("does not put a compaction's write ahead of updates already waiting for storage, yet compacts a log that edits without pause keep growing", async () => {
    const storage = new MemoryStorage()
    const { commit: gated, hold, release } = gatedCommit(storage)
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(new Y.Doc()))
    const room = await Room.load(RECORD, storage, gated, { ...OPTIONS, compactAfterUpdates: 2 })
    const writer = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [writer])
    const writes: string[] = []
    const appendUpdates = storage.appendUpdates.bind(storage)
    storage.appendUpdates = (entries) => {
      writes.push(...entries.map((entry) => `update ${entry.clock}`))
      return appendUpdates(entries)
    }
    const compactDocument = storage.compactDocument.bind(storage)
    storage.compactDocument = (id, state, through, stateVector) => {
      writes.push(`compaction through ${through}`)
      return compactDocument(id, state, through, stateVector)
    }
    const type = (text: string) => {
      writer.doc.getText('teks').insert(0, text)
      writer.sendToServer()
    }

    // Each update is handed to storage while the one before it is still being written.
    let writing = hold()
    type('a')
    await writing
    for (const [previous, text] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
    ] as const) {
      type(text)
      release()
      writing = hold()
      await writing
      // A while that write waits: the update before it is applied (reading the document applies
      // it without waiting for its timer), and a compaction that is due runs.
      expect(room.doc.getText('teks').toString()).toContain(previous)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    release()
    await room.settle()
    // Clock 2 reaches the threshold while 3 waits, and so on; at 4 (twice the threshold) it compacts.
    expect(writes).toEqual(['update 1', 'update 2', 'update 3', 'update 4', 'compaction through 4', 'update 5'])
    await room.close()
  })

  it('gives each joiner, while others type and the log is compacted, exactly the stored document once it has read sync step 2 (S29)', async () => {
    for (const seed of [1, 2, 3]) {
      const random = prng(seed)
      // Compacting every few updates hands the sync answers a new base again and again.
      const { room } = await createRoom({ compactAfterUpdates: 4 })
      const writers = [0, 1, 2].map(() => new MemoryClient(room, EDITOR, true))
      await deliverAll(room, writers)
      const joiners: MemoryClient[] = []
      for (let round = 0; round < 60; round++) {
        const writer = random.pick(writers)
        const text = writer.doc.getText('teks')
        text.insert(random.int(text.length + 1), random.pick(['a', 'yat ', 'Pasal ']))
        if (random.int(4) === 0 && text.length > 3) text.delete(random.int(text.length - 2), 2)
        for (const client of writers) {
          client.sendToServer(random.int(3))
          client.readFromServer(random.int(3))
        }
        if (random.int(2) === 0) await room.settle()
        if (round % 6 === 5) {
          const joiner = new MemoryClient(room, VIEWER, false)
          joiner.sendToServer()
          joiner.readFromServer()
          // Nothing was applied between its answer and now: it holds exactly what the room stored.
          expect(textOf(joiner.doc)).toBe(textOf(room.doc))
          expect(Y.encodeStateVector(joiner.doc)).toEqual(Y.encodeStateVector(room.doc))
          joiners.push(joiner)
        }
      }
      await deliverAll(room, [...writers, ...joiners])
      for (const client of [...writers, ...joiners]) expect(textOf(client.doc)).toBe(textOf(room.doc))
      await room.close()
    }
  })

  it("drops a read-only connection's write: not applied, not relayed, not stored, and tells it once that it is read-only", async () => {
    const { room, storage } = await createRoom()
    const viewer = new MemoryClient(room, VIEWER, false)
    const editor = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [viewer, editor])
    const before = (await storage.loadDocument(DOC_ID)).updates.length

    viewer.doc.getText('teks').insert(0, 'PEMBACA ')
    viewer.doc.getText('teks').insert(0, 'LAGI ')
    // Also by hand, as a sync step 2.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
    const handMade = new Promise<Uint8Array>((resolve) => copy.once('update', (u: Uint8Array) => resolve(u)))
    copy.getText('teks').insert(0, 'TANGAN ')
    room.receive(viewer.connection, encodeUpdate(await handMade))
    await deliverAll(room, [viewer, editor])

    expect(textOf(room.doc)).toBe('Pasal 1 berbunyi.')
    expect(textOf(editor.doc)).toBe('Pasal 1 berbunyi.')
    expect((await storage.loadDocument(DOC_ID)).updates.length).toBe(before)
    expect(viewer.denials).toEqual(['read-only'])
    expect(viewer.socket.closedWith).toBeNull()
  })

  it("refuses an editor's update that breaks the schema like a viewer's write: not applied, relayed or stored, the writer told, the connection kept (S14)", async () => {
    const seed = new Y.Doc()
    const draft = regulation({
      nama: 'UJI FIREWALL',
      menimbang: ['bahwa firewall perlu diuji;'],
      mengingat: ['Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;'],
      batangTubuh: [bab('KETENTUAN UMUM', pasal('Isi pasal.'))],
    })
    Y.applyUpdate(seed, encodeDocument(draft))
    let firewall!: SchemaFirewall
    const { room, storage } = await createRoom({ createFirewall: (doc) => (firewall = new SchemaFirewall(doc)) }, new MemoryStorage(), seed)
    const writer = new MemoryClient(room, EDITOR, true)
    const reader = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [writer, reader])
    const before = (await storage.loadDocument(DOC_ID)).updates.length
    const pasalOf = (doc: Y.Doc) =>
      doc
        .getXmlFragment(FRAGMENT)
        .createTreeWalker((t) => t instanceof Y.XmlElement && t.nodeName === 'pasal')
        .next().value as Y.XmlElement

    pasalOf(writer.doc).setAttribute('ychange', { type: 'added', user: 'Gubernur' } as unknown as string)
    await deliverAll(room, [writer, reader])

    expect(pasalOf(room.doc).getAttribute('ychange')).toBeUndefined()
    expect(pasalOf(reader.doc).getAttribute('ychange')).toBeUndefined()
    expect((await storage.loadDocument(DOC_ID)).updates.length).toBe(before)
    expect(writer.denials).toEqual([PermissionDenied.invalidContent])
    expect(writer.socket.closedWith).toBeNull()

    // The reader's valid edit still goes through.
    pasalOf(reader.doc).setAttribute('id', 'pasal-sah')
    await deliverAll(room, [writer, reader])
    expect(pasalOf(room.doc).getAttribute('id')).toBe('pasal-sah')

    // Once the document holds what the firewall admitted, the firewall holds none of it, not until the next update.
    const text = reader.doc
      .getXmlFragment(FRAGMENT)
      .createTreeWalker((t) => t instanceof Y.XmlText && t.length > 0)
      .next().value as Y.XmlText
    text.insert(0, 'baru ')
    await deliverAll(room, [writer, reader])
    expect(firewall.pendingClients).toBe(0)
  })

  it('closes a connection that sends a malformed message or an invalid Yjs update with 4400, stores nothing and keeps serving the others (S8)', async () => {
    const { room, storage } = await createRoom()
    const writer = new MemoryClient(room, EDITOR, true)
    const reader = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [writer, reader])
    const before = (await storage.loadDocument(DOC_ID)).updates.length

    const bad = [
      new Uint8Array([messageSync, syncUpdate, 10, 1, 2]), // truncated
      new Uint8Array([42]), // unknown type
      encodeUpdate(new Uint8Array([228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0])), // not Yjs
    ]
    for (const bytes of bad) {
      const attacker = new MemoryClient(room, EDITOR, true)
      await deliverAll(room, [attacker])
      room.receive(attacker.connection, bytes)
      // Updates are validated off the socket loop; the close follows once validation answers.
      await room.settle()
      expect(attacker.socket.closedWith?.code).toBe(CloseCode.badRequest)
      expect(room.connections.has(attacker.connection)).toBe(false)
    }
    expect((await storage.loadDocument(DOC_ID)).updates.length).toBe(before)

    writer.doc.getText('teks').insert(0, 'tetap ')
    await deliverAll(room, [writer, reader])
    expect(textOf(reader.doc)).toBe('tetap Pasal 1 berbunyi.')
  })

  it('closes a slow reader whose unsent output is over the limit with 1013, and the others keep receiving', async () => {
    const { room } = await createRoom({ maxBufferedBytes: 4096 })
    const writer = new MemoryClient(room, EDITOR, true)
    const slow = new MemoryClient(room, EDITOR, true)
    const fast = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [writer, slow, fast])

    slow.socket.bufferedAmount = 100_000
    writer.doc.getText('teks').insert(0, 'satu ')
    writer.sendToServer()
    await room.settle()
    expect(slow.socket.closedWith?.code).toBe(CloseCode.tryAgainLater)
    await Promise.resolve()
    expect(room.connections.has(slow.connection)).toBe(false)

    writer.doc.getText('teks').insert(0, 'dua ')
    await deliverAll(room, [writer, fast])
    expect(textOf(fast.doc)).toBe('dua satu Pasal 1 berbunyi.')
    expect(textOf(room.doc)).toBe('dua satu Pasal 1 berbunyi.')
  })

  describe('presence', () => {
    it("stamps the account's identity on a published state and ignores attempts to change or remove another connection's state", async () => {
      const { room } = await createRoom()
      const owner = new MemoryClient(room, EDITOR, true)
      const other = new MemoryClient(room, VIEWER, false)
      room.receive(owner.connection, awarenessMessage([[5, 1, { user: { name: 'Palsu' }, cursor: cursor(1) }]]))
      expect(room.awareness.getStates().get(5)).toMatchObject({
        cursor: cursor(1),
        user: { username: EDITOR.username, name: EDITOR.name, bidang: EDITOR.bidang, role: 'editor' },
      })

      room.receive(other.connection, awarenessMessage([[5, 9, { hijacked: true }]]))
      room.receive(other.connection, awarenessMessage([[5, 10, null]]))
      expect(room.awareness.getStates().get(5)).toMatchObject({ cursor: cursor(1), user: { username: EDITOR.username } })
    })

    it('lets a client that reconnects publish again after another client echoed the removal of its state', async () => {
      const { room } = await createRoom()
      const observer = new MemoryClient(room, VIEWER, false)
      const echoer = new MemoryClient(room, VIEWER, false)
      const first = new MemoryClient(room, EDITOR, true)
      room.receive(first.connection, awarenessMessage([[7, 1, { cursor: cursor(1) }]]))
      // The stock provider announces a null state with the same clock on disconnect …
      room.receive(first.connection, awarenessMessage([[7, 1, null]]))
      first.disconnect()
      // … and every other stock provider re-broadcasts the change it received.
      room.receive(echoer.connection, awarenessMessage([[7, 1, null]]))
      const again = new MemoryClient(room, EDITOR, true)
      room.receive(again.connection, awarenessMessage([[7, 2, { cursor: cursor(2) }]]))
      expect(room.awareness.getStates().get(7)).toMatchObject({ cursor: cursor(2), user: { username: EDITOR.username } })
      expect((await presenceSeenBy(observer, room)).get(7)).toMatchObject({ cursor: cursor(2) })
    })

    it("does not let another tab of the same account take a closed tab's presence by echoing it, and keeps that tab connected", async () => {
      const { room } = await createRoom()
      const observer = new MemoryClient(room, VIEWER, false)
      const tab = new MemoryClient(room, EDITOR, true)
      room.receive(tab.connection, awarenessMessage([[9, 1, { cursor: cursor(1) }]]))
      const closing = new MemoryClient(room, EDITOR, true)
      room.receive(closing.connection, awarenessMessage([[11, 1, { cursor: cursor(2) }]]))
      closing.disconnect()
      // The open tab's stock provider re-sends the closed tab's state it had received, after the close.
      room.receive(tab.connection, awarenessMessage([[11, 1, { cursor: cursor(2) }]]))
      expect(room.awareness.getStates().has(11)).toBe(false)
      expect(tab.connection.closed).toBe(false)
      // The closed tab itself, reconnecting, takes its id back.
      const again = new MemoryClient(room, EDITOR, true)
      room.receive(again.connection, awarenessMessage([[11, 1, { cursor: cursor(3) }]]))
      expect((await presenceSeenBy(observer, room)).get(11)).toMatchObject({ cursor: cursor(3), user: { username: EDITOR.username } })
    })

    it("does not let a stock client's late echo bring back a presence its owner removed, but lets the owner publish again (S7)", async () => {
      const { room } = await createRoom()
      const observer = new MemoryClient(room, VIEWER, false)
      const owner = new MemoryClient(room, EDITOR, true)
      const tab = new MemoryClient(room, EDITOR, true)
      const stranger = new MemoryClient(room, VIEWER, false)
      room.receive(
        owner.connection,
        awarenessMessage([
          [21, 6, { cursor: cursor(1) }],
          [24, 1, { cursor: cursor(4) }],
        ]),
      )
      room.receive(tab.connection, awarenessMessage([[22, 1, { cursor: cursor(2) }]]))
      room.receive(stranger.connection, awarenessMessage([[23, 1, { cursor: cursor(3) }]]))
      room.receive(owner.connection, awarenessMessage([[21, 7, null]]))
      // Echoes of the state before the removal, sent before the echoers heard of it.
      room.receive(tab.connection, awarenessMessage([[21, 6, { cursor: cursor(1) }]]))
      room.receive(stranger.connection, awarenessMessage([[21, 6, { cursor: cursor(1) }]]))
      expect((await presenceSeenBy(observer, room)).has(21)).toBe(false)
      expect(room.awareness.getStates().has(21)).toBe(false)
      // The owner's connection still speaks for it, though it holds another id.
      room.receive(owner.connection, awarenessMessage([[21, 8, { cursor: cursor(5) }]]))
      expect((await presenceSeenBy(observer, room)).get(21)).toMatchObject({ cursor: cursor(5), user: { username: EDITOR.username } })
    })

    it('lets a reconnecting client announce its id while the server has not yet seen its old connection close (S7)', async () => {
      const { room } = await createRoom()
      const observer = new MemoryClient(room, VIEWER, false)
      const old = new MemoryClient(room, EDITOR, true)
      room.receive(old.connection, awarenessMessage([[30, 2, { cursor: cursor(1) }]]))
      const tab = new MemoryClient(room, EDITOR, true)
      room.receive(tab.connection, awarenessMessage([[31, 1, { cursor: cursor(2) }]]))
      // Another account, and an account's tab that already spoke, cannot take it.
      const stranger = new MemoryClient(room, VIEWER, false)
      room.receive(stranger.connection, awarenessMessage([[30, 9, { cursor: cursor(9) }]]))
      room.receive(tab.connection, awarenessMessage([[30, 9, { cursor: cursor(9) }]]))
      expect(room.awareness.getStates().get(30)).toMatchObject({ cursor: cursor(1) })
      // The stock provider's first message on its new socket: its own state, the same clock.
      const again = new MemoryClient(room, EDITOR, true)
      room.receive(again.connection, awarenessMessage([[30, 2, { cursor: cursor(5) }]]))
      room.receive(again.connection, awarenessMessage([[30, 4, { cursor: cursor(6) }]]))
      // The old socket's close, noticed late, no longer removes the presence.
      old.disconnect()
      expect((await presenceSeenBy(observer, room)).get(30)).toMatchObject({ cursor: cursor(6), user: { username: EDITOR.username } })
      expect(room.awareness.getStates().get(30)).toMatchObject({ cursor: cursor(6) })
    })

    it('releases an id whose state nobody renewed for 30 s, so it no longer counts against the connection that held it', async () => {
      const { room } = await createRoom({ maxClientsPerConnection: 2 })
      const tab = new MemoryClient(room, EDITOR, true)
      // Its own state, and another tab's it relayed (the BroadcastChannel) before that tab died.
      room.receive(tab.connection, awarenessMessage([[41, 1, { cursor: cursor(1) }]]))
      room.receive(tab.connection, awarenessMessage([[42, 1, { cursor: cursor(2) }]]))
      // What y-protocols' own check does with a state not renewed for 30 s.
      awarenessProtocol.removeAwarenessStates(room.awareness, [42], 'timeout')
      // A third tab's state relayed now fits within the limit of two.
      room.receive(tab.connection, awarenessMessage([[43, 1, { cursor: cursor(4) }]]))
      expect(tab.connection.closed).toBe(false)
      expect(room.awareness.getStates().get(43)).toMatchObject({ cursor: cursor(4) })
      expect(room.awareness.getStates().has(42)).toBe(false)
    })

    it('shows a reconnecting stock client at once, although it re-announces the clock its null state carried', async () => {
      const { room } = await createRoom()
      const observer = new MemoryClient(room, VIEWER, false)
      const first = new MemoryClient(room, EDITOR, true)
      room.receive(first.connection, awarenessMessage([[8, 3, { cursor: cursor(1) }]]))
      room.receive(first.connection, awarenessMessage([[8, 3, null]]))
      first.disconnect()
      const again = new MemoryClient(room, EDITOR, true)
      room.receive(again.connection, awarenessMessage([[8, 3, { cursor: cursor(1) }]]))
      expect((await presenceSeenBy(observer, room)).get(8)).toMatchObject({ cursor: cursor(1), user: { username: EDITOR.username } })
    })

    it("relays the awareness updates of one turn to each connection as one message holding each client's latest state (S28)", async () => {
      const { room } = await createRoom()
      const clients = Array.from({ length: 6 }, () => new MemoryClient(room, EDITOR, true))
      await deliverAll(room, clients)
      const [leaving, ...staying] = clients
      // Every client moves twice in this turn; then one leaves, which removes its state.
      for (const [i, client] of clients.entries()) {
        room.receive(client.connection, awarenessMessage([[100 + i, 1, { cursor: cursor(1) }]]))
        room.receive(client.connection, awarenessMessage([[100 + i, 2, { cursor: cursor(2) }]]))
      }
      leaving!.disconnect()
      expect(staying.every((client) => client.socket.inbox.length === 0)).toBe(true)
      await room.settle()
      for (const client of staying) {
        const awarenessMessages = client.socket.inbox.filter((message) => message[0] === messageAwareness)
        expect(awarenessMessages).toHaveLength(1)
        const decoder = decoding.createDecoder(awarenessMessages[0]!)
        decoding.readVarUint(decoder)
        const entries = decodeAwarenessEntries(decoding.readVarUint8Array(decoder))
        // Its own state too (the echo a stock provider takes as a sign of life), and the leaver's removal.
        expect(entries.map(({ clientId, clock, state }) => [clientId, clock, JSON.parse(state)?.cursor ?? null])).toEqual(
          clients.map((_, i) => [100 + i, 2, i === 0 ? null : cursor(2)]),
        )
        client.readFromServer()
        expect([...client.awareness.getStates().keys()].sort()).toEqual([101, 102, 103, 104, 105])
      }
    })

    it("removes a connection's presence when it leaves", async () => {
      const { room } = await createRoom()
      const observer = new MemoryClient(room, VIEWER, false)
      const leaving = new MemoryClient(room, EDITOR, true)
      room.receive(leaving.connection, awarenessMessage([[9, 1, { cursor: cursor(1) }]]))
      expect((await presenceSeenBy(observer, room)).has(9)).toBe(true)
      leaving.disconnect()
      expect((await presenceSeenBy(observer, room)).has(9)).toBe(false)
      expect(room.awareness.getStates().has(9)).toBe(false)
    })
  })

  for (const seed of [1, 2, 3, 0xdecaf]) {
    it(`converges with several clients under random edits, delivery orders, disconnects and compaction (seed ${seed})`, async () => {
      const random = prng(seed)
      const { room, storage } = await createRoom({ compactAfterUpdates: 7 })
      const clients = Array.from({ length: 5 }, () => new MemoryClient(room, EDITOR, true))
      await deliverAll(room, clients)
      for (let step = 0; step < 600; step++) {
        const client = clients[random.int(clients.length)]!
        const roll = random.next()
        if (roll < 0.35) {
          const text = client.doc.getText('teks')
          if (text.length > 0 && random.next() < 0.3) {
            const index = random.int(text.length)
            text.delete(index, Math.min(1 + random.int(4), text.length - index))
          } else text.insert(random.int(text.length + 1), String.fromCharCode(97 + random.int(26)).repeat(1 + random.int(3)))
        } else if (roll < 0.45) {
          const list = client.doc.getArray<number>('daftar')
          if (list.length > 0 && random.next() < 0.4) list.delete(random.int(list.length), 1)
          else list.insert(random.int(list.length + 1), [step])
        } else if (roll < 0.7) {
          client.sendToServer(1 + random.int(3))
        } else if (roll < 0.9) {
          client.readFromServer(1 + random.int(3))
        } else if (roll < 0.95) {
          client.disconnect()
        } else if (!client.online) {
          client.connect()
        }
        if (random.next() < 0.2) await room.settle()
      }
      for (const client of clients) if (!client.online) client.connect()
      await deliverAll(room, clients)

      const expected = { text: textOf(room.doc), list: room.doc.getArray('daftar').toJSON() }
      for (const [index, client] of clients.entries()) {
        expect({ seed, client: index, text: textOf(client.doc), list: client.doc.getArray('daftar').toJSON() }).toEqual({
          seed,
          client: index,
          ...expected,
        })
        expect(Y.encodeStateVector(client.doc)).toEqual(Y.encodeStateVector(room.doc))
      }
      // What was stored (compacted state plus log) is the same document.
      await room.close()
      const reloaded = await Room.load(RECORD, storage, new GroupCommit((entries) => storage.appendUpdates(entries)), OPTIONS)
      expect({ text: textOf(reloaded.doc), list: reloaded.doc.getArray('daftar').toJSON() }).toEqual(expected)
      expect((await storage.loadDocument(DOC_ID)).updates).toEqual([])
    })
  }
})

describe('Rooms', () => {
  it('unloads a document once its last user left and everything is stored, tells its extensions, and reloads it identical', async () => {
    const storage = new MemoryStorage()
    const seed = new Y.Doc()
    seed.getText('teks').insert(0, 'awal')
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(seed))
    const unloaded: string[] = []
    const rooms = new Rooms(storage, { ...OPTIONS, idleUnloadMs: 0 }, [
      {
        name: 'gagal',
        onUnloaded: () => {
          throw new Error('gagal')
        },
      },
      { name: 'catat', onUnloaded: (docId) => unloaded.push(docId) },
    ])

    const room = await rooms.acquire(DOC_ID)
    const client = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [client])
    client.doc.getText('teks').insert(4, ' dan akhir')
    await deliverAll(room, [client])
    client.disconnect()
    rooms.release(room)
    expect(unloaded).toEqual([])
    for (let i = 0; i < 100 && rooms.loadedCount > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
    expect(rooms.loadedCount).toBe(0)
    expect(unloaded).toEqual([DOC_ID])

    const again = await rooms.acquire(DOC_ID)
    expect(again).not.toBe(room)
    expect(textOf(again.doc)).toBe('awal dan akhir')
    rooms.release(again)
    await rooms.closeAll()
  })

  it("runs its extensions' onUpdateStored hooks in order after each stored change, and one that fails does not stop the next; an edit made on someone's behalf is theirs (S15)", async () => {
    const storage = new MemoryStorage()
    await storage.createDocument(RECORD, Y.encodeStateAsUpdate(new Y.Doc()))
    const calls: Array<{ name: string; payload: onUpdateStoredPayload }> = []
    const extension = (name: string, fail?: 'throw' | 'reject'): Extension => ({
      name,
      onUpdateStored: (payload) => {
        calls.push({ name, payload })
        if (fail === 'throw') throw new Error(`${name} failed`)
        if (fail === 'reject') return Promise.reject(new Error(`${name} failed`))
      },
    })
    const rooms = new Rooms(storage, { ...OPTIONS, idleUnloadMs: 0 }, [
      extension('pertama', 'throw'),
      extension('kedua', 'reject'),
      extension('ketiga'),
    ])
    const room = await rooms.acquire(DOC_ID)
    const client = new MemoryClient(room, EDITOR, true)
    await deliverAll(room, [client])
    client.doc.getText('teks').insert(0, 'ketikan')
    await deliverAll(room, [client])
    await room.settle()
    expect(calls.map((c) => c.name)).toEqual(['pertama', 'kedua', 'ketiga'])
    expect(calls[2]!.payload).toMatchObject({ room, byServer: false, author: { username: EDITOR.username } })
    expect(await storage.loadDocument(DOC_ID)).toMatchObject({ lastClock: 1 })

    const restore = new Y.Doc()
    Y.applyUpdate(restore, Y.encodeStateAsUpdate(room.doc))
    restore.getText('teks').insert(0, 'pulih ')
    await room.applyServerUpdate(Y.encodeStateAsUpdate(restore, Y.encodeStateVector(room.doc)), {
      username: 'rancang',
      name: 'Rancang',
      bidang: 'Otomatis',
    })
    expect(calls.map((c) => c.name)).toEqual(['pertama', 'kedua', 'ketiga', 'pertama', 'kedua', 'ketiga'])
    expect(calls[5]!.payload).toMatchObject({ room, byServer: true, author: { username: 'rancang' } })

    // An accepted suggestion: the server carries out the suggester's edit, and hooks see it as hers.
    const dewi = { id: 'dewi-id', username: 'dewi', name: 'Dewi', bidang: 'Biro Hukum' }
    const accepted = new Y.Doc()
    Y.applyUpdate(accepted, Y.encodeStateAsUpdate(room.doc))
    accepted.getText('teks').insert(0, 'usul ')
    await room.applyServerUpdate(Y.encodeStateAsUpdate(accepted, Y.encodeStateVector(room.doc)), dewi, { onBehalf: true })
    expect(calls[8]!.payload).toMatchObject({ room, byServer: false, author: dewi })
    expect((await storage.loadAttribution(DOC_ID)).authors.get(accepted.clientID)).toEqual(dewi)
    client.disconnect()
    rooms.release(room)
    await rooms.closeAll()
  })

  it('refuses an unknown document', async () => {
    const rooms = new Rooms(new MemoryStorage(), { ...OPTIONS, idleUnloadMs: 0 })
    await expect(rooms.acquire('tidak-ada')).rejects.toThrow(/unknown document/)
    expect(rooms.loadedCount).toBe(0)
  })
})
