import type { Node } from 'prosemirror-model'
import { readChange } from '../../../../shared/model/schema.js'
import type { PartChange } from '../../../../shared/versions.js'

/** Where one change of a comparison's summary is in the compared document. */
export interface ChangeTarget {
  /** The changed part (a Pasal, a heading's unit, a fixed part): its position and size. */
  readonly from: number
  readonly to: number
  /** The first marked change inside it, where a reader should land: the part itself when it is new, removed or moved whole. */
  readonly first: number
}

const HEADED = new Set(['bab', 'bagian', 'paragraf'])

const isMarked = (node: Node) => node.marks.some((mark) => readChange(mark.attrs) !== null) || readChange(node.attrs.ychange) !== null

/** The part a summary entry names: `pasal:<id>` (or `bab:`, …) by its id, `pembukaan` (or `judul`, `penutup`) by its type. */
function findPart(doc: Node, key: string): { node: Node; pos: number } | null {
  const [type, id] = key.split(':')
  let found: { node: Node; pos: number } | null = null
  doc.descendants((node, pos) => {
    if (found) return false
    if (node.type.name === type && (id === undefined || node.attrs.id === id)) found = { node, pos }
    return !found
  })
  return found
}

/**
 * Locates every change of a comparison's summary in its annotated document (`shared/compare.ts`),
 * in summary order; null for a change with no place in it (a part removed inside another removed one).
 * Only a heading's own text counts for a BAB, Bagian or Paragraf: its Pasal are changes of their own.
 */
export function locateChanges(doc: Node, changes: readonly PartChange[]): Array<ChangeTarget | null> {
  return changes.map((change) => {
    const part = findPart(doc, change.key)
    if (!part) return null
    const { node, pos } = part
    const target = { from: pos, to: pos + node.nodeSize }
    if (readChange(node.attrs.ychange)) return { ...target, first: pos }
    const scope = HEADED.has(node.type.name) && node.firstChild ? node.firstChild.nodeSize : node.content.size
    let first: number | null = null
    node.nodesBetween(0, scope, (child, offset) => {
      if (first === null && isMarked(child)) first = pos + 1 + offset
      return first === null
    })
    return { ...target, first: first ?? pos }
  })
}

/**
 * The change to go to from `current` (null: none yet) in `direction`, among those that have a
 * place (`targets` non-null), wrapping round at either end; null when none has a place.
 */
export function stepChange(targets: ReadonlyArray<ChangeTarget | null>, current: number | null, direction: 1 | -1): number | null {
  const count = targets.length
  if (count === 0) return null
  let index = current ?? (direction === 1 ? -1 : count)
  for (let tried = 0; tried < count; tried++) {
    index = (((index + direction) % count) + count) % count
    if (targets[index]) return index
  }
  return null
}
