import type { Node } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { alignAmendment, type AlignedUnit } from './alignment.js'
import { dihapusNode } from './apply.js'

/**
 * Deleting a base unit in an amendment draft. The consolidated text keeps every BAB, Bagian,
 * Paragraf and Pasal of the base in place, a deleted one reading "Dihapus." (pergub.md §1.10), so
 * the base's numbers never shift and the generator words it "Pasal 11 dihapus.". Removing it
 * outright (the "Hapus pasal" command, or a selection across it) would leave a gap in the numbers
 * (Pasal 10, 12): this puts it back as its placeholder. A unit the draft inserted (not in the
 * base) stays removed.
 */

const KEPT = new Set(['bab', 'bagian', 'paragraf', 'pasal'])
/** Where a unit's parent is the batang tubuh itself (it has no id). */
const BODY = '#batangTubuh'

interface Placed {
  readonly node: Node
  readonly pos: number
  /** The unit just before it among its siblings (null after a heading or at the start), and its parent's id. */
  readonly previous: string | null
  readonly parent: string
}

/** Every kept kind of unit of `doc` with an id, and the batang tubuh, by id. */
function placeUnits(doc: Node): Map<string, Placed> {
  const out = new Map<string, Placed>()
  doc.descendants((node, pos) => {
    if (node.type.name === 'batangTubuh') out.set(BODY, { node, pos, previous: null, parent: BODY })
    if (!KEPT.has(node.type.name)) return !node.isTextblock && node.type.name !== 'ayat'
    const $pos = doc.resolve(pos)
    const before = $pos.index() > 0 ? $pos.parent.child($pos.index() - 1) : null
    const id = node.attrs.id as string | null
    if (id)
      out.set(id, {
        node,
        pos,
        previous: before && KEPT.has(before.type.name) ? ((before.attrs.id as string | null) ?? null) : null,
        parent: $pos.parent.type.name === 'batangTubuh' ? BODY : (($pos.parent.attrs.id as string | null) ?? BODY),
      })
    return node.type.name !== 'pasal'
  })
  return out
}

/** The id of every unit of `doc` that is a unit of `base` (kept, changed or already "Dihapus."). */
function baseUnitIds(base: Node, doc: Node): Set<string> {
  const ids = new Set<string>()
  const visit = (units: readonly AlignedUnit[]) => {
    for (const unit of units) {
      const id = unit.consolidated?.attrs.id as string | null | undefined
      if (unit.base && id && KEPT.has(unit.consolidated!.type.name)) ids.add(id)
      if (unit.kind !== 'pasal') visit(unit.children)
    }
  }
  visit(alignAmendment(base, doc).bab)
  return ids
}

/**
 * Where a removed unit goes back in `doc`: behind the nearest sibling before it that is there, or
 * at the head of its parent (after its heading). Null when its parent is not there either.
 */
function placeFor(removed: Placed, before: Map<string, Placed>, doc: Node): number | null {
  const now = placeUnits(doc)
  // The sibling before it may have gone in the same edit and not come back: the one before that, and so on.
  let previousId = removed.previous
  while (previousId !== null && !now.has(previousId)) previousId = before.get(previousId)?.previous ?? null
  const previous = previousId !== null ? now.get(previousId) : undefined
  if (previous) return previous.pos + previous.node.nodeSize
  const parent = now.get(removed.parent)
  if (!parent) return null
  const heading = parent.node.firstChild
  return parent.pos + 1 + (heading?.isTextblock ? heading.nodeSize : 0)
}

/**
 * The steps that put back, as "Dihapus." placeholders with their ids, the base units (BAB, Bagian,
 * Paragraf, Pasal) that an edit from `before` to `after` removed outright; null when it removed
 * none. Each goes where it stood: after the sibling before it, or at the head of its parent; a
 * part comes back before the Pasal it held, which then go back into it.
 */
export function keepDeletedUnits(base: Node, before: Node, after: Node): Transform | null {
  const was = placeUnits(before)
  const now = placeUnits(after)
  const ofBase = baseUnitIds(base, before)
  const removed = [...was.entries()].filter(([id]) => ofBase.has(id) && !now.has(id)).map(([, placed]) => placed)
  if (removed.length === 0) return null
  const tr = new Transform(after)
  // In document order: a part before what it held, a unit before the sibling after it.
  for (const unit of removed.sort((a, b) => a.pos - b.pos)) {
    const at = placeFor(unit, was, tr.doc)
    if (at !== null) tr.insert(at, dihapusNode(unit.node))
  }
  return tr.steps.length ? tr : null
}
