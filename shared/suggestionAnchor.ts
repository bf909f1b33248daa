import type * as Y from 'yjs'
import type { Node } from 'prosemirror-model'
import { relativeToPosition } from './anchors.js'
import type { Numbering } from './model/numbering.js'
import type { Suggestion } from './suggestions.js'

/** How an inline atom (a `rujukan`) appears in a quote: it is part of the range, but has no words. */
export const ATOM_CHARACTER = '\ufffc'
/** How the boundary between two text blocks (ayat (1) into ayat (2)) appears in a quote. */
export const BLOCK_SEPARATOR = '\n'

/**
 * The text of a range as a suggestion quotes it: text blocks joined by a line break, a `rujukan`
 * as U+FFFC. Client and server quote with this one function, so "the range still reads as
 * quoted" means the same on both sides.
 */
export const quoteOf = (doc: Node, from: number, to: number): string => doc.textBetween(from, to, BLOCK_SEPARATOR, ATOM_CHARACTER)

/** Where a suggestion applies in the current document, or why it no longer can. */
export type Placement =
  | {
      readonly status: 'applies'
      /** Position of the Pasal node. */
      readonly pasalPos: number
      /** The range to replace (for `deletePasal`: the whole Pasal node). */
      readonly from: number
      readonly to: number
    }
  | {
      readonly status: 'stale'
      /** What the range reads now ('' when its text or its Pasal is gone). */
      readonly current: string
    }

/** The text of a Pasal as one string (blocks joined as in `quoteOf`), with a way back to positions. */
function pasalText(doc: Node, pasalPos: number): { text: string; positionAt(offset: number, end: boolean): number } {
  const blocks: Array<{ offset: number; pos: number; length: number }> = []
  const parts: string[] = []
  let length = 0
  doc.nodeAt(pasalPos)!.descendants((node, offset) => {
    if (!node.isTextblock) return true
    const text = node.textBetween(0, node.content.size, undefined, ATOM_CHARACTER)
    if (parts.length > 0) length += BLOCK_SEPARATOR.length
    blocks.push({ offset: length, pos: pasalPos + 1 + offset + 1, length: text.length })
    parts.push(text)
    length += text.length
    return false
  })
  return {
    text: parts.join(BLOCK_SEPARATOR),
    // A match ending right at a separator ends in the block before it, one starting there starts after it.
    positionAt(offset, end) {
      const block = blocks.findLast((b) => (end ? b.offset < offset || b.offset === 0 : b.offset <= offset))!
      return block.pos + Math.min(offset - block.offset, block.length)
    },
  }
}

/**
 * Every place in the Pasal at `pasalPos` that reads `text` (in `quoteOf`'s terms), starting at or
 * after position `after`. With `skip`, each range starts that many characters into the match: the
 * place of a phrase told by the words before it (`text` = context + phrase, `skip` = the context's
 * length), as an importer of Word tracked changes knows it.
 */
export function findInPasal(
  doc: Node,
  pasalPos: number,
  text: string,
  { after = pasalPos, skip = 0 }: { readonly after?: number; readonly skip?: number } = {},
): Array<{ from: number; to: number }> {
  const { text: pasal, positionAt } = pasalText(doc, pasalPos)
  const found: Array<{ from: number; to: number }> = []
  if (!text) return found
  for (let index = pasal.indexOf(text); index >= 0; index = pasal.indexOf(text, index + 1)) {
    const from = positionAt(index + skip, false)
    if (positionAt(index, false) >= after) found.push({ from, to: skip === text.length ? from : positionAt(index + text.length, true) })
  }
  return found
}

/**
 * Places a suggestion in the current document: its Pasal by id (so renumbering and moves are
 * followed), then its range by the Yjs relative positions, which must read exactly as the quote.
 *
 * `search` allows finding the quote again when the positions lost it, as comment threads do
 * (shared/anchors.ts): when they no longer point into the Pasal (it was moved: deleted and
 * inserted again by a client, so its text is new Yjs items), or collapsed on a quoted phrase
 * (a split before it moved its text into a new block, y-prosemirror #44). A suggestion changes
 * the text, so unlike a comment it takes the quote only where it occurs exactly once (for a
 * collapse: once after the collapse point); anywhere else would be a guess. Without `search`
 * (creating a suggestion, or reviving a stale one) only the positions count.
 */
export function placeSuggestion(
  suggestion: Pick<Suggestion, 'kind' | 'anchor'>,
  doc: Node,
  numbering: Numbering,
  ydoc: Y.Doc,
  fragment: Y.XmlFragment,
  { search }: { readonly search: boolean },
): Placement {
  const label = numbering.byId.get(suggestion.anchor.pasalId)
  if (!label || label.kind !== 'pasal') return { status: 'stale', current: '' }
  const pasalPos = label.pos
  const pasalEnd = pasalPos + doc.nodeAt(pasalPos)!.nodeSize
  if (suggestion.kind === 'deletePasal') return { status: 'applies', pasalPos, from: pasalPos, to: pasalEnd }
  const { quote } = suggestion.anchor.range
  const from = relativeToPosition(ydoc, fragment, doc, suggestion.anchor.range.from)
  const to = relativeToPosition(ydoc, fragment, doc, suggestion.anchor.range.to)
  const inside = from !== null && to !== null && from > pasalPos && to < pasalEnd && from <= to
  const current = inside ? quoteOf(doc, from, to) : ''
  if (inside && current === quote) return { status: 'applies', pasalPos, from, to }
  const lost = !inside || (from === to && quote !== '')
  if (!search || !lost || quote === '') return { status: 'stale', current }
  const found = findInPasal(doc, pasalPos, quote, { after: inside ? from : pasalPos })
  return found.length === 1 ? { status: 'applies', pasalPos, ...found[0]! } : { status: 'stale', current }
}
