import { Fragment, Node, type Mark } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { schema, unitTypes } from '../../shared/model/schema.js'
import { createId } from '../../shared/model/ids.js'
import type { Suggestion } from '../../shared/suggestions.js'
import { Refusal } from '../refusal.js'

/** What an edit needs of a suggestion. */
export type Proposal = Pick<Suggestion, 'kind' | 'insert' | 'blocks'>

/** Where it applies (a placement that `applies`, see shared/suggestionAnchor.ts). */
export interface Target {
  readonly pasalPos: number
  readonly from: number
  readonly to: number
}

/** The marks typed text takes at a range: those of the text it replaces, or of the text before the caret. */
function marksAt(doc: Node, from: number, to: number): readonly Mark[] {
  const $from = doc.resolve(from)
  const marks = from === to ? $from.marks() : ($from.marksAcross(doc.resolve(to)) ?? $from.marks())
  // Comparison marks are drawn on a copy, never stored; none should be carried into the text.
  return marks.filter((mark) => mark.type !== schema.marks.ychange)
}

/** The node with a fresh id on every unit in it: proposed units are new units. */
function withFreshIds(node: Node): Node {
  if (node.isText) return node
  const children: Node[] = []
  node.forEach((child) => children.push(withFreshIds(child)))
  const attrs = unitTypes.has(node.type.name) ? { ...node.attrs, id: createId() } : node.attrs
  return node.type.create(attrs, Fragment.fromArray(children), node.marks)
}

/**
 * Where proposed units go: right after the innermost node around `pos` after which they fit (an
 * ayat after the ayat holding `pos`, a Pasal after its Pasal, a butir after its butir), or null
 * when nothing around it may hold them.
 */
function insertionPoint(doc: Node, pos: number, nodes: Fragment): number | null {
  const $pos = doc.resolve(pos)
  for (let depth = $pos.depth; depth > 0; depth--) {
    const parent = $pos.node(depth - 1)
    const index = $pos.indexAfter(depth - 1)
    if (parent.canReplace(index, index, nodes)) return $pos.after(depth)
  }
  return null
}

/**
 * The document with a suggestion applied: the range replaced by `insert` in the marks of the text
 * around it (a range over two ayat joins them, as deleting across them in the editor does), the
 * proposed units inserted with fresh ids, or the Pasal removed. The result is checked against the
 * schema; a change that cannot be made validly is refused, never half made.
 */
export function applySuggestion(doc: Node, proposal: Proposal, target: Target): Node {
  const tr = new Transform(doc)
  try {
    if (proposal.kind === 'deletePasal') {
      tr.delete(target.from, target.to)
    } else if (proposal.kind === 'blocks') {
      const nodes = Fragment.fromArray((proposal.blocks ?? []).map((json) => withFreshIds(Node.fromJSON(schema, json))))
      const at = insertionPoint(doc, target.to, nodes)
      if (at === null) throw new Refusal('invalid', 'Unsur yang diusulkan tidak dapat disisipkan di tempat ini.')
      tr.insert(at, nodes)
    } else if (proposal.insert) {
      tr.replaceWith(target.from, target.to, schema.text(proposal.insert, marksAt(doc, target.from, target.to)))
    } else {
      tr.delete(target.from, target.to)
    }
    tr.doc.check()
  } catch (error) {
    if (error instanceof Refusal) throw error
    throw new Refusal('invalid', 'Usulan ini tidak dapat diterapkan pada susunan pasal tanpa merusaknya; pilih bagian teks yang lain.')
  }
  if (tr.doc.eq(doc)) throw new Refusal('invalid', 'Usulan ini tidak mengubah apa pun.')
  return tr.doc
}
