/**
 * Suggestions ("usulan perubahan", CONTRACT.md "Suggestions"): wording proposed for a Pasal by a
 * commenter or an editor in suggestion mode, settled by an editor. Like comment threads they live
 * beside the document, never inside it: the server is their only writer, a commenter's suggestion
 * never changes the Yjs document, and only an accept makes the change, as the suggester's edit.
 */
import type { Author } from './accounts.js'
import type { CommentMessage, RangeAnchor } from './comments.js'

export const SUGGESTION_STATUSES = ['open', 'accepted', 'rejected', 'withdrawn', 'stale'] as const
/** `stale`: the text the suggestion would change has been edited since, so it can no longer be accepted. */
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number]

/**
 * What is proposed:
 * - `text` (the default): replace the quoted range with `insert`; an empty `insert` deletes the
 *   range, an empty range (from = to, quote "") inserts;
 * - `blocks`: insert whole units (Pasal, ayat, rincian) given as ProseMirror node JSON in `blocks`,
 *   after the unit that holds the range's end (the range is empty);
 * - `deletePasal`: remove the anchored Pasal entirely.
 */
export type SuggestionKind = 'text' | 'blocks' | 'deletePasal'

/** Where a suggestion applies: a Pasal by its stable id and a range in it (as for comment threads). */
export interface SuggestionAnchor {
  readonly pasalId: string
  readonly range: RangeAnchor
}

export interface Suggestion {
  readonly id: string
  readonly docId: string
  readonly kind: SuggestionKind
  readonly anchor: SuggestionAnchor
  /** The proposed wording for `text`; empty for a deletion. */
  readonly insert: string
  /** ProseMirror JSON of the proposed units, for `blocks`. */
  readonly blocks?: readonly unknown[]
  /** The suggester's reason ("alasan"), plain text. */
  readonly note?: string
  readonly status: SuggestionStatus
  readonly author: Author
  /**
   * Set on a suggestion read from a Word file's tracked changes: the editor who imported it. Its
   * `author` is then the account whose name Word recorded, or, when no account has that name, an
   * author without an id (and so without an account) named "<Word author> (Word)".
   */
  readonly importedBy?: Author
  readonly createdAt: string
  readonly updatedAt: string
  /** What the suggestion was made on, kept for display after renumbering ("Pasal 7"). */
  readonly origin: { readonly pasalLabel: string }
  /** The wording the range holds now, when it differs from `anchor.range.quote` (a stale suggestion). */
  readonly current?: string
  /** Who accepted, rejected or withdrew it, and when. */
  readonly decidedBy?: Author
  readonly decidedAt?: string
  /** The reply thread on the suggestion's card. */
  readonly replies: readonly CommentMessage[]
}

/** The body of `POST /api/docs/:id/suggestions`. */
export interface NewSuggestion {
  readonly kind?: SuggestionKind
  readonly anchor: SuggestionAnchor
  readonly insert: string
  readonly blocks?: readonly unknown[]
  readonly note?: string
}

/** Longest proposed wording accepted. */
export const MAX_SUGGESTION_LENGTH = 20_000
/** Longest reason accepted. */
export const MAX_NOTE_LENGTH = 2_000
