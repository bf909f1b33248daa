import type { Node } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { schema } from './schema.js'
import { createId } from './ids.js'

/**
 * The structural rules of a batang tubuh that the schema cannot express (it must stay permissive,
 * see schema.ts), and the repair that restores them after a local structural edit (SPEC S21):
 *
 * - a BAB holds either Bagian or Pasal, a Bagian either Paragraf or Pasal, never both;
 * - every BAB, Bagian and Paragraf holds at least one Pasal.
 *
 * An edit that deletes across units (a selection from a Pasal into a heading, say) can leave a
 * part that lost its heading's words, or a Pasal loose beside sub-parts. `restoreStructure` puts it
 * right without losing a word the person kept: a sub-part whose heading the edit deleted dissolves
 * into its parent, loose Pasal move into the neighbouring part (their order, and so every number,
 * stays), and an empty part goes when it has no title and gets an empty Pasal when it has one.
 *
 * A live reference whose target the edit deleted is content, not structure: it stays, marked
 * "rujukan tidak ditemukan", for a person to mend. Turning it into the words it last read would
 * make it silently name whichever Pasal takes that number after renumbering.
 */

export type StructureRule = 'mixed-parts' | 'empty-part'

export interface StructureProblem {
  readonly rule: StructureRule
  /** Position of the offending node. */
  readonly pos: number
}

const PART_CHILD: Readonly<Record<string, string>> = { bab: 'bagian', bagian: 'paragraf' }
const PARTS: ReadonlySet<string> = new Set(['bab', 'bagian', 'paragraf'])

const holds = (node: Node, name: string) => {
  let found = false
  node.forEach((child) => (found ||= child.type.name === name))
  return found
}

const holdsPasal = (node: Node): boolean => {
  let found = false
  node.descendants((child) => {
    if (child.type.name === 'pasal') found = true
    return !found && PARTS.has(child.type.name)
  })
  return found
}

/** Where the batang tubuh starts (the position of its first BAB), or null in a document without one. */
function batangTubuhStart(doc: Node): number | null {
  let start: number | null = null
  doc.forEach((child, offset) => {
    if (child.type.name === 'batangTubuh') start = offset + 1
  })
  return start
}

/** Every place where `doc` breaks the structural rules, in document order. */
export function structureProblems(doc: Node): StructureProblem[] {
  const problems: StructureProblem[] = []
  doc.descendants((node, pos) => {
    const name = node.type.name
    if (PARTS.has(name)) {
      const sub = PART_CHILD[name]
      if (sub && holds(node, sub) && holds(node, 'pasal')) problems.push({ rule: 'mixed-parts', pos })
      if (!holdsPasal(node)) problems.push({ rule: 'empty-part', pos })
    }
    return !node.isTextblock || node.childCount > 0
  })
  return problems
}

const headingText = (part: Node) => part.firstChild?.textContent.trim() ?? ''

/** The ids of the parts in `doc` whose heading has words, to tell a part the edit left untitled from one that was new. */
function titledParts(doc: Node): Set<string> {
  const ids = new Set<string>()
  doc.descendants((node) => {
    if (PARTS.has(node.type.name) && typeof node.attrs.id === 'string' && headingText(node)) ids.add(node.attrs.id)
    return !node.isTextblock
  })
  return ids
}

/**
 * One repair of the first part that breaks a rule (innermost first), or false when none does.
 * Each repair removes one problem without creating another above it, so repeating ends.
 */
function repairPart(tr: Transform, wasTitled: ReadonlySet<string>): boolean {
  const doc = tr.doc
  let done = false
  const visit = (node: Node, pos: number): boolean => {
    if (done) return false
    if (!PARTS.has(node.type.name)) return !node.isTextblock
    // Innermost first: a part's own children are put right before the part itself.
    node.forEach((child, offset) => {
      if (!done) visit(child, pos + 1 + offset)
    })
    if (done) return false
    const untitled = !headingText(node)
    if (!holdsPasal(node)) {
      if (untitled && (PARTS.has(doc.resolve(pos).parent.type.name) || doc.resolve(pos).parent.childCount > 1)) tr.delete(pos, pos + node.nodeSize)
      else tr.insert(pos + node.nodeSize - 1, newPasal())
      return (done = true)
    }
    const sub = PART_CHILD[node.type.name]
    if (sub && holds(node, sub) && holds(node, 'pasal')) {
      // A sub-part whose heading the edit deleted is gone; what it held stays in this part.
      let lost: { child: Node; at: number } | null = null
      node.forEach((child, offset) => {
        const id = child.attrs.id
        if (!lost && child.type.name === sub && !headingText(child) && typeof id === 'string' && wasTitled.has(id))
          lost = { child, at: pos + 1 + offset }
      })
      if (lost) dissolve(tr, (lost as { child: Node }).child, (lost as { at: number }).at)
      else gatherLoosePasal(tr, node, pos, sub)
      return (done = true)
    }
    return false
  }
  const start = batangTubuhStart(doc)
  if (start === null) return false
  doc.nodeAt(start - 1)!.forEach((bab, offset) => {
    if (!done) visit(bab, start + offset)
  })
  return done
}

const newPasal = () => schema.node('pasal', { id: createId() }, [schema.node('ayat', { id: createId() }, [schema.node('teks')])])

/** Replaces a part by its children after the heading (Pasal or sub-parts), in their place. */
function dissolve(tr: Transform, part: Node, pos: number) {
  const children: Node[] = []
  part.forEach((child, _offset, index) => {
    if (index > 0) children.push(child)
  })
  tr.replaceWith(pos, pos + part.nodeSize, children)
}

/**
 * Moves the Pasal that stand directly in `part` beside its sub-parts into the sub-part next to
 * them: those before the first sub-part to its start, the others to the end of the sub-part before
 * them. Document order, and so every number, stays as it was.
 */
function gatherLoosePasal(tr: Transform, part: Node, pos: number, sub: string) {
  const children: Node[] = []
  part.forEach((child) => children.push(child))
  const heading = children.shift()!
  const groups: Node[] = []
  let leading: Node[] = []
  for (const child of children) {
    if (child.type.name === sub) {
      const last = groups.at(-1)
      groups.push(leading.length && !last ? withPasal(child, leading, 'start') : child)
      leading = []
    } else if (groups.length) groups[groups.length - 1] = withPasal(groups.at(-1)!, [child], 'end')
    else leading.push(child)
  }
  tr.replaceWith(pos, pos + part.nodeSize, part.type.create(part.attrs, [heading, ...groups], part.marks))
}

/** `part` with `pasal` added after its heading or at its end; a sub-part's own sub-parts take them in turn. */
function withPasal(part: Node, pasal: readonly Node[], where: 'start' | 'end'): Node {
  const children: Node[] = []
  part.forEach((child) => children.push(child))
  const heading = children.shift()!
  const sub = PART_CHILD[part.type.name]
  const target = where === 'start' ? children[0] : children.at(-1)
  if (sub && target?.type.name === sub) {
    const placed = withPasal(target, pasal, where)
    if (where === 'start') children[0] = placed
    else children[children.length - 1] = placed
    return part.type.create(part.attrs, [heading, ...children], part.marks)
  }
  return part.type.create(part.attrs, where === 'start' ? [heading, ...pasal, ...children] : [heading, ...children, ...pasal], part.marks)
}

/** Most repairs one edit may need; a document past it is left for lint rather than looping. */
const MAX_REPAIRS = 200

/**
 * The steps that restore the structural rules after an edit turned `before` into `doc`, or null
 * when `doc` keeps them. Pure: the editor applies the steps in the same undo step as the edit.
 */
export function restoreStructure(doc: Node, before: Node): Transform | null {
  const tr = new Transform(doc)
  const wasTitled = titledParts(before)
  for (let i = 0; i < MAX_REPAIRS && repairPart(tr, wasTitled); i++);
  return tr.steps.length ? tr : null
}
