import type { Node } from 'prosemirror-model'
import type * as Y from 'yjs'
import { positionToRelative, relativeToPosition, resolveAnchor } from '../../../../shared/anchors.js'
import type { Numbering } from '../../../../shared/model/numbering.js'
import { MAX_QUOTE_LENGTH } from '../../../../shared/comments.js'
import type { Suggestion, SuggestionAnchor } from '../../../../shared/suggestions.js'
import { pasalAround } from '../suggestions/suggestionEdit.js'

/** Where a suggestion sits in the live text now; null when its Pasal or text is gone. */
export interface Placement {
  readonly pasalPos: number
  readonly pasalLabel: string
  /** The range it would replace (empty for an insertion or new units). */
  readonly from: number
  readonly to: number
}

/**
 * Places a suggestion like a comment thread: the Pasal by id, the range by Yjs relative positions
 * with the quote as fallback. An insertion point (empty range) has no quote to fall back on.
 */
export function placeSuggestion(suggestion: Suggestion, doc: Node, numbering: Numbering, ydoc: Y.Doc, fragment: Y.XmlFragment): Placement | null {
  const { pasalId, range } = suggestion.anchor
  const label = numbering.byId.get(pasalId)
  if (!label || label.kind !== 'pasal') return null
  const pasalPos = label.pos
  const pasalEnd = pasalPos + doc.nodeAt(pasalPos)!.nodeSize
  if (suggestion.kind === 'deletePasal') return { pasalPos, pasalLabel: label.label, from: pasalPos, to: pasalEnd }
  if (!range.quote) {
    const at = relativeToPosition(ydoc, fragment, doc, range.from)
    return at !== null && at > pasalPos && at < pasalEnd ? { pasalPos, pasalLabel: label.label, from: at, to: at } : null
  }
  const anchor = resolveAnchor({ pasalId, range }, doc, numbering, ydoc, fragment)
  return anchor.status === 'attached' && anchor.range ? { pasalPos, pasalLabel: label.label, ...anchor.range } : null
}

/** The anchor of a suggestion on `from`..`to` (text positions in one Pasal); null when it cannot be held. */
export function anchorForRange(doc: Node, fragment: Y.XmlFragment, from: number, to: number): SuggestionAnchor | null {
  const pasalPos = pasalAround(doc, from)
  const pasalId = pasalPos === null ? null : (doc.nodeAt(pasalPos)?.attrs.id as string | null)
  if (!pasalId) return null
  const quote = doc.textBetween(from, to)
  if (quote.length > MAX_QUOTE_LENGTH) return null
  // An insertion point leans to the text after it, at both ends, so the two stay together.
  const start = positionToRelative(fragment, doc, from, 0)
  const end = from === to ? start : positionToRelative(fragment, doc, to, -1)
  return start && end ? { pasalId, range: { from: start, to: end, quote } } : null
}
