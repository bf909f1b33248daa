import * as Y from 'yjs'
import type { Node } from 'prosemirror-model'
import type { Anchor } from './comments.js'
import type { Numbering } from './model/numbering.js'

/**
 * Where a comment anchor is now, in a ProseMirror document built from the same Yjs fragment.
 *
 * A range is held by Yjs relative positions, which follow the text through concurrent edits. They
 * have a known weak point (y-prosemirror #44): splitting a paragraph moves the tail into new Yjs
 * items, and positions in the tail collapse to the split. So the quoted phrase is checked, and when
 * the positions no longer frame it, it is searched for again inside the same Pasal.
 */
export type AnchorState =
  | {
      readonly status: 'attached'
      readonly pasalLabel: string
      /** Position of the Pasal node. */
      readonly pasalPos: number
      /** The phrase, when the thread is on one. */
      readonly range?: { readonly from: number; readonly to: number }
    }
  | { readonly status: 'orphaned'; readonly reason: 'pasal-deleted' | 'range-deleted' }

/** The path of child indices from the fragment down to `type`, or null if it is not in it. */
function pathOf(fragment: Y.XmlFragment, type: Y.XmlElement): number[] | null {
  const path: number[] = []
  let current: Y.XmlElement | Y.XmlFragment = type
  while (current !== fragment) {
    const item: Y.Item | null = current._item
    if (!item || item.deleted) return null
    const parent = item.parent as Y.XmlElement | Y.XmlFragment
    path.unshift(parent.toArray().indexOf(current as Y.XmlElement))
    current = parent
  }
  return path
}

/** Length of a child of a text block in ProseMirror positions (inline atoms count 1). */
const inlineSize = (child: Y.XmlElement | Y.XmlText | Y.XmlHook) => (child instanceof Y.XmlText ? child.length : 1)

/** The ProseMirror node and its position at a path of child indices. */
function nodeAtPath(doc: Node, path: readonly number[]): { node: Node; pos: number } | null {
  let node = doc
  let pos = -1
  for (const index of path) {
    if (index < 0 || index >= node.childCount) return null
    let offset = 0
    for (let i = 0; i < index; i++) offset += node.child(i).nodeSize
    pos = pos + 1 + offset
    node = node.child(index)
  }
  return { node, pos }
}

/** The ProseMirror position of a Yjs relative position, or null when its text is gone. */
export function relativeToPosition(ydoc: Y.Doc, fragment: Y.XmlFragment, doc: Node, encoded: string): number | null {
  let relative: Y.RelativePosition
  try {
    relative = Y.decodeRelativePosition(fromBase64(encoded))
  } catch {
    return null
  }
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, ydoc)
  if (!absolute || !(absolute.type instanceof Y.XmlText)) return null
  const text = absolute.type
  const block = text.parent as Y.XmlElement | null
  if (!block) return null
  const path = pathOf(fragment, block)
  if (!path) return null
  const found = nodeAtPath(doc, path)
  if (!found || !found.node.isTextblock) return null
  let offset = absolute.index
  for (const sibling of block.toArray()) {
    if (sibling === text) break
    offset += inlineSize(sibling)
  }
  return found.pos + 1 + Math.min(offset, found.node.content.size)
}

/** A Yjs relative position (base64) for a ProseMirror position inside a text block. */
export function positionToRelative(fragment: Y.XmlFragment, doc: Node, pos: number, assoc: -1 | 0 = 0): string | null {
  const $pos = doc.resolve(pos)
  if (!$pos.parent.isTextblock) return null
  const path: number[] = []
  for (let depth = 0; depth < $pos.depth; depth++) path.push($pos.index(depth))
  let element: Y.XmlElement | Y.XmlFragment = fragment
  for (const index of path) {
    const child: unknown = element.get(index)
    if (!(child instanceof Y.XmlElement)) return null
    element = child
  }
  let offset = $pos.parentOffset
  const children = element.toArray()
  for (const child of children) {
    const size = inlineSize(child)
    if (child instanceof Y.XmlText && offset <= size)
      return toBase64(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(child, offset, assoc)))
    offset -= size
  }
  return null
}

/**
 * Finds `quote` inside one text block of the node at `pasalPos` (a Pasal), at or after position
 * `from`: the first match from where the phrase was last seen, so a phrase that also occurs
 * earlier in the Pasal ("Perangkat Daerah") is not mistaken for it.
 */
function findQuote(doc: Node, pasalPos: number, quote: string, from = pasalPos): { from: number; to: number } | null {
  if (!quote) return null
  const pasal = doc.nodeAt(pasalPos)
  if (!pasal) return null
  let found: { from: number; to: number } | null = null
  pasal.descendants((node, offset) => {
    if (found) return false
    if (!node.isTextblock) return true
    const start = pasalPos + 1 + offset + 1
    const end = start + node.content.size
    if (end < from) return false
    const index = node.textBetween(0, node.content.size, undefined, '\ufffc').indexOf(quote, Math.max(0, from - start))
    if (index >= 0) found = { from: start + index, to: start + index + quote.length }
    return false
  })
  return found
}

/**
 * Resolves an anchor against the current document: the Pasal by id (so renumbering and moves are
 * followed), then the phrase by relative positions, else by its quote within that Pasal.
 */
export function resolveAnchor(anchor: Anchor, doc: Node, numbering: Numbering, ydoc?: Y.Doc, fragment?: Y.XmlFragment): AnchorState {
  const label = numbering.byId.get(anchor.pasalId)
  if (!label || label.kind !== 'pasal') return { status: 'orphaned', reason: 'pasal-deleted' }
  const base = { status: 'attached' as const, pasalLabel: label.label, pasalPos: label.pos }
  const range = anchor.range
  if (!range) return base
  const pasalEnd = label.pos + doc.nodeAt(label.pos)!.nodeSize
  let lastSeen = label.pos
  if (ydoc && fragment) {
    const from = relativeToPosition(ydoc, fragment, doc, range.from)
    const to = relativeToPosition(ydoc, fragment, doc, range.to)
    if (from !== null && to !== null && from > label.pos && to < pasalEnd) {
      // Still framing text: the phrase, perhaps edited inside or split — it is still the phrase.
      if (from < to) return { ...base, range: { from, to } }
      // Collapsed: its text moved (a split before it, y-prosemirror #44); look on from here.
      lastSeen = from
    }
  }
  const found = findQuote(doc, label.pos, range.quote, lastSeen) ?? findQuote(doc, label.pos, range.quote)
  return found ? { ...base, range: found } : { status: 'orphaned', reason: 'range-deleted' }
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Whether `text` is a decodable relative position (for validating anchors on the server). */
export function isRelativePosition(text: unknown): text is string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 400) return false
  try {
    Y.decodeRelativePosition(fromBase64(text))
    return true
  } catch {
    return false
  }
}
