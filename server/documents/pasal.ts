import type * as Y from 'yjs'
import { numberDocument } from '../../shared/model/numbering.js'
import { toProsemirror } from '../../shared/model/ydoc.js'

const SNIPPET = 160

/** The current label ("Pasal 12") and opening words of a Pasal in a live document, or null if it is gone. */
export function describePasal(doc: Y.Doc, pasalId: string): { label: string; snippet: string } | null {
  const pm = toProsemirror(doc)
  const label = numberDocument(pm).byId.get(pasalId)
  if (!label || label.kind !== 'pasal') return null
  const node = pm.nodeAt(label.pos)!
  const text = node.textBetween(0, node.content.size, ' ').replace(/\s+/g, ' ').trim()
  return { label: label.label, snippet: text.length > SNIPPET ? `${text.slice(0, SNIPPET - 1)}…` : text }
}
