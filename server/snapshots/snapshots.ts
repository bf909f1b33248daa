import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { deflateRaw, inflateRaw } from 'node:zlib'
import * as Y from 'yjs'
import { authorOf, canEdit, type Author, type User } from '../../shared/accounts.js'
import { schema } from '../../shared/model/schema.js'
import type { Node } from 'prosemirror-model'
import { encodeChangeTo, encodeDocument, toProsemirror } from '../../shared/model/ydoc.js'
import { attributionIndex, compareVersions, type Version } from '../../shared/compare.js'
import { CURRENT, type Comparison, type SnapshotMeta } from '../../shared/versions.js'
import type { DocumentStorage, SnapshotStorage } from '../storage/types.js'
import { audited, type AuditEvent, type AuditOrigin } from '../../shared/audit.js'
import type { Room } from '../rooms/room.js'
import type { Extension, RoomAccess, onUpdateStoredPayload } from '../rooms/hooks.js'
import { log } from '../log.js'
import { Refusal } from '../refusal.js'
import { hasUnprintable } from '../../shared/text.js'
import { encodeRestored } from '../../shared/protocol/messages.js'

const deflate = promisify(deflateRaw)
const inflate = promisify(inflateRaw)

/** The author of the versions the server takes by itself. */
export const SYSTEM_AUTHOR: Author = { username: 'rancang', name: 'Rancang', bidang: 'Otomatis' }

/** Someone who (re)connects this soon after a restore is still told of it: their text changed while they were away. */
const RESTORE_NOTICE_REPLAY_MS = 10 * 60_000

const MAX_NAME = 120
const MAX_NOTE = 1000

/** Time-sortable ids, so storage order is creation order. */
const newSnapshotId = () => `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(3).toString('hex')}`

function cleanName(name: unknown): string {
  if (typeof name !== 'string' || !name.trim()) throw new Refusal('invalid', 'Beri nama versi, mis. "Sebelum rapat finalisasi 8 Agustus".')
  const clean = name.replace(/\s+/g, ' ').trim()
  if (clean.length > MAX_NAME) throw new Refusal('invalid', `Nama versi paling panjang ${MAX_NAME} karakter.`)
  if (hasUnprintable(clean)) throw new Refusal('invalid', 'Nama versi memuat karakter yang tidak diizinkan.')
  return clean
}

function cleanNote(note: unknown): string | undefined {
  if (note === undefined || note === null || note === '') return undefined
  if (typeof note !== 'string') throw new Refusal('invalid', 'Catatan versi harus berupa teks.')
  const clean = note.trim()
  if (clean.length > MAX_NOTE) throw new Refusal('invalid', `Catatan versi paling panjang ${MAX_NOTE} karakter.`)
  if (hasUnprintable(clean)) throw new Refusal('invalid', 'Catatan versi memuat karakter yang tidak diizinkan.')
  return clean || undefined
}

export interface SnapshotsOptions {
  /** Take an automatic version when a document is edited this long after the last version (ms); 0 disables. */
  readonly autoIntervalMs: number
}

/**
 * Named and automatic versions of each draft. A version is the whole Yjs state, deflated: a few
 * tens of kB for a Pergub, self-contained (no chain to replay), and it keeps the item ids that
 * comparisons attribute by. Restoring writes the version's content into the live document as one
 * new change, after an automatic version of what it replaces.
 */
export class Snapshots implements Extension {
  readonly name = 'snapshots'
  readonly #storage: SnapshotStorage & DocumentStorage
  readonly #rooms: RoomAccess
  readonly #options: SnapshotsOptions
  /** When each document last got a version (ms), to space the automatic ones. */
  readonly #lastTaken = new Map<string, number>()
  readonly #taking = new Set<string>()
  /** The automatic versions asked for so far, taken one after another (see onUpdateStored). */
  #autoVersions: Promise<void> = Promise.resolve()

  constructor(storage: SnapshotStorage & DocumentStorage, rooms: RoomAccess, options: SnapshotsOptions) {
    this.#storage = storage
    this.#rooms = rooms
    this.#options = options
  }

  list(docId: string): Promise<SnapshotMeta[]> {
    return this.#storage.listSnapshots(docId)
  }

  /** Saves the current state under a name (editors and admins). */
  async create(docId: string, user: User, name: unknown, note?: unknown, origin?: AuditOrigin): Promise<SnapshotMeta> {
    if (!canEdit(user.role)) throw new Refusal('forbidden', 'Hanya penyusun atau admin yang dapat menyimpan versi.')
    const cleanedName = cleanName(name)
    const cleanedNote = cleanNote(note)
    return this.#rooms.with(docId, async (room) => {
      await room.settle()
      const audit = (id: string) => audited(origin, 'snapshot.created', `${docId}/${id}`, cleanedName)
      return this.#take(room, { name: cleanedName, note: cleanedNote, author: authorOf(user), auto: false }, audit)
    })
  }

  /**
   * Stores `content` as a version of `docId` by the server, before or beside the live text: the
   * frozen base of an amendment draft, written before the draft itself exists. Returns its id.
   */
  async freeze(docId: string, content: Node, name: string): Promise<string> {
    const data = new Uint8Array(await deflate(encodeDocument(content)))
    const meta: SnapshotMeta = {
      id: newSnapshotId(),
      docId,
      name: cleanName(name.slice(0, MAX_NAME)),
      createdAt: new Date().toISOString(),
      author: SYSTEM_AUTHOR,
      auto: false,
      bytes: data.byteLength,
    }
    await this.#storage.putSnapshot(meta, data)
    return meta.id
  }

  /** A version's metadata and its content as ProseMirror JSON. */
  async get(docId: string, snapshotId: string): Promise<SnapshotMeta & { content: unknown }> {
    const { meta, ydoc } = await this.#load(docId, snapshotId)
    try {
      return { ...meta, content: toProsemirror(ydoc).toJSON() }
    } finally {
      ydoc.destroy()
    }
  }

  /**
   * Makes the live document equal to a version, for everyone connected, as a new forward change
   * (so it can itself be undone by restoring the automatic version taken just before).
   */
  async restore(docId: string, snapshotId: string, user: User, origin?: AuditOrigin): Promise<{ restored: SnapshotMeta; before: SnapshotMeta }> {
    if (!canEdit(user.role)) throw new Refusal('forbidden', 'Hanya penyusun atau admin yang dapat memulihkan versi.')
    const { meta, ydoc: version } = await this.#load(docId, snapshotId)
    try {
      return await this.#rooms.with(docId, async (room) => {
        await room.settle()
        // Restoring an automatic version (often a "Sebelum pemulihan" one) must not nest names.
        const name = meta.auto ? 'Sebelum pemulihan ke versi otomatis' : `Sebelum pemulihan ke "${meta.name}"`
        // The entry rides with the version of what the restore replaces, the restore's first write:
        // after a crash there is never a restored text without it.
        const audit = () => audited(origin, 'snapshot.restored', `${docId}/${snapshotId}`, meta.name)
        const before = await this.#take(room, { name, author: authorOf(user), auto: true }, audit)
        const update = encodeChangeTo(room.doc, toProsemirror(version))
        if (update) await room.applyServerUpdate(update, authorOf(user))
        // Once the text is relayed, so a client showing the notice already shows the restored text.
        await room.settle()
        const ref = ({ id, name, createdAt, auto }: SnapshotMeta) => ({ id, name, createdAt, auto })
        const notice = { docId, version: ref(meta), before: ref(before), by: authorOf(user), at: new Date().toISOString() }
        room.broadcastExtension(encodeRestored(notice), RESTORE_NOTICE_REPLAY_MS)
        log.info('version restored', { doc: docId, snapshot: snapshotId, user: user.username })
        return { restored: meta, before }
      })
    } finally {
      version.destroy()
    }
  }

  /** What changed from one version to another (`CURRENT` for the live document), and by whom. */
  async compare(docId: string, from: string, to: string): Promise<Comparison> {
    const [before, after] = await Promise.all([this.#version(docId, from), this.#version(docId, to)])
    try {
      const { authors, deletions } = await this.#storage.loadAttribution(docId)
      return compareVersions(before, after, attributionIndex(authors, deletions))
    } finally {
      before.ydoc.destroy()
      after.ydoc.destroy()
    }
  }

  /**
   * After someone changed a document: takes an automatic version when the last one is older than
   * the interval, so a working session always leaves versions behind without anyone saving.
   *
   * One at a time, each in a turn of its own: a thousand drafts first edited in the same second
   * would otherwise encode a thousand states at once and queue as many deflates and fsynced writes
   * in the thread pool, ahead of the group commit that stores everyone's keystrokes.
   */
  onUpdateStored({ room, byServer }: onUpdateStoredPayload) {
    if (byServer) return
    const interval = this.#options.autoIntervalMs
    const docId = room.id
    if (interval <= 0 || this.#taking.has(docId)) return
    const last = this.#lastTaken.get(docId)
    if (last !== undefined && Date.now() - last < interval) return
    this.#taking.add(docId)
    this.#autoVersions = this.#autoVersions.then(() =>
      this.#lastTime(docId)
        .then(async (known) => {
          if (known !== undefined && Date.now() - known < interval) return
          // Taken when its turn comes: the room may have been unloaded while it waited.
          await this.#rooms.with(docId, (room) => this.#take(room, { name: 'Versi otomatis', author: SYSTEM_AUTHOR, auto: true }))
        })
        .catch((error: unknown) => log.error('automatic version failed', { doc: docId, error }))
        .finally(() => this.#taking.delete(docId)),
    )
  }

  /** When the last version was taken is read again once the document opens again: another server may have taken one. */
  onUnloaded(docId: string) {
    this.#lastTaken.delete(docId)
  }

  async #lastTime(docId: string): Promise<number | undefined> {
    const cached = this.#lastTaken.get(docId)
    if (cached !== undefined) return cached
    const [newest] = await this.#storage.listSnapshots(docId)
    const time = newest ? Date.parse(newest.createdAt) : undefined
    if (time !== undefined) this.#lastTaken.set(docId, time)
    return time
  }

  /** `audit`: the audit event to store with the version, given its id. */
  async #take(
    room: Room,
    details: { name: string; note?: string; author: Author; auto: boolean },
    audit?: (snapshotId: string) => AuditEvent | undefined,
  ): Promise<SnapshotMeta> {
    const data = new Uint8Array(await deflate(Y.encodeStateAsUpdate(room.doc)))
    const meta: SnapshotMeta = {
      id: newSnapshotId(),
      docId: room.id,
      name: details.name,
      ...(details.note ? { note: details.note } : {}),
      createdAt: new Date().toISOString(),
      author: details.author,
      auto: details.auto,
      bytes: data.byteLength,
    }
    await this.#storage.putSnapshot(meta, data, audit?.(meta.id))
    this.#lastTaken.set(room.id, Date.parse(meta.createdAt))
    return meta
  }

  async #load(docId: string, snapshotId: string): Promise<{ meta: SnapshotMeta; ydoc: Y.Doc }> {
    const found = await this.#storage.getSnapshot(docId, snapshotId)
    if (!found) throw new Refusal('not-found', 'Versi tidak ditemukan.')
    const ydoc = new Y.Doc()
    Y.applyUpdate(ydoc, new Uint8Array(await inflate(found.data)))
    return { meta: found.meta, ydoc }
  }

  /** The ProseMirror document of a version (`CURRENT`: the live draft) and when it was taken. */
  async document(docId: string, id: string): Promise<{ doc: ReturnType<typeof toProsemirror>; date: string }> {
    const version = await this.#version(docId, id)
    try {
      const date =
        id === CURRENT ? new Date().toISOString() : ((await this.#storage.getSnapshot(docId, id))?.meta.createdAt ?? new Date().toISOString())
      return { doc: version.doc, date }
    } finally {
      version.ydoc.destroy()
    }
  }

  /** A version as a comparison side: a stored snapshot, or the live document. */
  async #version(docId: string, id: string): Promise<Version> {
    if (id === CURRENT) {
      return this.#rooms.with(docId, async (room) => {
        await room.settle()
        const ydoc = new Y.Doc()
        Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(room.doc))
        return { ydoc, doc: toProsemirror(ydoc) }
      })
    }
    const { ydoc } = await this.#load(docId, id)
    return { ydoc, doc: toProsemirror(ydoc) }
  }
}
