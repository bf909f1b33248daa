import { ClassicLevel } from 'classic-level'
import * as decoding from 'lib0/decoding'
import { WebSocketServer, type WebSocket } from 'ws'
import * as Y from 'yjs'
import { LevelLogs } from '../server/storage/levelLogs.js'
import { SYNC_DELAY_MS, SYNC_SPACING_MS, syncWaitMs } from '../server/rooms/groupCommit.js'
import { isEmptyUpdate } from '../server/rooms/syncAnswers.js'
import { encodeSyncStep2, encodeUpdate, messageSync, syncStep1, syncStep2, syncUpdate } from '../shared/protocol/messages.js'

/**
 * The floor under any server that stores an edit before relaying it: the least such a server can
 * do, and nothing more. It speaks the sync protocol, keeps one Y.Doc per document and writes every
 * update to LevelDB before it applies and relays it: no accounts, no validation, no schema, no
 * acknowledgement, no compaction. Writes are grouped (what arrives while a write is in flight goes
 * into the next one) and a group's updates go out as one message per document, as ours does.
 *
 * It relays once the write is in LevelDB's log (in the kernel: a killed process loses nothing, a
 * power cut may) and fsyncs the logs beside the next writes, one sync at a time, at most one per
 * SYNC_SPACING_MS and each SYNC_DELAY_MS after the write that made it due, as Rancang does (SPEC
 * S1, S2): the fsync is off the relay path, but its disk work is not off the machine, and a write
 * can wait for it in the file system. The bench runs it beside ours and the stock server (which
 * never fsyncs), so the gap between ours and the stock server splits into what storing first
 * costs on this machine (floor − stock) and what ours adds to it (ours − floor).
 *
 *   tsx bench/floorServer.ts <data dir>   (prints "floor server on <port>"; seed with `seedFloor`)
 */

const HOST = '127.0.0.1'

const stateKey = (name: string) => `s!${name}`
const updateKey = (name: string, seq: number) => `u!${name}!${String(seq).padStart(12, '0')}`

/** Writes each document's initial state where the floor server loads it from. */
export async function seedFloor(dir: string, documents: ReadonlyArray<{ readonly name: string; readonly state: Uint8Array }>) {
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
  try {
    await db.batch(documents.map(({ name, state }) => ({ type: 'put' as const, key: stateKey(name), value: state })))
  } finally {
    await db.close()
  }
}

interface Room {
  readonly name: string
  readonly doc: Y.Doc
  readonly sockets: Set<WebSocket>
  nextSeq: number
}

interface Pending {
  readonly room: Room
  readonly update: Uint8Array
  readonly from: WebSocket
}

async function serve(dir: string) {
  const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: 'view' })
  await db.open()
  const rooms = new Map<string, Promise<Room>>()
  let queue: Pending[] = []
  let writing = false
  // One fsync of the logs at a time, SYNC_SPACING_MS after the last one began and SYNC_DELAY_MS
  // after the write that made it due, as ours; another once it ends if writes came meanwhile.
  const logs = new LevelLogs(dir)
  let syncing = false
  let syncAgain = false
  let syncStarted = -Infinity
  let dueSince: number | null = null
  const syncLogs = () => {
    dueSince ??= performance.now()
    if (syncing) {
      syncAgain = true
      return
    }
    syncing = true
    const start = () => {
      syncStarted = performance.now()
      dueSince = null
      logs.sync().then(
        () => {
          syncing = false
          if (syncAgain) {
            syncAgain = false
            syncLogs()
          }
        },
        (error: unknown) => fail('sync', error),
      )
    }
    const wait = syncWaitMs(syncStarted, dueSince, SYNC_SPACING_MS, SYNC_DELAY_MS)
    if (wait > 0) setTimeout(start, wait)
    else start()
  }
  const fail = (what: string, error: unknown) => {
    process.stderr.write(`floor server: ${what} failed: ${String(error)}\n`)
    process.exit(1)
  }

  const load = (name: string) => {
    let room = rooms.get(name)
    if (!room) {
      room = (async () => {
        const doc = new Y.Doc({ gc: true })
        const state = await db.get(stateKey(name))
        if (state) Y.applyUpdate(doc, state)
        let nextSeq = 0
        for await (const [key, update] of db.iterator({ gte: `u!${name}!`, lt: `u!${name}!~` })) {
          Y.applyUpdate(doc, update)
          nextSeq = Number(key.slice(-12)) + 1
        }
        return { name, doc, sockets: new Set<WebSocket>(), nextSeq }
      })()
      rooms.set(name, room)
    }
    return room
  }

  // Group commit: one write at a time; the relay follows the write it was part of.
  const flush = () => {
    if (writing || queue.length === 0) return
    writing = true
    const batch = queue
    queue = []
    // A chained batch, as ours writes: abstract-level's array form costs the event loop several
    // times as much per operation (server/storage/leveldb.ts, writeBatch).
    const write = db.batch()
    for (const { room, update } of batch) write.put(updateKey(room.name, room.nextSeq++), update)
    write.write({ sync: false }).then(
      () => {
        writing = false
        const byRoom = new Map<Room, Pending[]>()
        for (const pending of batch) {
          const pendings = byRoom.get(pending.room)
          if (pendings) pendings.push(pending)
          else byRoom.set(pending.room, [pending])
        }
        for (const [room, pendings] of byRoom) {
          for (const { update } of pendings) Y.applyUpdate(room.doc, update)
          const single = pendings.length === 1 ? pendings[0]! : null
          const message = encodeUpdate(single ? single.update : Y.mergeUpdates(pendings.map((p) => p.update)))
          for (const socket of room.sockets) if (socket !== single?.from) socket.send(message)
        }
        syncLogs()
        flush()
      },
      (error: unknown) => fail('write', error),
    )
  }

  const receive = (room: Room, socket: WebSocket, data: Uint8Array) => {
    const decoder = decoding.createDecoder(data)
    if (decoding.readVarUint(decoder) !== messageSync) return
    const step = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (step === syncStep1) socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, payload)))
    else if ((step === syncStep2 || step === syncUpdate) && !isEmptyUpdate(payload)) {
      queue.push({ room, update: payload, from: socket })
      flush()
    }
  }

  const wss = new WebSocketServer({ host: HOST, port: 0, perMessageDeflate: false })
  wss.on('connection', (socket, request) => {
    const name = decodeURIComponent((request.url ?? '/').slice(1).split('?')[0]!)
    // Messages that arrive while the room loads wait for it, in order; then they are handled at once.
    let room: Room | null = null
    const early: Uint8Array[] = []
    socket.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      if (room) receive(room, socket, bytes)
      else early.push(bytes)
    })
    void load(name).then((loaded) => {
      loaded.sockets.add(socket)
      socket.on('close', () => loaded.sockets.delete(socket))
      for (const bytes of early) receive(loaded, socket, bytes)
      room = loaded
    })
  })
  wss.on('listening', () => {
    const address = wss.address()
    process.stdout.write(`floor server on ${typeof address === 'object' && address ? address.port : address}\n`)
  })
}

if (process.argv[1] === import.meta.filename) await serve(process.argv[2]!)
