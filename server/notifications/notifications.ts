import { randomBytes } from 'node:crypto'
import { normaliseUsername, type User } from '../../shared/accounts.js'
import type { CommentMessage, Thread } from '../../shared/comments.js'
import { mentionedUsernames } from '../../shared/mentions.js'
import { EXCERPT_LENGTH, MAX_NOTIFICATIONS, type NotificationList, type NotificationReason } from '../../shared/notifications.js'
import type { DocumentStorage, NotificationStorage, UserStorage } from '../storage/types.js'
import { KeyedQueue } from '../keyedQueue.js'
import { Refusal } from '../refusal.js'

/**
 * Each account keeps its newest this many notifications, and any younger than
 * `NOTIFICATION_RETENTION_DAYS`, whichever keeps more; the rest is deleted when one is written and at start.
 */
export const KEPT_NOTIFICATIONS = 200
export const NOTIFICATION_RETENTION_DAYS = 90
const DAY_MS = 24 * 3600 * 1000

/** Notification ids sort by time: milliseconds in fixed-width base 36, then a random tail so two at once never collide. */
const idAt = (ms: number) => ms.toString(36).padStart(9, '0')
const newId = (ms: number) => `${idAt(ms)}${randomBytes(4).toString('hex')}`

const excerptOf = (text: string) => {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH - 1)}…` : line
}

/**
 * Who is told about a comment message: the accounts it @mentions, and everyone who wrote earlier in
 * its thread (a reply), never its own author. Pure, so the rule is tested on its own.
 */
export function recipientsOf(thread: Thread, message: CommentMessage, mentioned: ReadonlyMap<string, string>): Map<string, NotificationReason> {
  const recipients = new Map<string, NotificationReason>()
  for (const username of message.mentions ?? []) {
    const id = mentioned.get(username)
    if (id !== undefined) recipients.set(id, 'mention')
  }
  for (const earlier of thread.messages) {
    if (earlier.id === message.id) break
    if (earlier.author.id !== undefined && !recipients.has(earlier.author.id)) recipients.set(earlier.author.id, 'reply')
  }
  if (message.author.id !== undefined) recipients.delete(message.author.id)
  return recipients
}

/**
 * The bell: notifications written when a comment message is stored (`Comments` calls it as its
 * `CommentObserver`), listed and marked read by their account only.
 */
export class Notifications {
  readonly #storage: NotificationStorage & UserStorage & DocumentStorage
  /** Marking read is read-modify-write, one at a time per account. */
  readonly #queue = new KeyedQueue()
  readonly #now: () => number

  /** `now`: the clock ids are made from and retention counts by (tests pass their own). */
  constructor(storage: NotificationStorage & UserStorage & DocumentStorage, options: { now?: () => number } = {}) {
    this.#storage = storage
    this.#now = options.now ?? Date.now
  }

  /** The usernames of existing accounts `text` @mentions, in order. */
  async mentionsIn(text: string): Promise<string[]> {
    const candidates = mentionedUsernames(text).map(normaliseUsername)
    const users = await Promise.all(candidates.map((username) => this.#storage.getUser(username)))
    return candidates.filter((_, i) => users[i] !== undefined)
  }

  /** Writes one notification per recipient of `message`, the newest message of `thread`, in one batch. */
  async onMessagePosted(thread: Thread, message: CommentMessage): Promise<void> {
    await this.#notify(thread, message, recipientsOf(thread, message, await this.#accountIds(message.mentions ?? [])))
  }

  /** Notifies the accounts an edit of `message` newly @mentions (`usernames`), never its author. */
  async onMentionsAdded(thread: Thread, message: CommentMessage, usernames: readonly string[]): Promise<void> {
    const recipients = new Map<string, NotificationReason>()
    for (const id of (await this.#accountIds(usernames)).values()) if (id !== message.author.id) recipients.set(id, 'mention')
    await this.#notify(thread, message, recipients)
  }

  /** The account ids of those of `usernames` that are accounts, by username. */
  async #accountIds(usernames: readonly string[]): Promise<Map<string, string>> {
    const ids = new Map<string, string>()
    for (const username of usernames) {
      const user = await this.#storage.getUser(username)
      if (user) ids.set(username, user.id)
    }
    return ids
  }

  async #notify(thread: Thread, message: CommentMessage, recipients: ReadonlyMap<string, NotificationReason>): Promise<void> {
    if (recipients.size === 0) return
    const docTitle = (await this.#storage.getDocument(thread.docId))?.title ?? thread.docId
    const base = {
      docId: thread.docId,
      docTitle,
      threadId: thread.id,
      messageId: message.id,
      pasalLabel: thread.origin.pasalLabel,
      from: message.author,
      excerpt: excerptOf(message.text),
      // An edit that mentions someone mentions them when it is made.
      createdAt: message.editedAt ?? message.createdAt,
    }
    const now = this.#now()
    await this.#storage.putNotifications([...recipients].map(([userId, reason]) => ({ ...base, id: newId(now), userId, reason })))
    await Promise.all([...recipients.keys()].map((userId) => this.#prune(userId, now)))
  }

  /** Applies the retention rule (`KEPT_NOTIFICATIONS`) to every account: at start. Returns how many went. */
  async pruneAll(): Promise<number> {
    const now = this.#now()
    let pruned = 0
    for (const user of await this.#storage.listUsers()) pruned += await this.#prune(user.id, now)
    return pruned
  }

  #prune(userId: string, now: number): Promise<number> {
    return this.#storage.pruneNotifications(userId, KEPT_NOTIFICATIONS, idAt(now - NOTIFICATION_RETENTION_DAYS * DAY_MS))
  }

  /** The newest notifications of `user`, and how many of them are unread. */
  async list(user: Pick<User, 'id'>): Promise<NotificationList> {
    const items = await this.#storage.listNotifications(user.id, MAX_NOTIFICATIONS)
    return { unread: items.filter((n) => n.readAt === undefined).length, items }
  }

  /** Marks `ids` (untrusted; all when undefined) of `user`'s notifications read; ids of nothing unread are ignored. */
  markRead(user: Pick<User, 'id'>, ids: unknown): Promise<NotificationList> {
    if (ids !== undefined && (!Array.isArray(ids) || ids.length > MAX_NOTIFICATIONS || !ids.every((id) => typeof id === 'string'))) {
      throw new Refusal('invalid', `Kirim "ids": daftar paling banyak ${MAX_NOTIFICATIONS} pemberitahuan, atau tanpa "ids" untuk semuanya.`)
    }
    const wanted = ids === undefined ? null : new Set(ids as string[])
    return this.#queue.run(user.id, async () => {
      const readAt = new Date().toISOString()
      const items = await this.#storage.listNotifications(user.id, MAX_NOTIFICATIONS)
      const read = items.filter((n) => n.readAt === undefined && (wanted === null || wanted.has(n.id))).map((n) => ({ ...n, readAt }))
      await this.#storage.putNotifications(read)
      const changed = new Map(read.map((n) => [n.id, n]))
      const next = items.map((n) => changed.get(n.id) ?? n)
      return { unread: next.filter((n) => n.readAt === undefined).length, items: next }
    })
  }
}
