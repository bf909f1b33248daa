import type { Node } from 'prosemirror-model'

/** One line of a unit quoted after "berbunyi sebagai berikut:": its number ("Pasal 8A", "(2)", "a.") and text. */
export interface QuotedLine {
  readonly label: string
  readonly text: string
  /** How deep in the unit's lists the line stands (0: the Pasal's own ayat). */
  readonly depth: number
  /** A line that only names the unit (a Pasal's heading), drawn centred. */
  readonly heading: boolean
}

/** Units whose number stands on a line of its own. */
const HEADED = new Set(['pasal'])

/** How the draft numbers its units and words its live references, where the quoted unit stands. */
export interface QuotedContext {
  /** A unit's number by id: the amendment's numbers, suffixes included. */
  labelOf(id: string): string | undefined
  /** The words of the live reference at a position of the draft ("dalam Pasal 6 ayat (2)"). */
  referenceAt(pos: number): string | undefined
}

/** A text block's words, its live references worded where they stand. */
function wordsOf(block: Node, pos: number, context: QuotedContext): string {
  let text = ''
  block.forEach((child, offset) => {
    text += child.isText ? child.text! : child.type.name === 'rujukan' ? (context.referenceAt(pos + 1 + offset) ?? '') : child.textContent
  })
  return text
}

/** The lines of a quoted unit standing at `pos` of the draft, as the amendment prints it, each with its number. */
export function quotedLines(node: Node, pos: number, context: QuotedContext): QuotedLine[] {
  const lines: QuotedLine[] = []
  const labelOf = (id: string) => context.labelOf(id)
  const visit = (unit: Node, unitPos: number, depth: number, prefix: string): string => {
    if (unit.isTextblock) {
      lines.push({ label: prefix, text: wordsOf(unit, unitPos, context), depth, heading: false })
      return ''
    }
    const id = unit.attrs.id as string | null | undefined
    const own = (id && labelOf(id)) || ''
    if (HEADED.has(unit.type.name)) {
      if (own) lines.push({ label: own, text: '', depth, heading: true })
      unit.forEach((child, offset) => void visit(child, unitPos + 1 + offset, depth, ''))
      return prefix
    }
    // A list's items stand one level deeper than the text they continue.
    const inner = unit.type.name === 'rincian' ? depth + 1 : depth
    let pending = own || prefix
    unit.forEach((child, offset) => {
      pending = visit(child, unitPos + 1 + offset, inner, pending)
    })
    return pending === own ? '' : pending
  }
  visit(node, pos, 0, '')
  return lines
}
