import type { Node } from 'prosemirror-model'
import type * as Y from 'yjs'
import { positionToRelative } from '../../../../shared/anchors.js'
import type { Numbering } from '../../../../shared/model/numbering.js'
import { MAX_SUGGESTION_LENGTH, type Suggestion, type SuggestionAnchor } from '../../../../shared/suggestions.js'
import { placeSuggestion as placeOnServer, quoteOf, type Placement as SharedPlacement } from '../../../../shared/suggestionAnchor.js'
import { pasalAround } from '../suggestions/suggestionEdit.js'

/** Where an open suggestion applies in the live text now: its Pasal, and the range it would replace. */
export type Placement = Extract<SharedPlacement, { readonly status: 'applies' }>

/** Places a suggestion exactly where the server would apply it on accept; null when it cannot be placed. */
export function placeSuggestion(suggestion: Suggestion, doc: Node, numbering: Numbering, ydoc: Y.Doc, fragment: Y.XmlFragment): Placement | null {
  const placement = placeOnServer(suggestion, doc, numbering, ydoc, fragment, { search: true })
  return placement.status === 'applies' ? placement : null
}

/** The anchor of a suggestion on `from`..`to` (text positions in one Pasal); null when it cannot be held. */
export function anchorForRange(doc: Node, fragment: Y.XmlFragment, from: number, to: number): SuggestionAnchor | null {
  const pasalPos = pasalAround(doc, from)
  const pasalId = pasalPos === null ? null : (doc.nodeAt(pasalPos)?.attrs.id as string | null)
  if (!pasalId) return null
  const quote = quoteOf(doc, from, to)
  if (quote.length > MAX_SUGGESTION_LENGTH) return null
  // An insertion point is one position for both ends, so the two stay together.
  const start = positionToRelative(fragment, doc, from, 0)
  const end = from === to ? start : positionToRelative(fragment, doc, to, -1)
  return start && end ? { pasalId, range: { from: start, to: end, quote } } : null
}
