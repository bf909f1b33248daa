import * as Y from 'yjs'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import type { Node } from 'prosemirror-model'
import { schema } from './schema.js'

/** The Yjs XmlFragment holding the ProseMirror document (y-prosemirror's default name; see CONTRACT.md). */
export const FRAGMENT = 'prosemirror'

/** A Yjs update (v1) that creates `node` in an empty document. */
export function encodeDocument(node: Node): Uint8Array {
  const doc = new Y.Doc()
  prosemirrorToYXmlFragment(node, doc.getXmlFragment(FRAGMENT))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** The ProseMirror document a Yjs document holds. */
export function toProsemirror(doc: Y.Doc): Node {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(FRAGMENT), schema)
}
