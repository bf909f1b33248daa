import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import {
  ProtocolError,
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeStorageStatus,
  encodeStored,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from '../../shared/protocol/messages.js'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import type { DocumentRecord, DocumentStorage } from '../storage/types.js'
import type { GroupCommit } from './groupCommit.js'
import { Connection } from './connection.js'
import { admitAwarenessUpdate, type PresenceLimits } from './presence.js'
import { log } from '../log.js'

export interface RoomOptions extends PresenceLimits {
  /** Compact the stored log into one state after this many updates. */
  readonly compactAfterUpdates: number
  /** Close a connection whose unsent output exceeds this many bytes (a stalled reader). */
  readonly maxBufferedBytes: number
}

/**
 * How long an awareness id stays reserved for the account that left with it. Stock providers echo
 * every state they receive, so a departed user's id would otherwise be taken by the first echo.
 */
const RELEASE_GRACE_MS = 60_000

/** Origin of changes loaded from storage or made by the server itself. */
const serverOrigin = Symbol('server')

/** The common no-op: a sync step 2 with nothing new (no structs, empty delete set). */
const isEmptyUpdate = (update: Uint8Array) => update.length === 2 && update[0] === 0 && update[1] === 0

/**
 * Proves an update is well-formed Yjs by applying it to a throwaway document, and says whether it
 * changes anything at all (crafted updates can decode to nothing; they are not stored).
 */
function inspectUpdate(update: Uint8Array): 'invalid' | 'empty' | 'change' {
  const scratch = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(scratch, update)
    const { structs, ds } = Y.decodeUpdate(update)
    return structs.length === 0 && ds.clients.size === 0 ? 'empty' : 'change'
  } catch {
    return 'invalid'
  } finally {
    scratch.destroy()
  }
}

/**
 * One open document and everyone connected to it.
 *
 * Invariant (SPEC.md S1): the in-memory document holds only stored updates. An incoming update is
 * validated, appended to storage through group commit, and only then applied and relayed; so no
 * client, joining or connected, ever receives an edit that a crash could lose.
 */
export class Room {
  readonly id: string
  readonly record: DocumentRecord
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly #storage: DocumentStorage
  readonly #commit: GroupCommit
  readonly #options: RoomOptions
  readonly #connections = new Set<Connection>()
  readonly #awarenessOwners = new Map<number, Connection>()
  /** Ids whose owner left lately: only the same account may take them again (a reconnect). */
  readonly #released = new Map<number, { username: string; at: number }>()
  /** Clock of the last update handed to storage. */
  #clock: number
  /** Clock of the last update applied (hence stored). */
  #appliedClock: number
  /** Stored updates not yet folded into the stored state. */
  #logLength: number
  #lastApplied: Promise<void> = Promise.resolve()
  #compaction: Promise<void> | null = null

  private constructor(
    record: DocumentRecord,
    doc: Y.Doc,
    clock: number,
    logLength: number,
    storage: DocumentStorage,
    commit: GroupCommit,
    options: RoomOptions,
  ) {
    this.id = record.id
    this.record = record
    this.doc = doc
    this.#clock = clock
    this.#appliedClock = clock
    this.#logLength = logLength
    this.#storage = storage
    this.#commit = commit
    this.#options = options
    this.awareness = new awarenessProtocol.Awareness(doc)
    // The server itself is not a participant.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.#onAwarenessUpdate)
    doc.on('update', this.#onDocUpdate)
  }

  /** Loads a document from storage. Stored updates that fail to apply are logged and skipped. */
  static async load(record: DocumentRecord, storage: DocumentStorage, commit: GroupCommit, options: RoomOptions): Promise<Room> {
    const stored = await storage.loadDocument(record.id)
    const doc = new Y.Doc()
    doc.transact(() => {
      for (const update of stored.state ? [stored.state, ...stored.updates] : stored.updates) {
        try {
          Y.applyUpdate(doc, update, serverOrigin)
        } catch (error) {
          log.error('stored update failed to apply; skipped', { doc: record.id, error })
        }
      }
    }, serverOrigin)
    const room = new Room(record, doc, stored.lastClock, stored.updates.length, storage, commit, options)
    room.#maybeCompact()
    return room
  }

  get connectionCount(): number {
    return this.#connections.size
  }

  get connections(): ReadonlySet<Connection> {
    return this.#connections
  }

  /** Adds a connection and starts the sync handshake. */
  join(connection: Connection) {
    this.#connections.add(connection)
    this.#send(connection, encodeSyncStep1(Y.encodeStateVector(this.doc)))
    const states = this.awareness.getStates()
    if (states.size > 0) {
      this.#send(connection, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])))
    }
  }

  /** Removes a connection and its presence. */
  leave(connection: Connection) {
    if (!this.#connections.delete(connection)) return
    const ids = [...connection.awarenessIds]
    const at = Date.now()
    for (const [id, released] of this.#released) if (at - released.at > RELEASE_GRACE_MS) this.#released.delete(id)
    for (const id of ids) {
      this.#awarenessOwners.delete(id)
      this.#released.set(id, { username: connection.user.username, at })
    }
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, serverOrigin)
  }

  /** Handles one binary message from a connection. Never throws: bad input closes that connection. */
  receive(connection: Connection, bytes: Uint8Array) {
    if (connection.closed) return
    try {
      const message = decodeClientMessage(bytes)
      switch (message.type) {
        case 'syncStep1':
          this.#send(connection, encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)))
          break
        case 'update':
          this.#receiveUpdate(connection, message.update)
          break
        case 'awareness':
          this.#receiveAwareness(connection, message.update)
          break
        case 'queryAwareness':
          this.#send(connection, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])))
          break
        case 'stored': {
          connection.usesExtensions = true
          if (!this.#commit.healthy) this.#send(connection, encodeStorageStatus(false))
          const request = message.request
          void connection.lastStored.then(() => this.#send(connection, encodeStored(request)))
          break
        }
      }
    } catch (error) {
      const reason = error instanceof ProtocolError ? error.message : 'invalid message'
      log.warn('closing connection after bad message', { doc: this.id, user: connection.user.username, reason })
      connection.close(CloseCode.badRequest, reason.slice(0, 120))
    }
  }

  /** Sends a Rancang extension message to every connection that speaks the extensions. */
  broadcastExtension(message: Uint8Array) {
    for (const connection of this.#connections) if (connection.usesExtensions) this.#send(connection, message)
  }

  /**
   * Applies a change made by the server (a restore, a repair) the same way as a client's: stored
   * first, then applied and relayed to everyone.
   */
  async applyServerUpdate(update: Uint8Array): Promise<void> {
    await this.#store(update, serverOrigin)
  }

  /** Resolves once every accepted update is stored and applied. */
  async settle(): Promise<void> {
    let last: Promise<void>
    do {
      last = this.#lastApplied
      await last
    } while (last !== this.#lastApplied)
    await this.#compaction
  }

  /** Stores what is pending, folds the log into one state and releases the document. */
  async close(): Promise<void> {
    await this.settle()
    if (this.#logLength > 0) await this.#compact()
    this.awareness.destroy()
    this.doc.destroy()
  }

  #receiveUpdate(connection: Connection, update: Uint8Array) {
    // Every client answers the server's sync step 1, usually with nothing: not a write attempt.
    if (isEmptyUpdate(update)) return
    if (!connection.canWrite) {
      if (!connection.toldReadOnly) {
        connection.toldReadOnly = true
        this.#send(connection, encodePermissionDenied('read-only'))
      }
      return
    }
    const kind = inspectUpdate(update)
    if (kind === 'invalid') throw new ProtocolError('invalid Yjs update')
    if (kind === 'change') connection.lastStored = this.#store(update, connection)
  }

  #store(update: Uint8Array, origin: Connection | typeof serverOrigin): Promise<void> {
    const clock = ++this.#clock
    const stored = this.#commit.append({ docId: this.id, clock, update })
    // Chained so updates apply in the order they were stored, even across batches.
    const applied = Promise.all([stored, this.#lastApplied]).then(() => {
      try {
        Y.applyUpdate(this.doc, update, origin)
      } catch (error) {
        log.error('stored update failed to apply', { doc: this.id, clock, error })
      }
      this.#appliedClock = clock
      this.#logLength += 1
      this.#maybeCompact()
    })
    this.#lastApplied = applied
    return applied
  }

  #receiveAwareness(connection: Connection, update: Uint8Array) {
    const admitted = admitAwarenessUpdate(
      update,
      {
        user: connection.user,
        owned: connection.awarenessIds,
        claimable: (clientId) => {
          if (this.#awarenessOwners.has(clientId)) return false
          const released = this.#released.get(clientId)
          return !released || released.username === connection.user.username || Date.now() - released.at > RELEASE_GRACE_MS
        },
        clockOf: (clientId) => this.awareness.meta.get(clientId)?.clock,
      },
      this.#options,
    )
    if (!admitted) return
    for (const id of admitted.clientIds) {
      connection.awarenessIds.add(id)
      this.#awarenessOwners.set(id, connection)
      this.#released.delete(id)
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, admitted.update, connection)
  }

  readonly #onDocUpdate = (update: Uint8Array, origin: unknown) => {
    const message = encodeUpdate(update)
    for (const connection of this.#connections) if (connection !== origin) this.#send(connection, message)
  }

  readonly #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const changed = [...added, ...updated, ...removed]
    if (origin instanceof Connection) {
      for (const id of removed) {
        origin.awarenessIds.delete(id)
        this.#awarenessOwners.delete(id)
      }
    }
    // Sent to the originator too: the stock provider counts it as a sign of life.
    const message = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
    for (const connection of this.#connections) this.#send(connection, message)
  }

  #send(connection: Connection, message: Uint8Array) {
    if (connection.closed) return
    if (connection.socket.bufferedAmount > this.#options.maxBufferedBytes) {
      log.warn('closing connection that reads too slowly', { doc: this.id, user: connection.user.username })
      connection.close(CloseCode.tryAgainLater, 'client reads too slowly')
      return
    }
    connection.socket.send(message)
  }

  #maybeCompact() {
    if (this.#logLength >= this.#options.compactAfterUpdates && !this.#compaction) void this.#compact()
  }

  #compact(): Promise<void> {
    if (this.#compaction) return this.#compaction
    const through = this.#appliedClock
    const folded = this.#logLength
    const state = Y.encodeStateAsUpdate(this.doc)
    this.#compaction = this.#storage
      .compactDocument(this.id, state, through)
      .then(
        () => {
          this.#logLength -= folded
        },
        (error: unknown) => log.error('compaction failed; the update log is kept', { doc: this.id, error }),
      )
      .finally(() => {
        this.#compaction = null
      })
    return this.#compaction
  }
}
