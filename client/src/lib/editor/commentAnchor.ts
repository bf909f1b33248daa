import type { EditorState } from 'prosemirror-state'
import type * as Y from 'yjs'
import { positionToRelative } from '../../../../shared/anchors.js'
import { MAX_QUOTE_LENGTH, type Anchor } from '../../../../shared/comments.js'
import { ancestor } from './commands.js'

/**
 * The anchor for a new thread where the cursor is: the Pasal, plus the selected phrase when the
 * selection lies within one text block of it. Null outside any Pasal.
 */
export function anchorAtSelection(state: EditorState, fragment: Y.XmlFragment): Anchor | null {
  const { $from, $to, from, to, empty } = state.selection
  const pasal = ancestor($from, 'pasal')
  const pasalId = pasal?.node.attrs.id as string | null | undefined
  if (!pasal || !pasalId) return null
  if (empty || !$from.sameParent($to) || !$from.parent.isTextblock) return { pasalId }
  const quote = state.doc.textBetween(from, to)
  const start = positionToRelative(fragment, state.doc, from, 0)
  const end = positionToRelative(fragment, state.doc, to, -1)
  if (!start || !end || !quote.trim() || quote.length > MAX_QUOTE_LENGTH) return { pasalId }
  return { pasalId, range: { from: start, to: end, quote } }
}
