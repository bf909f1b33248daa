/**
 * Comment threads on a Pasal (SPEC.md S9). Threads live beside the document, not inside it: the
 * server is their only writer (so it can enforce who may edit which message), restoring a version
 * of the text never touches them, and a deleted Pasal orphans its threads instead of deleting them.
 */

import type { Author } from './accounts.js'

/** Where a thread hangs: a Pasal by its stable id, optionally a phrase inside it. */
export interface Anchor {
  readonly pasalId: string
  readonly range?: RangeAnchor
}

export interface RangeAnchor {
  /** Yjs relative positions (base64 of `Y.encodeRelativePosition`) of the start and end. */
  readonly from: string
  readonly to: string
  /** The phrase as it read when the thread was opened; also used to find it again after a split. */
  readonly quote: string
}

export interface CommentMessage {
  readonly id: string
  readonly author: Author
  /** Plain text; never rendered as HTML. Empty once deleted. */
  readonly text: string
  readonly createdAt: string
  readonly editedAt?: string
  readonly deleted?: boolean
  /** Usernames of the accounts the text @mentions (`mentionedUsernames`, checked by the server); absent when none. */
  readonly mentions?: readonly string[]
}

export interface Thread {
  readonly id: string
  readonly docId: string
  readonly anchor: Anchor
  /** What the thread was opened on, kept for display after renumbering or deletion. */
  readonly origin: {
    /** e.g. "Pasal 11" at the time the thread was opened. */
    readonly pasalLabel: string
    /** The opening words of the Pasal, or the quoted phrase. */
    readonly quote: string
  }
  readonly status: 'open' | 'resolved'
  readonly resolvedBy?: Author
  readonly resolvedAt?: string
  readonly createdAt: string
  readonly updatedAt: string
  readonly messages: readonly CommentMessage[]
}

/** Longest comment text accepted. */
export const MAX_COMMENT_LENGTH = 5000
/** Longest quoted phrase of a range anchor. */
export const MAX_QUOTE_LENGTH = 500
/** Most messages in one thread. */
export const MAX_MESSAGES_PER_THREAD = 500

/** Threads that are not resolved, per Pasal id. */
export function openCountByPasal(items: Iterable<{ readonly status: string; readonly anchor: { readonly pasalId: string } }>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) {
    if (item.status !== 'open') continue
    counts.set(item.anchor.pasalId, (counts.get(item.anchor.pasalId) ?? 0) + 1)
  }
  return counts
}
