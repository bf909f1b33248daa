import { randomBytes } from 'node:crypto'
import { authorOf, canAdminister, canComment, isAuthor, type User } from '../../shared/accounts.js'
import { KeyedQueue } from '../keyedQueue.js'
import {
  MAX_COMMENT_LENGTH,
  MAX_MESSAGES_PER_THREAD,
  MAX_QUOTE_LENGTH,
  type Anchor,
  type CommentMessage,
  type Thread,
} from '../../shared/comments.js'
import { isRelativePosition } from '../../shared/anchors.js'
import { encodeThread } from '../../shared/protocol/messages.js'
import type { CommentStorage } from '../storage/types.js'
import type { RoomAccess } from '../rooms/hooks.js'
import { describePasal } from '../documents/pasal.js'
import { Refusal } from '../refusal.js'
import { hasUnprintable } from '../../shared/text.js'
import { log } from '../log.js'

const newId = () => randomBytes(9).toString('base64url')
const now = () => new Date().toISOString()

/** The text of a comment message (also a reply on a suggestion's card): plain, trimmed, bounded. */
export function cleanMessageText(text: unknown): string {
  if (typeof text !== 'string' || !text.trim()) throw new Refusal('invalid', 'Komentar tidak boleh kosong.')
  const clean = text.replace(/\r\n?/g, '\n').trim()
  if (clean.length > MAX_COMMENT_LENGTH) throw new Refusal('invalid', `Komentar paling panjang ${MAX_COMMENT_LENGTH} karakter.`)
  if (hasUnprintable(clean)) throw new Refusal('invalid', 'Komentar memuat karakter yang tidak diizinkan.')
  return clean
}

function cleanAnchor(anchor: unknown): Anchor {
  const value = anchor as { pasalId?: unknown; range?: { from?: unknown; to?: unknown; quote?: unknown } } | null
  if (typeof value !== 'object' || value === null || typeof value.pasalId !== 'string' || !/^[0-9a-z]{1,64}$/.test(value.pasalId)) {
    throw new Refusal('invalid', 'Komentar harus menunjuk sebuah pasal.')
  }
  if (value.range === undefined) return { pasalId: value.pasalId }
  const { from, to, quote } = value.range
  if (!isRelativePosition(from) || !isRelativePosition(to) || typeof quote !== 'string' || !quote.trim() || quote.length > MAX_QUOTE_LENGTH) {
    throw new Refusal('invalid', `Bagian teks yang dikomentari tidak sah (paling panjang ${MAX_QUOTE_LENGTH} karakter).`)
  }
  return { pasalId: value.pasalId, range: { from, to, quote } }
}

/**
 * What else happens when a comment message is stored (the bell, server/notifications): typed here so
 * comments import nothing of it. Mentions are read once, when the message is written.
 */
export interface CommentObserver {
  /** The usernames of existing accounts `text` @mentions, in order, once each. */
  mentionsIn(text: string): Promise<string[]>
  /** After `message` (new, the last of `thread`) is stored; a failure is logged, the message stays. */
  onMessagePosted(thread: Thread, message: CommentMessage): Promise<void>
  /** After an edit of `message` in `thread` is stored that @mentions `usernames`, which it did not before; as above. */
  onMentionsAdded(thread: Thread, message: CommentMessage, usernames: readonly string[]): Promise<void>
}

/**
 * Comment threads: the server is their only writer, so every rule is checked here. Changes to one
 * document are serialised, so two replies arriving at once are both kept, in arrival order. Every
 * change is pushed to everyone in the document, if it is open.
 */
export class Comments {
  readonly #storage: CommentStorage
  readonly #rooms: RoomAccess
  readonly #queue = new KeyedQueue()
  readonly #observer: CommentObserver | undefined

  constructor(storage: CommentStorage, rooms: RoomAccess, observer?: CommentObserver) {
    this.#storage = storage
    this.#rooms = rooms
    this.#observer = observer
  }

  async list(docId: string): Promise<Thread[]> {
    const threads = await this.#storage.listThreads(docId)
    return threads.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  /** Opens a thread on a Pasal (or a phrase in it) with its first message. */
  create(docId: string, user: User, anchor: unknown, text: unknown): Promise<Thread> {
    this.#mayComment(user)
    const cleanedAnchor = cleanAnchor(anchor)
    const body = cleanMessageText(text)
    return this.#queue.run(docId, async () => {
      const mentions = await this.#mentionsIn(body)
      const pasal = await this.#lookup(docId, cleanedAnchor.pasalId)
      if (!pasal) throw new Refusal('invalid', 'Pasal yang dikomentari tidak ditemukan; mungkin baru saja dihapus.')
      const time = now()
      const thread: Thread = {
        id: newId(),
        docId,
        anchor: cleanedAnchor,
        origin: { pasalLabel: pasal.label, quote: cleanedAnchor.range?.quote ?? pasal.snippet },
        status: 'open',
        createdAt: time,
        updatedAt: time,
        messages: [{ id: newId(), author: authorOf(user), text: body, createdAt: time, ...mentions }],
      }
      return this.#posted(await this.#save(thread))
    })
  }

  /** A reply notifies who it @mentions and who wrote earlier in the thread. */
  async reply(docId: string, threadId: string, user: User, text: unknown): Promise<Thread> {
    this.#mayComment(user)
    const body = cleanMessageText(text)
    const mentions = await this.#mentionsIn(body)
    const thread = await this.#change(docId, threadId, (thread) => {
      if (thread.messages.length >= MAX_MESSAGES_PER_THREAD) throw new Refusal('conflict', 'Utas ini sudah terlalu panjang; buka utas baru.')
      const message: CommentMessage = { id: newId(), author: authorOf(user), text: body, createdAt: now(), ...mentions }
      return { ...thread, messages: [...thread.messages, message] }
    })
    return this.#posted(thread)
  }

  /**
   * Only the author, or an admin, edits a message; the edit is marked. Its mentions follow the text:
   * accounts it mentions now and did not before are notified, the others not again.
   */
  async editMessage(docId: string, threadId: string, messageId: string, user: User, text: unknown): Promise<Thread> {
    this.#mayComment(user)
    const body = cleanMessageText(text)
    const mentions = await this.#mentionsIn(body)
    let before: readonly string[] = []
    const thread = await this.#changeMessage(docId, threadId, messageId, user, ({ mentions: old, ...message }) => {
      before = old ?? []
      return { ...message, text: body, editedAt: now(), ...mentions }
    })
    const added = (mentions.mentions ?? []).filter((username) => !before.includes(username))
    const message = thread.messages.find((m) => m.id === messageId)
    if (this.#observer && message && added.length > 0) {
      await this.#observer.onMentionsAdded(thread, message, added).catch((error: unknown) => {
        log.error('notifying the mentions an edit added failed', { doc: docId, thread: threadId, error })
      })
    }
    return thread
  }

  /** Only the author, or an admin, deletes a message; it stays in the thread as "deleted". */
  deleteMessage(docId: string, threadId: string, messageId: string, user: User): Promise<Thread> {
    this.#mayComment(user)
    return this.#changeMessage(docId, threadId, messageId, user, ({ mentions: _gone, ...message }) => ({
      ...message,
      text: '',
      deleted: true,
      editedAt: now(),
    }))
  }

  resolve(docId: string, threadId: string, user: User): Promise<Thread> {
    this.#mayComment(user)
    return this.#change(docId, threadId, (thread) => ({ ...thread, status: 'resolved', resolvedBy: authorOf(user), resolvedAt: now() }))
  }

  reopen(docId: string, threadId: string, user: User): Promise<Thread> {
    this.#mayComment(user)
    return this.#change(docId, threadId, ({ resolvedBy: _by, resolvedAt: _at, ...thread }) => ({ ...thread, status: 'open' }))
  }

  /** Re-attaches an orphaned (or misplaced) thread to another Pasal or phrase. */
  reattach(docId: string, threadId: string, user: User, anchor: unknown): Promise<Thread> {
    this.#mayComment(user)
    const cleanedAnchor = cleanAnchor(anchor)
    return this.#change(docId, threadId, async (thread) => {
      if (!(await this.#lookup(docId, cleanedAnchor.pasalId))) throw new Refusal('invalid', 'Pasal tujuan tidak ditemukan.')
      return { ...thread, anchor: cleanedAnchor }
    })
  }

  /** Runs `task` after the comment changes to `docId` queued before it, and before later ones: for a migration rewriting threads while serving. */
  serialized(docId: string, task: () => Promise<void>): Promise<void> {
    return this.#queue.run(docId, task)
  }

  /** What the server knows of a Pasal right now: its label and opening words, or null if it is gone. */
  #lookup(docId: string, pasalId: string) {
    return this.#rooms.with(docId, (room) => describePasal(room.doc, pasalId))
  }

  /** `{ mentions }` of the accounts `text` mentions, to spread into a message; nothing when it mentions none. */
  async #mentionsIn(text: string): Promise<{ mentions?: string[] }> {
    const mentions = (await this.#observer?.mentionsIn(text)) ?? []
    return mentions.length > 0 ? { mentions } : {}
  }

  /** Tells the observer about the thread's newest message; the thread is stored whatever it does. */
  async #posted(thread: Thread): Promise<Thread> {
    const message = thread.messages.at(-1)
    if (this.#observer && message) {
      await this.#observer.onMessagePosted(thread, message).catch((error: unknown) => {
        log.error('notifying a comment message failed', { doc: thread.docId, thread: thread.id, error })
      })
    }
    return thread
  }

  #mayComment(user: User) {
    if (!canComment(user.role)) throw new Refusal('forbidden', 'Peran Anda hanya dapat membaca komentar.')
  }

  #changeMessage(docId: string, threadId: string, messageId: string, user: User, change: (message: CommentMessage) => CommentMessage) {
    return this.#change(docId, threadId, (thread) => {
      const index = thread.messages.findIndex((m) => m.id === messageId)
      const message = thread.messages[index]
      if (!message) throw new Refusal('not-found', 'Pesan tidak ditemukan.')
      if (message.deleted) throw new Refusal('conflict', 'Pesan ini sudah dihapus.')
      if (!isAuthor(message.author, user) && !canAdminister(user.role)) {
        throw new Refusal('forbidden', 'Hanya penulisnya atau admin yang dapat mengubah atau menghapus pesan ini.')
      }
      const messages = [...thread.messages]
      messages[index] = change(message)
      return { ...thread, messages }
    })
  }

  #change(docId: string, threadId: string, change: (thread: Thread) => Thread | Promise<Thread>): Promise<Thread> {
    return this.#queue.run(docId, async () => {
      const thread = await this.#storage.getThread(docId, threadId)
      if (!thread) throw new Refusal('not-found', 'Utas komentar tidak ditemukan.')
      return this.#save({ ...(await change(thread)), updatedAt: now() })
    })
  }

  async #save(thread: Thread): Promise<Thread> {
    await this.#storage.putThread(thread)
    this.#rooms.peek(thread.docId)?.broadcastExtension(encodeThread(thread))
    return thread
  }
}
