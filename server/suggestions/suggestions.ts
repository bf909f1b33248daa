import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { authorOf, canComment, canEdit, isAuthor, type Author, type User } from '../../shared/accounts.js'
import { MAX_MESSAGES_PER_THREAD, type CommentMessage } from '../../shared/comments.js'
import { positionToRelative } from '../../shared/anchors.js'
import { findInPasal, quoteOf, type Placement } from '../../shared/suggestionAnchor.js'
import type { Suggestion, SuggestionAnchor } from '../../shared/suggestions.js'
import { encodeSuggestion } from '../../shared/protocol/messages.js'
import { FRAGMENT } from '../../shared/model/ydoc.js'
import type { SuggestionStorage } from '../storage/types.js'
import type { Room } from '../rooms/room.js'
import type { Extension, RoomAccess, onUpdateStoredPayload } from '../rooms/hooks.js'
import { KeptWhileOpen } from '../rooms/keptWhileOpen.js'
import { cleanMessageText } from '../comments/comments.js'
import { KeyedQueue } from '../keyedQueue.js'
import { Refusal } from '../refusal.js'
import { log } from '../log.js'
import { applySuggestion } from './edit.js'
import { DraftView, WorkingCopy } from './draftView.js'
import { cleanDraft, cleanPasalId, type Draft } from './input.js'

const newId = () => randomBytes(9).toString('base64url')
const now = () => new Date().toISOString()

/** Suggestions that may still be settled: open, or stale (rejected or withdrawn in the rapat). */
const isLive = (s: Suggestion) => s.status === 'open' || s.status === 'stale'

const overlaps = (a: { from: number; to: number }, b: { from: number; to: number }) => a.from < b.to && b.from < a.to

/** The ids of every Pasal in a Yjs document (elements only, no text: cheap enough for every update). */
function pasalIdsOf(fragment: Y.XmlFragment): Set<string> {
  const ids = new Set<string>()
  const walk = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      const id = child.nodeName === 'pasal' ? child.getAttribute('id') : undefined
      if (typeof id === 'string') ids.add(id)
      else walk(child)
    }
  }
  walk(fragment)
  return ids
}

/**
 * Suggestions ("usulan perubahan", SPEC.md S14): records beside the document, like comment threads,
 * written only here. Creating one never touches the text; accepting one makes the change in the
 * live draft as the suggester's edit (stored before relayed, through the room), and after every
 * stored change the suggestions of the Pasal it touched are checked again and turn `stale` when
 * the text they would change reads differently. Changes to one document are serialised; every
 * change is pushed to everyone in the document (message 104).
 */
export class Suggestions implements Extension {
  readonly name = 'suggestions'
  readonly #storage: SuggestionStorage
  readonly #rooms: RoomAccess
  readonly #queue = new KeyedQueue()
  /** Every suggestion per document, read once while it is open and kept current: every stored edit asks about them. */
  readonly #cache: KeptWhileOpen<Map<string, Suggestion>>
  /** Pasal touched by stored updates whose check is queued but not yet begun, per document. */
  readonly #pending = new Map<string, Set<string>>()

  constructor(storage: SuggestionStorage, rooms: RoomAccess) {
    this.#storage = storage
    this.#rooms = rooms
    this.#cache = new KeptWhileOpen(rooms)
  }

  async list(docId: string): Promise<Suggestion[]> {
    const all = [...(await this.#suggestions(docId)).values()]
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  /**
   * Proposes a change (commenters, editors, admins): checked against the live text, never applied.
   * `importedFor`: `user` imports it from a Word file on behalf of the author Word recorded.
   */
  create(docId: string, user: User, body: Record<string, unknown>, importedFor?: Author): Promise<Suggestion> {
    if (!canComment(user.role)) throw new Refusal('forbidden', 'Peran Anda hanya dapat membaca usulan.')
    const draft = cleanDraft(body)
    return this.#queue.run(docId, () =>
      this.#rooms.with(docId, async (room) => {
        await room.settle()
        return this.#create(room, draft, importedFor ?? authorOf(user), importedFor && authorOf(user))
      }),
    )
  }

  /** `importedBy`: who imported it from a Word file on the author's behalf. */
  async #create(room: Room, draft: Draft, author: Author, importedBy?: Author): Promise<Suggestion> {
    const { anchor, pasalLabel } = this.#check(room, draft)
    const time = now()
    return this.#save({
      id: newId(),
      docId: room.id,
      kind: draft.kind,
      anchor,
      insert: draft.insert,
      ...(draft.blocks ? { blocks: draft.blocks } : {}),
      ...(draft.note ? { note: draft.note } : {}),
      status: 'open',
      author,
      ...(importedBy ? { importedBy } : {}),
      createdAt: time,
      updatedAt: time,
      origin: { pasalLabel },
      replies: [],
    })
  }

  /**
   * Changes one's own suggestion while it is open or stale (the client extends a suggestion as
   * its author keeps typing next to it): any of `insert`, `anchor`, `blocks`, `note`. The result is
   * checked as a new suggestion would be, so it is open again afterwards.
   */
  update(docId: string, suggestionId: string, user: User, body: Record<string, unknown>): Promise<Suggestion> {
    return this.#change(docId, suggestionId, async (suggestion) => {
      if (!isAuthor(suggestion.author, user)) throw new Refusal('forbidden', 'Hanya pengusulnya yang dapat mengubah usulan ini.')
      this.#mustBeLive(suggestion)
      const draft = cleanDraft({
        kind: suggestion.kind,
        anchor: body.anchor ?? suggestion.anchor,
        insert: 'insert' in body ? body.insert : suggestion.insert,
        blocks: 'blocks' in body ? body.blocks : suggestion.blocks,
        note: 'note' in body ? body.note : suggestion.note,
      })
      const checked = await this.#rooms.with(docId, async (room) => {
        await room.settle()
        return this.#check(room, draft)
      })
      const { current: _current, note: _note, blocks: _blocks, ...rest } = suggestion
      return {
        ...rest,
        anchor: checked.anchor,
        insert: draft.insert,
        ...(draft.blocks ? { blocks: draft.blocks } : {}),
        ...(draft.note ? { note: draft.note } : {}),
        status: 'open',
      }
    })
  }

  /**
   * A copy of the live draft, once every stored change is in, with every suggestion: what the
   * Word export and the Word import work on. The caller destroys `view.ydoc`.
   */
  async copyOfDraft(docId: string): Promise<{ view: DraftView; suggestions: Suggestion[] }> {
    const suggestions = await this.list(docId)
    const view = await this.#rooms.with(docId, async (room) => {
      await room.settle()
      const ydoc = new Y.Doc()
      Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(room.doc))
      return new DraftView(ydoc)
    })
    return { view, suggestions }
  }

  reply(docId: string, suggestionId: string, user: User, text: unknown): Promise<Suggestion> {
    if (!canComment(user.role)) throw new Refusal('forbidden', 'Peran Anda hanya dapat membaca usulan.')
    const body = cleanMessageText(text)
    return this.#change(docId, suggestionId, (suggestion) => {
      if (suggestion.replies.length >= MAX_MESSAGES_PER_THREAD) throw new Refusal('conflict', 'Tanggapan pada usulan ini sudah terlalu banyak.')
      const message: CommentMessage = { id: newId(), author: authorOf(user), text: body, createdAt: now() }
      return { ...suggestion, replies: [...suggestion.replies, message] }
    })
  }

  reject(docId: string, suggestionId: string, user: User): Promise<Suggestion> {
    if (!canEdit(user.role)) throw new Refusal('forbidden', 'Hanya penyusun atau admin yang dapat menolak usulan.')
    return this.#change(docId, suggestionId, (suggestion) => this.#decided(suggestion, 'rejected', user))
  }

  withdraw(docId: string, suggestionId: string, user: User): Promise<Suggestion> {
    return this.#change(docId, suggestionId, (suggestion) => {
      if (!isAuthor(suggestion.author, user)) throw new Refusal('forbidden', 'Hanya pengusulnya yang dapat menarik usulan ini.')
      return this.#decided(suggestion, 'withdrawn', user)
    })
  }

  /** Makes the change in the live draft as the suggester's edit (editors, admins); stale → 409. */
  accept(docId: string, suggestionId: string, user: User): Promise<Suggestion> {
    if (!canEdit(user.role)) throw new Refusal('forbidden', 'Hanya penyusun atau admin yang dapat menerima usulan.')
    return this.#queue.run(docId, async () => {
      const suggestion = (await this.#suggestions(docId)).get(suggestionId)
      if (!suggestion) throw new Refusal('not-found', 'Usulan tidak ditemukan.')
      return this.#rooms.with(docId, async (room) => {
        await room.settle()
        return this.#accept(room, suggestion, user)
      })
    })
  }

  /**
   * Accepts every open suggestion of a Pasal (or of the whole draft), oldest first. Those that are
   * stale, or become stale because an earlier one changed their text, are skipped and listed.
   */
  acceptAll(docId: string, user: User, pasalId: unknown): Promise<{ accepted: number; skipped: string[] }> {
    if (!canEdit(user.role)) throw new Refusal('forbidden', 'Hanya penyusun atau admin yang dapat menerima usulan.')
    const only = pasalId === undefined || pasalId === null ? null : cleanPasalId(pasalId)
    return this.#queue.run(docId, async () => {
      const candidates = (await this.list(docId)).filter((s) => isLive(s) && (only === null || s.anchor.pasalId === only))
      return this.#rooms.with(docId, async (room) => {
        await room.settle()
        let accepted = 0
        const skipped: string[] = []
        for (const { id } of candidates) {
          // Re-read: an earlier acceptance may have made it stale.
          const suggestion = (await this.#suggestions(docId)).get(id)!
          try {
            await this.#accept(room, suggestion, user)
            accepted += 1
          } catch (error) {
            if (!(error instanceof Refusal)) throw error
            skipped.push(id)
          }
        }
        return { accepted, skipped }
      })
    })
  }

  /**
   * After a stored change (a client's edit, an accepted suggestion, a restore): the open and stale
   * suggestions of the Pasal it touched, and open ones whose Pasal is gone, are placed again.
   * Checks queue behind other changes of the document; updates arriving meanwhile join the queued
   * check, so a burst of typing costs one check.
   */
  onUpdateStored({ room, pasalIds }: onUpdateStoredPayload): Promise<void> | void {
    // Most drafts have no live suggestion most of the time: then a keystroke needs no check.
    const known = this.#queue.busy(room.id) ? undefined : this.#cache.peek(room.id)
    if (known && ![...known.values()].some(isLive)) return
    const pending = this.#pending.get(room.id)
    if (pending) {
      for (const id of pasalIds) pending.add(id)
      return
    }
    const touched = new Set(pasalIds)
    this.#pending.set(room.id, touched)
    return this.#queue.run(room.id, async () => {
      this.#pending.delete(room.id)
      await this.#recheck(room.id, touched)
    })
  }

  onUnloaded(docId: string) {
    this.#cache.drop(docId)
  }

  async #recheck(docId: string, touched: ReadonlySet<string>) {
    const live = [...(await this.#suggestions(docId)).values()].filter(isLive)
    if (live.length === 0) return
    // Only documents that are still open: a closed one has stored everything this check is about.
    const room = this.#rooms.peek(docId)
    if (!room) return
    const present = live.some((s) => s.status === 'open' && !touched.has(s.anchor.pasalId)) ? pasalIdsOf(room.doc.getXmlFragment(FRAGMENT)) : null
    const due = live.filter((s) => touched.has(s.anchor.pasalId) || (s.status === 'open' && present && !present.has(s.anchor.pasalId)))
    if (due.length === 0) return
    const view = new DraftView(room.doc)
    for (const suggestion of due) {
      const placement = view.place(suggestion, suggestion.status === 'open')
      const next = this.#withPlacement(suggestion, placement)
      if (next !== suggestion) await this.#save({ ...next, updatedAt: now() })
    }
  }

  /** The suggestion with its status (and `current`) as `placement` says, or itself when that is unchanged. */
  #withPlacement(suggestion: Suggestion, placement: Placement): Suggestion {
    if (placement.status === 'applies') {
      if (suggestion.status === 'open') return suggestion
      const { current: _current, ...rest } = suggestion
      return { ...rest, status: 'open' }
    }
    if (suggestion.status === 'stale' && suggestion.current === placement.current) return suggestion
    return { ...suggestion, status: 'stale', current: placement.current }
  }

  async #accept(room: Room, suggestion: Suggestion, user: User): Promise<Suggestion> {
    if (suggestion.status === 'stale')
      throw new Refusal('conflict', 'Teks yang diusulkan untuk diubah sudah berubah; usulan ini tidak dapat diterima.')
    this.#mustBeLive(suggestion)
    const copy = WorkingCopy.of(room.doc)
    try {
      const placement = copy.place(suggestion, true)
      if (placement.status === 'stale') {
        await this.#save({ ...this.#withPlacement(suggestion, placement), updatedAt: now() })
        throw new Refusal('conflict', 'Teks yang diusulkan untuk diubah sudah berubah; usulan ini tidak dapat diterima.')
      }
      // Open suggestions whose text this one changes: after it they can no longer apply as proposed.
      const overlapping = [...(await this.#suggestions(room.id)).values()].filter((other) => {
        if (other.id === suggestion.id || other.status !== 'open' || other.anchor.pasalId !== suggestion.anchor.pasalId) return false
        if (suggestion.kind === 'deletePasal' || other.kind === 'deletePasal') return true
        const at = copy.place(other, true)
        return at.status === 'applies' && overlaps(at, placement)
      })
      const update = copy.updateTo(applySuggestion(copy.doc, suggestion, placement))
      // The suggester's edit, carried out by the server: attributed to them, seen by hooks as theirs.
      if (update) await room.applyServerUpdate(update, suggestion.author, { onBehalf: true })
      log.info('suggestion accepted', { doc: room.id, suggestion: suggestion.id, user: user.username })
      const accepted = await this.#save({ ...this.#decided(suggestion, 'accepted', user), updatedAt: now() })
      if (overlapping.length > 0) {
        const view = new DraftView(room.doc)
        for (const other of overlapping) {
          const placement = view.place(other, false)
          const current = placement.status === 'stale' ? placement.current : ''
          await this.#save({ ...other, status: 'stale', current, updatedAt: now() })
        }
      }
      return accepted
    } finally {
      copy.destroy()
    }
  }

  /** Checks a draft against the live text: the Pasal exists, the range reads as quoted, the change can be made. */
  #check(room: Room, draft: Draft): { anchor: SuggestionAnchor; pasalLabel: string } {
    const view = new DraftView(room.doc)
    const label = view.numbering.byId.get(draft.pasalId)
    if (!label || label.kind !== 'pasal')
      throw new Refusal('invalid', 'Pasal yang diusulkan untuk diubah tidak ditemukan; mungkin baru saja dihapus.')
    const anchor: SuggestionAnchor = { pasalId: draft.pasalId, range: draft.range ?? this.#pasalStart(view, label.pos) }
    const placement = view.place({ kind: draft.kind, anchor }, false)
    if (placement.status === 'stale') {
      throw new Refusal('conflict', 'Bagian teks yang dipilih tidak lagi terbaca seperti kutipan usulan; pilih lagi teks yang akan diubah.')
    }
    if (draft.kind === 'blocks' && placement.from !== placement.to) throw new Refusal('invalid', 'Unsur baru disisipkan pada satu titik.')
    applySuggestion(view.doc, draft, placement)
    return { anchor, pasalLabel: label.label }
  }

  /** An empty range at the start of a Pasal's first text: where a `deletePasal` suggestion hangs. */
  #pasalStart(view: DraftView, pasalPos: number) {
    let start = -1
    view.doc.nodeAt(pasalPos)!.descendants((node, offset) => {
      if (start < 0 && node.isTextblock) start = pasalPos + 1 + offset + 1
      return start < 0
    })
    const position = start < 0 ? null : positionToRelative(view.fragment, view.doc, start)
    if (!position) throw new Refusal('invalid', 'Pasal ini belum memuat teks.')
    return { from: position, to: position, quote: '' }
  }

  #mustBeLive(suggestion: Suggestion) {
    if (!isLive(suggestion)) throw new Refusal('conflict', 'Usulan ini sudah diputuskan atau ditarik.')
  }

  #decided(suggestion: Suggestion, status: 'accepted' | 'rejected' | 'withdrawn', user: User): Suggestion {
    this.#mustBeLive(suggestion)
    const { current: _current, ...rest } = suggestion
    return { ...(status === 'accepted' ? rest : suggestion), status, decidedBy: authorOf(user), decidedAt: now() }
  }

  #change(docId: string, suggestionId: string, change: (suggestion: Suggestion) => Suggestion | Promise<Suggestion>): Promise<Suggestion> {
    return this.#queue.run(docId, async () => {
      const suggestion = (await this.#suggestions(docId)).get(suggestionId)
      if (!suggestion) throw new Refusal('not-found', 'Usulan tidak ditemukan.')
      return this.#save({ ...(await change(suggestion)), updatedAt: now() })
    })
  }

  async #save(suggestion: Suggestion): Promise<Suggestion> {
    await this.#storage.putSuggestion(suggestion)
    ;(await this.#suggestions(suggestion.docId)).set(suggestion.id, suggestion)
    this.#rooms.peek(suggestion.docId)?.broadcastExtension(encodeSuggestion(suggestion))
    return suggestion
  }

  #suggestions(docId: string): Promise<Map<string, Suggestion>> {
    return this.#cache.get(docId, async () => new Map((await this.#storage.listSuggestions(docId)).map((s) => [s.id, s])))
  }
}
