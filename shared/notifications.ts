/**
 * Notifications: a comment or reply addressed to someone, shown under the bell in the header across
 * drafts until they mark it read. The server writes them when a comment message is stored.
 */
import type { Author } from './accounts.js'

/** Why someone is notified: they were @mentioned, or someone replied in a thread they wrote in. */
export type NotificationReason = 'mention' | 'reply'

export interface Notification {
  /** Sorts by time (storage lists newest first by it). */
  readonly id: string
  /** The account notified (`User.id`). */
  readonly userId: string
  readonly reason: NotificationReason
  readonly docId: string
  /** The draft's title when the message was written. */
  readonly docTitle: string
  readonly threadId: string
  readonly messageId: string
  /** Where the thread was opened, e.g. "Pasal 7" (as `Thread.origin.pasalLabel`). */
  readonly pasalLabel: string
  readonly from: Author
  /** The opening words of the message. */
  readonly excerpt: string
  /** ISO 8601. */
  readonly createdAt: string
  /** ISO 8601; absent while unread. */
  readonly readAt?: string
}

/** The answer to `GET /api/notifications`: the newest notifications and how many of them are unread. */
export interface NotificationList {
  readonly unread: number
  readonly items: readonly Notification[]
}

/** How many notifications one account keeps (newest first); older ones are dropped as new ones come. */
export const MAX_NOTIFICATIONS = 100
/** Longest excerpt of a message, in characters. */
export const EXCERPT_LENGTH = 140
