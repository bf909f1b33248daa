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
  encodeUpdate,
  PermissionDenied,
} from '../../shared/protocol/messages.js'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import type { DocumentStorage, StoredDocument } from '../storage/types.js'
import type { DocumentRecord, LastModified } from '../../shared/documents.js'
import type { GroupCommit } from './groupCommit.js'
import { Connection } from './connection.js'
import type { Outgoing } from './socket.js'
import { admitAwarenessUpdate, type PresenceLimits } from './presence.js'
import { metrics } from '../metrics.js'
import { log } from '../log.js'
import { FRAGMENT } from '../../shared/model/ydoc.js'
import { attributeUpdate, deletesSomethingVisible } from './attribution.js'
import { PasalChanges } from './changes.js'
import { summariseUpdate, type UpdateFirewall, type UpdateSummary, type UpdateValidator } from './validation.js'
import { authorKey, authorOf, type Author } from '../../shared/accounts.js'
import type { onUpdateStoredPayload } from './hooks.js'
import { isEmptyUpdate, SyncAnswers } from './syncAnswers.js'
import { LazyDocument } from './lazyDocument.js'
import { TokenBucket } from '../limits/tokenBucket.js'
import { AwarenessRelay } from './awarenessRelay.js'
import { microtask } from './microtask.js'

export interface RoomOptions extends PresenceLimits {
  /** Compact the stored log into one state after this many updates. */
  readonly compactAfterUpdates: number
  /** Close a connection whose unsent output exceeds this many bytes (a stalled reader). */
  readonly maxBufferedBytes: number
  /** Called after a change is stored and applied (`Rooms` runs its extensions' hooks). */
  readonly onUpdateStored?: (payload: onUpdateStoredPayload) => void
  /** Proves client updates well-formed (in production: a worker under a time and memory budget). */
  readonly validator: UpdateValidator
  /**
   * Sync step 1 messages one connection may have answered per minute (the same number at once);
   * beyond that it is closed with 1013. A stock client sends one per connection.
   */
  readonly syncAnswersPerMinute: number
  /** The firewall for a room's document (in production the schema firewall, shared/model/firewall.ts). */
  readonly createFirewall: (doc: Y.Doc) => UpdateFirewall
}

/**
 * How long an awareness id stays reserved for the account that left with it. Stock providers echo
 * every state they receive, so a departed user's id would otherwise be taken by the first echo.
 */
const RELEASE_GRACE_MS = 60_000

/** Who last held an awareness id the room no longer shows, and since when. */
interface Released {
  readonly username: string
  readonly connection: Connection
  readonly at: number
}

/** Above this stored size, compaction waits for the log to reach a quarter of the state. */
const LARGE_STATE_BYTES = 512 * 1024

/**
 * What this room's compactions must have replaced (older states and folded log bytes) before its
 * close asks the storage to reclaim them (`tidyDocument`): below it, what lingers costs the next
 * open less than reclaiming it costs now.
 */
const TIDY_AFTER_BYTES = 1024 * 1024

/** How far past its threshold a busy room's log may grow while compaction waits for its stores (see #maybeCompact). */
const COMPACTION_DEFER_LIMIT = 2

/**
 * How stale a draft's last-modified record may be (it says when and by whom in the document list):
 * typing by the same person rewrites it at most this often, not on every keystroke's write.
 */
const MODIFIED_PRECISION_MS = 1_000

/**
 * How long typing waits, relayed but not applied, for the clients to read the relay first (see
 * Room#relayAndApply). Ten clients read a relay within about 1 ms; applying at the next turn (a
 * zero timer, 1 ms) still overlapped their reading: a tenth of a millisecond later at the median
 * and two tenths at p90 (fan-out bench, 10 clients).
 */
const APPLY_DELAY_MS = 10

/** Close reason for a connection that asked for more sync answers than its budget. */
const SYNC_RATE_LIMIT = 'sync rate limit'

/** An update relayed to a room's connections, and where it came from (not sent back there alone). */
interface Relay {
  readonly update: Uint8Array
  readonly origin: Connection | symbol
  /** `performance.now()` when a client's update arrived, for the relay delay metric; null for the server's own. */
  readonly received: number | null
}

/** A stored update written by the group commit, to relay and apply (see Room#relayAndApply). */
interface Written extends Relay {
  readonly clock: number
  readonly author: Author
  /** It deletes nothing (typing): the stored bytes are what to relay. */
  readonly onlyInserts: boolean
  /** Marks it applied (Room#settle waits for the last one). */
  readonly applied: () => void
}

/** Origin of changes loaded from storage or made by the server itself. */
const serverOrigin = Symbol('server')
/** Origin of a person's edit that the server carries out for them (an accepted suggestion). */
const onBehalfOrigin = Symbol('on behalf')

/**
 * One open document and everyone connected to it.
 *
 * Invariant (SPEC.md S1): the in-memory document holds only stored updates. An incoming update is
 * validated, appended to storage through group commit, and only then relayed and applied; so no
 * client, joining or connected, ever receives an edit that a crash could lose.
 */
export class Room {
  readonly id: string
  readonly record: DocumentRecord
  readonly awareness: awarenessProtocol.Awareness
  readonly #storage: DocumentStorage
  readonly #commit: GroupCommit
  readonly #options: RoomOptions
  readonly #connections = new Set<Connection>()
  /** Extension messages still sent to a connection that opts in later (it reconnected, or just came), until when (ms). */
  #replays: Array<{ readonly message: Uint8Array; readonly until: number }> = []
  readonly #awarenessOwners = new Map<number, Connection>()
  /**
   * Ids whose owner left or removed them lately: only the same account may take them again (a
   * reconnect, or the owner publishing again), never a stock client's late echo of the old state.
   */
  readonly #released = new Map<number, Released>()
  /** Clock of the last update handed to storage. */
  #clock: number
  /** Clock of the last update applied (hence stored). */
  #appliedClock: number
  /** Stored updates not yet folded into the stored state. */
  #logLength: number
  /** Bytes of the stored log and of the stored state (for the compaction threshold). */
  #logBytes = 0
  #stateBytes = 0
  /** Bytes this room's compactions replaced: what the storage may still hold of them (see TIDY_AFTER_BYTES). */
  #replacedBytes = 0
  /**
   * The storage keeps state vectors but has none for the stored state (a new document, or one
   * stored before they were kept): closing stores one even with an empty log, so the next open
   * needs no decoding.
   */
  #stateVectorMissing = false
  #lastApplied: Promise<void> = Promise.resolve()
  /** Settles once every update received so far has been validated (and handed to storage). */
  #lastValidated: Promise<unknown> = Promise.resolve()
  /** Updates waiting for a verdict of the validator: while there are any, the next one waits its turn. */
  #validating = 0
  /** The last-modified record this room last handed to storage: when (ms) and by whom (`authorKey`). */
  #modified: { readonly at: number; readonly by: string } | null = null
  /** Yjs client ids whose author is already recorded (or that predate attribution). */
  readonly #attributed: Set<number>
  #compaction: Promise<void> | null = null
  /** A compaction called for by an update, waiting for the turn after it (see #maybeCompact). */
  #compactionDue: NodeJS.Immediate | null = null
  /** Updates written by the batch being called back, to relay and apply once it is done (see #relayAndApply). */
  #written: Written[] = []
  /** Typing relayed and not yet applied: applied once the clients had the processor to read the relay. */
  #unapplied: Written[] = []
  #applyTimer: NodeJS.Timeout | undefined
  /** Answers to sync step 1: one encoding of the stored state plus the stored updates applied since. */
  readonly #syncAnswers: SyncAnswers
  /** Each connection's allowance of sync step 1 answers: every answer can be the whole document. */
  readonly #syncBudgets = new WeakMap<Connection, TokenBucket>()
  /** Pasal whose text the update being applied changed (collected per transaction). */
  #changedPasal = new Set<string>()
  /** Refuses client updates that would leave the document invalid for the schema (made with the Y.Doc). */
  #firewall: UpdateFirewall | null = null
  /** The stored state as bytes, until an edit or a feature needs the Y.Doc. */
  readonly #document: LazyDocument
  /** Sends the awareness changes of each turn as one message per connection. */
  readonly #awarenessRelay: AwarenessRelay

  private constructor(record: DocumentRecord, stored: StoredDocument, storage: DocumentStorage, commit: GroupCommit, options: RoomOptions) {
    const clock = stored.lastClock
    this.id = record.id
    this.record = record
    this.#clock = clock
    this.#appliedClock = clock
    this.#logLength = stored.updates.length
    this.#storage = storage
    this.#commit = commit
    this.#options = options
    this.#document = LazyDocument.fromStored(record.id, stored, serverOrigin, (doc) => this.#attach(doc))
    // Cut from the stored bytes until the document is built, then from the document.
    this.#syncAnswers = new SyncAnswers(() => this.#document.encodeState())
    this.#attributed = new Set(Y.decodeStateVector(this.#document.stateVector).keys())
    // Presence needs no content: its own small Y.Doc only gives it a client id (never sent).
    this.awareness = new awarenessProtocol.Awareness(new Y.Doc())
    // The server itself is not a participant.
    this.awareness.setLocalState(null)
    this.#awarenessRelay = new AwarenessRelay(this.awareness, (message) => {
      for (const connection of this.#connections) this.#send(connection, message)
    })
    this.awareness.on('update', this.#onAwarenessUpdate)
  }

  /**
   * Loads a document from storage, as bytes: the Y.Doc is built when first needed (`doc`). Stored
   * updates that fail to apply are logged and skipped.
   */
  static async load(record: DocumentRecord, storage: DocumentStorage, commit: GroupCommit, options: RoomOptions): Promise<Room> {
    const stored = await storage.loadDocument(record.id)
    const room = new Room(record, stored, storage, commit, options)
    room.#stateBytes = stored.state?.byteLength ?? 0
    room.#logBytes = stored.updates.reduce((sum, u) => sum + u.byteLength, 0)
    room.#stateVectorMissing = stored.stateVector === null
    room.#maybeCompact()
    return room
  }

  /**
   * The document's content, built from the stored state on first use (an edit, an export, a
   * lookup), holding every update relayed so far.
   */
  get doc(): Y.Doc {
    this.#applyRelayed()
    return this.#document.doc
  }

  /** Whether the Y.Doc is built: a document people only opened and read is served from its stored bytes. */
  get documentBuilt(): boolean {
    return this.#document.built
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
    // Its state vector covers what the others were sent, so the joiner does not send that back.
    this.#applyRelayed()
    this.#send(connection, encodeSyncStep1(this.#document.stateVector))
    const states = this.awareness.getStates()
    if (states.size > 0) {
      this.#send(connection, encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()])))
    }
  }

  /** Removes a connection and its presence. */
  leave(connection: Connection) {
    if (!this.#connections.delete(connection)) return
    const ids = [...connection.awarenessIds]
    for (const id of ids) this.#release(id, connection)
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, serverOrigin)
  }

  /** Handles one binary message from a connection. Never throws: bad input closes that connection. */
  receive(connection: Connection, bytes: Uint8Array) {
    if (connection.closed) return
    try {
      const message = decodeClientMessage(bytes)
      switch (message.type) {
        case 'syncStep1':
          this.#answerSyncStep1(connection, message.stateVector)
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
          if (!connection.usesExtensions) this.#replayTo(connection)
          connection.usesExtensions = true
          if (!this.#commit.healthy) this.#send(connection, encodeStorageStatus(false))
          const request = message.request
          void connection.lastStored.then(() => this.#send(connection, encodeStored(request)))
          break
        }
      }
    } catch (error) {
      const reason = error instanceof ProtocolError ? error.message : 'invalid message'
      log.warn('closing connection after bad message', { connId: connection.id, doc: this.id, user: connection.user.username, reason })
      connection.close(CloseCode.badRequest, reason.slice(0, 120))
    }
  }

  /**
   * Sends a Rancang extension message to every connection that speaks the extensions; with
   * `replayForMs`, also to each connection that starts speaking them within that time.
   */
  broadcastExtension(message: Uint8Array, replayForMs = 0) {
    for (const connection of this.#connections) if (connection.usesExtensions) this.#send(connection, message)
    if (replayForMs > 0) this.#replays.push({ message, until: Date.now() + replayForMs })
  }

  #replayTo(connection: Connection) {
    const now = Date.now()
    this.#replays = this.#replays.filter((replay) => replay.until > now)
    for (const { message } of this.#replays) this.#send(connection, message)
  }

  /**
   * Applies a change made by the server the same way as a client's: stored first, then applied and
   * relayed to everyone, with its new content attributed to `author`. By default it is the server's
   * own change (a restore, a repair); `onBehalf` makes it `author`'s edit, which the server only
   * carries out (an accepted suggestion): hooks then see `byServer: false`, as for typing.
   */
  async applyServerUpdate(update: Uint8Array, author: Author, { onBehalf = false } = {}): Promise<void> {
    const summary = summariseUpdate(update)
    if (!summary) throw new Error('Room.applyServerUpdate: not a valid Yjs update')
    await this.#store(update, summary, onBehalf ? onBehalfOrigin : serverOrigin, author)
  }

  /** Resolves once every accepted update is written, relayed and applied, and every awareness change relayed. */
  async settle(): Promise<void> {
    let validated: Promise<unknown>
    let applied: Promise<void>
    let presence: Promise<void>
    do {
      validated = this.#lastValidated
      await validated
      // Relays are queued as each update applies, so they have run once this resolves.
      applied = this.#lastApplied
      await applied
      presence = this.#awarenessRelay.flushed
      await presence
    } while (validated !== this.#lastValidated || applied !== this.#lastApplied || presence !== this.#awarenessRelay.flushed)
    // Someone waits: a compaction that is due starts now rather than next turn.
    if (this.#cancelDueCompaction()) void this.#compact()
    await this.#compaction
  }

  /** Stores what is pending, folds the log into one state and releases the document. */
  async close(): Promise<void> {
    await this.settle()
    this.#cancelDueCompaction()
    if (this.#logLength > 0 || this.#stateVectorMissing) await this.#compact()
    if (this.#replacedBytes >= TIDY_AFTER_BYTES) {
      await this.#storage.tidyDocument?.(this.id).catch((error: unknown) => log.warn('tidying the stored document failed', { doc: this.id, error }))
    }
    this.awareness.destroy()
    this.awareness.doc.destroy()
    this.#document.destroy()
  }

  /**
   * Drops the document without storing anything more: another server owns it now (SPEC S27). What
   * was not stored was never relayed nor acknowledged, so the clients, told to reconnect, resend it.
   */
  abandon() {
    this.#cancelDueCompaction()
    for (const connection of this.#connections) connection.close(CloseCode.ownerMoved, 'document moved to another server')
    this.awareness.destroy()
    this.doc.destroy()
  }

  #receiveUpdate(connection: Connection, update: Uint8Array) {
    // Every client answers the server's sync step 1, usually with nothing: not a write attempt.
    if (isEmptyUpdate(update)) return
    metrics.updatesReceived.inc()
    if (!connection.canWrite) {
      metrics.updatesRefused['read-only'].inc()
      if (!connection.toldReadOnly) {
        connection.toldReadOnly = true
        this.#send(connection, encodePermissionDenied(PermissionDenied.readOnly))
      }
      return
    }
    const received = performance.now()
    // A keystroke is proven well-formed at once and handed to storage in the same turn, unless
    // updates wait for the validator: verdicts are taken in arrival order, so updates are handed to
    // storage (and get their clocks) in the order the clients sent them.
    const proven = this.#validating === 0 ? this.#options.validator.prove(update) : null
    if (proven) {
      connection.lastStored = this.#admit(connection, update, proven, received)
      return
    }
    this.#validating += 1
    const validation = this.#options.validator.validate(update)
    const ordered = this.#lastValidated.then(() => validation)
    this.#lastValidated = ordered
    connection.lastStored = ordered.then((summary) => {
      this.#validating -= 1
      if (summary) return this.#admit(connection, update, summary, received)
      metrics.updatesRefused.invalid.inc()
      log.warn('closing connection after invalid update', {
        connId: connection.id,
        doc: this.id,
        user: connection.user.username,
        bytes: update.byteLength,
      })
      connection.close(CloseCode.badRequest, 'invalid Yjs update')
    })
  }

  /**
   * Stores a well-formed update the firewall admits; resolves once it is stored. In storing order,
   * so the firewall sees the updates admitted before this one. `received`: when it arrived.
   */
  #admit(connection: Connection, update: Uint8Array, summary: UpdateSummary, received: number): Promise<void> {
    if (summary.empty) return Promise.resolve()
    const refusal = this.#checkFirewall(update)
    if (refusal) {
      log.warn('refused an update that breaks the schema', { doc: this.id, user: connection.user.username, reason: refusal })
      this.#send(connection, encodePermissionDenied(PermissionDenied.invalidContent))
      return Promise.resolve()
    }
    return this.#store(update, summary, connection, connection.user, received)
  }

  /**
   * The firewall's verdict, on the built document: it looks parents up there, and in the updates it
   * admitted that the document does not hold yet (typing relayed, not yet applied, among them).
   */
  #checkFirewall(update: Uint8Array): string | null {
    const doc = this.#document.doc
    this.#firewall ??= this.#options.createFirewall(doc)
    return this.#firewall.check(update)
  }

  /**
   * Wires a freshly built document to note which Pasal changed. Not to relay: #apply does, and
   * without a standing 'update' observer Yjs does not encode every transaction again (the
   * document changes only there, SPEC S1).
   */
  #attach(doc: Y.Doc) {
    const pasalChanges = new PasalChanges(doc.getXmlFragment(FRAGMENT))
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      for (const id of pasalChanges.changedBy(transaction)) this.#changedPasal.add(id)
    })
  }

  /**
   * Hands an update to the group commit; it is relayed and applied once written (S1), and the
   * promise resolves once it is stored durably — what a "stored?" request is answered after.
   * `received`: when a client's update arrived (null for the server's own).
   */
  #store(update: Uint8Array, summary: UpdateSummary, origin: Connection | symbol, author: Author, received: number | null = null): Promise<void> {
    const clock = ++this.#clock
    const deletesNew = summary.deletes && deletesSomethingVisible(this.doc, update)
    const attribution = attributeUpdate(summary, this.#attributed, authorOf(author), deletesNew)
    for (const { clientId } of attribution?.newClients ?? []) this.#attributed.add(clientId)
    const modified = this.#lastModified(author)
    let applied!: () => void
    this.#lastApplied = new Promise<void>((resolve) => (applied = resolve))
    const written: Written = { update, origin, received, clock, author, onlyInserts: !summary.deletes, applied }
    // Group commit calls back in append order, so updates apply in the order they were written.
    return new Promise<void>((stored) =>
      this.#commit.append(
        { docId: this.id, clock, update, attribution, modified },
        {
          written: () => {
            if (this.#written.push(written) === 1) microtask(() => this.#relayAndApply())
          },
          stored,
        },
      ),
    )
  }

  /** The last-modified record to store with an update by `author`, unless the one stored says as much. */
  #lastModified(author: Author): LastModified | undefined {
    const at = Date.now()
    const by = authorKey(author)
    const last = this.#modified
    if (last && last.by === by && at - last.at < MODIFIED_PRECISION_MS) return undefined
    this.#modified = { at, by }
    return { at: new Date(at).toISOString(), by: authorOf(author) }
  }

  /**
   * Relays and applies the updates of this room that one group-commit batch wrote (its callbacks
   * run without yielding, so this microtask sees them all): one merged message per connection —
   * one socket write each instead of one per update — in the turn the batch was written, and a
   * sender gets its own update back only inside such a merge, where it is a harmless no-op.
   *
   * Typing only inserts: the stored bytes are relayed, and applied (with the hooks) only
   * `APPLY_DELAY_MS` later, once the clients have read the relay. The clients reading it run on
   * the processor the server just woke them on, and Linux lets them have it only when the server
   * sleeps, so every bit of work in this turn after the relay delays its delivery as much as work
   * before it (measured: a busy 0.4 ms after the relay added 0.45 ms to the fan-out median).
   * Whatever reads the document meanwhile (`doc`, a join, a compaction) applies what is pending
   * first.
   *
   * An update that deletes may carry a client's whole delete set (its answer to sync step 1 after
   * a reconnect), mostly deletions everyone has: it is applied first, and Yjs's encoding of what it
   * changed is relayed instead (nothing when it changed nothing), in order with the batch's other
   * updates.
   */
  #relayAndApply() {
    const batch = this.#written
    this.#written = []
    if (batch.every((written) => written.onlyInserts)) {
      this.#relay(batch)
      this.#unapplied.push(...batch)
      // A change the server makes (a restore, an accepted suggestion) is applied when its caller hears it is stored.
      if (batch.some((written) => !(written.origin instanceof Connection))) this.#applyRelayed()
      else if (this.#unapplied.length === batch.length) this.#applyTimer = setTimeout(() => this.#applyRelayed(), APPLY_DELAY_MS)
      return
    }
    this.#applyRelayed()
    const relays: Relay[] = []
    for (const written of batch) this.#apply(written, relays)
    this.#relay(relays)
  }

  /** Applies the typing relayed and not yet applied, in storing order. */
  #applyRelayed() {
    if (this.#unapplied.length === 0) return
    clearTimeout(this.#applyTimer)
    const unapplied = this.#unapplied
    this.#unapplied = []
    for (const written of unapplied) this.#apply(written, null)
  }

  /**
   * Applies a stored update; with `relays`, adds what to relay for it there: the stored bytes of
   * one that only inserts (even if they applied only in part: what a reload will replay), what Yjs
   * says changed for one that deletes.
   */
  #apply({ update, origin, received, clock, author, onlyInserts, applied }: Written, relays: Relay[] | null) {
    try {
      const doc = this.doc
      const watch = relays !== null && !onlyInserts
      const relayChange = (change: Uint8Array) => relays!.push({ update: change, origin, received })
      if (watch) doc.on('update', relayChange)
      try {
        Y.applyUpdate(doc, update, origin)
        this.#syncAnswers.applied(update)
      } catch (error) {
        log.error('stored update failed to apply', { doc: this.id, clock, error })
        // Partly applied, perhaps: joins are answered from a fresh encoding of what the document holds.
        this.#syncAnswers.reset()
      } finally {
        if (watch) doc.off('update', relayChange)
      }
      if (relays && onlyInserts) relays.push({ update, origin, received })
      this.#appliedClock = clock
      this.#firewall?.forgetApplied()
      this.#logLength += 1
      this.#logBytes += update.byteLength
      this.#maybeCompact()
      this.#options.onUpdateStored?.({ room: this, author, byServer: origin === serverOrigin, pasalIds: this.#changedPasal })
      this.#changedPasal = new Set()
    } finally {
      // Applied whatever happened while applying: a waiting settle goes on all the same.
      applied()
    }
  }

  #receiveAwareness(connection: Connection, update: Uint8Array) {
    // The stock provider's first awareness message on a connection is its own state.
    const announcing = !connection.spokeAwareness
    connection.spokeAwareness = true
    const admitted = admitAwarenessUpdate(
      update,
      {
        user: connection.user,
        owned: connection.awarenessIds,
        claimable: (clientId) => {
          const owner = this.#awarenessOwners.get(clientId)
          // Taken from another connection of the same account only by its announcement: from another
          // tab of the browser, which relays the state it hears over the tabs' BroadcastChannel before
          // this tab's socket opens (closing that tab would remove this one's presence), or from the
          // client's previous socket whose close the server has not seen yet (a dropped network is
          // noticed by the heartbeat, tens of seconds later: the presence would stay frozen).
          if (owner) return announcing && owner.user.username === connection.user.username
          const released = this.#released.get(clientId)
          if (!released || Date.now() - released.at > RELEASE_GRACE_MS) return true
          // The owner publishing again, or the same account on a connection that owns no id yet (a
          // reconnect); a connection that owns one is a stock provider echoing what it received.
          return released.connection === connection || (released.username === connection.user.username && connection.awarenessIds.size === 0)
        },
        clockOf: (clientId) => this.awareness.meta.get(clientId)?.clock,
      },
      this.#options,
    )
    if (!admitted) return
    for (const id of admitted.clientIds) {
      this.#awarenessOwners.get(id)?.awarenessIds.delete(id)
      connection.awarenessIds.add(id)
      this.#awarenessOwners.set(id, connection)
      this.#released.delete(id)
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, admitted.update, connection)
  }

  /**
   * Answers a sync step 1 from SyncAnswers: many people opening a large draft at the start of a
   * meeting cost one encoding, not one each, and a join while others type costs the updates stored
   * since that encoding, not a new one. An 8-byte request can still ask for the
   * whole document, so each connection has a budget of answers; one that floods is closed (1013),
   * as the transport closes one over its message rate, and a stock client reconnects and resyncs.
   */
  #answerSyncStep1(connection: Connection, stateVector: Uint8Array) {
    let budget = this.#syncBudgets.get(connection)
    if (!budget) {
      const perMinute = this.#options.syncAnswersPerMinute
      budget = new TokenBucket(perMinute / 60, perMinute)
      this.#syncBudgets.set(connection, budget)
    }
    if (!budget.take()) {
      log.warn('closing connection over its sync budget', { connId: connection.id, doc: this.id, user: connection.user.username })
      connection.close(CloseCode.tryAgainLater, SYNC_RATE_LIMIT)
      return
    }
    // In one turn, so the tail and the base leave together (SyncAnswers: the tail first); both
    // hold every update relayed so far.
    this.#applyRelayed()
    for (const message of this.#syncAnswers.answer(stateVector)) this.#send(connection, message)
  }

  #relay(outgoing: readonly Relay[]) {
    if (outgoing.length === 0) return
    const single = outgoing.length === 1 ? outgoing[0]! : null
    const message = encodeUpdate(single ? single.update : Y.mergeUpdates(outgoing.map((o) => o.update)))
    for (const connection of this.#connections) if (connection !== single?.origin) this.#send(connection, message)
    const relayed = performance.now()
    for (const { received } of outgoing) if (received !== null) metrics.relayDelay.observe((relayed - received) / 1000)
  }

  readonly #onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    const changed = [...added, ...updated, ...removed]
    // Also a state y-protocols dropped after 30 s without renewal (a tab that relayed another tab's
    // state which then died): the id no longer counts against its connection's limit.
    for (const id of removed) {
      const owner = origin instanceof Connection ? origin : this.#awarenessOwners.get(id)
      if (owner) this.#release(id, owner)
    }
    // Sent to the originator too: the stock provider counts it as a sign of life.
    this.#awarenessRelay.add(changed)
  }

  /** Ends `connection`'s ownership of an awareness id, keeping the id for its account a while. */
  #release(clientId: number, connection: Connection) {
    const at = Date.now()
    for (const [id, released] of this.#released) if (at - released.at > RELEASE_GRACE_MS) this.#released.delete(id)
    connection.awarenessIds.delete(clientId)
    this.#awarenessOwners.delete(clientId)
    this.#released.set(clientId, { username: connection.user.username, connection, at })
  }

  #send(connection: Connection, message: Outgoing) {
    if (connection.closed) return
    if (connection.socket.bufferedAmount > this.#options.maxBufferedBytes) {
      log.warn('closing connection that reads too slowly', { connId: connection.id, doc: this.id, user: connection.user.username })
      connection.close(CloseCode.tryAgainLater, 'client reads too slowly')
      return
    }
    connection.socket.send(message)
  }

  /**
   * Compacts after `compactAfterUpdates` updates — later for a large document: re-encoding a state
   * of megabytes costs tens of milliseconds, so its log may first grow to a quarter of the state.
   * Either way a load replays a log bounded relative to the document.
   *
   * Off the keystroke path: not in the turn of the update that reached the threshold (that turn's
   * relay, a microtask, leaves first; the O(document) encoding runs in the next turn), and not
   * while updates of this room wait for storage — the compaction's write would go ahead of theirs
   * on the one-at-a-time write gate — unless the log has grown to `COMPACTION_DEFER_LIMIT` times
   * the threshold (edits that never pause). The next update applied asks again.
   */
  #maybeCompact() {
    if (this.#compaction || this.#compactionDue || !this.#compactionWanted()) return
    this.#compactionDue = setImmediate(() => {
      this.#compactionDue = null
      if (this.#compactionWanted()) void this.#compact()
    })
  }

  #compactionWanted(): boolean {
    const threshold = this.#options.compactAfterUpdates
    if (this.#logLength < threshold) return false
    if (this.#stateBytes > LARGE_STATE_BYTES && this.#logBytes < this.#stateBytes / 4) return false
    const storing = this.#clock !== this.#appliedClock
    return !storing || this.#logLength >= threshold * COMPACTION_DEFER_LIMIT
  }

  /** Cancels a due compaction; whether there was one. */
  #cancelDueCompaction(): boolean {
    if (!this.#compactionDue) return false
    clearImmediate(this.#compactionDue)
    this.#compactionDue = null
    return true
  }

  #compact(): Promise<void> {
    if (this.#compaction) return this.#compaction
    this.#applyRelayed()
    const through = this.#appliedClock
    const folded = this.#logLength
    const foldedBytes = this.#logBytes
    const state = this.#document.encodeState()
    // The same stored state, just encoded: joins are answered from it from now on.
    this.#syncAnswers.rebase(state)
    this.#compaction = this.#storage
      .compactDocument(this.id, state, through, this.#document.stateVector)
      .then(
        () => {
          this.#stateVectorMissing = false
          this.#logLength -= folded
          this.#logBytes -= foldedBytes
          this.#replacedBytes += this.#stateBytes + foldedBytes
          this.#stateBytes = state.byteLength
        },
        (error: unknown) => log.error('compaction failed; the update log is kept', { doc: this.id, error }),
      )
      .finally(() => {
        this.#compaction = null
      })
    return this.#compaction
  }
}
