import { Plugin, TextSelection } from 'prosemirror-state'
import { Fragment, Slice, type Node } from 'prosemirror-model'
import { ancestor } from '../commands.js'
import { htmlLines, textLines } from '../clipboardLines.js'
import { leadSlice, readPastedUnits } from '../pastedUnits.js'
import { pasteKey } from './keys.js'
import { readUnitLine } from '../../../../../shared/model/unitLines.js'

/** The marks a paste keeps: italics for foreign terms; bold and the rest are not a regulation's. */
const KEPT_MARKS: ReadonlySet<string> = new Set(['em'])

function withKeptMarks(fragment: Fragment): Fragment {
  const nodes: Node[] = []
  fragment.forEach((node) => {
    if (node.isText) nodes.push(node.mark(node.marks.filter((mark) => KEPT_MARKS.has(mark.type.name))))
    else nodes.push(node.copy(withKeptMarks(node.content)))
  })
  return Fragment.from(nodes)
}

/**
 * Paste into a Pasal: the clipboard's paragraphs are read with the Word import's recogniser
 * (pastedUnits.ts) so "(2)" becomes an ayat, "a." a rincian item and "Pasal 99" a new Pasal after
 * the one with the cursor, rather than unnumbered lines inside one ayat. Everywhere else the usual
 * paste applies, keeping only the marks a regulation uses.
 */
export function pastePlugin(): Plugin {
  return new Plugin({
    key: pasteKey,
    props: {
      transformPasted: (slice) => new Slice(withKeptMarks(slice.content), slice.openStart, slice.openEnd),
      handlePaste: (view, event) => {
        const { state } = view
        const { $from } = state.selection
        const ayat = ancestor($from, 'ayat')
        const pasal = ancestor($from, 'pasal')
        if (!ayat || !pasal || !$from.parent.isTextblock || !event.clipboardData) return false
        const html = event.clipboardData.getData('text/html')
        const lines = html ? htmlLines(html) : textLines(event.clipboardData.getData('text/plain'))
        // One plain line is ordinary typing's business: the usual paste keeps its spaces as they are.
        if (lines.length === 0 || (lines.length === 1 && readUnitLine(lines[0]!.text).kind === 'text')) return false
        const units = readPastedUnits(lines)
        const tr = state.tr
        if (units.lead.length) tr.replaceSelection(leadSlice(units.lead))
        else tr.deleteSelection()
        if (units.pasal.length) {
          // New Pasal go after the Pasal that had the cursor (wherever the lead left it).
          const current = ancestor(tr.selection.$from, 'pasal') ?? pasal
          const at = current.pos + current.node.nodeSize
          tr.insert(at, units.pasal)
          tr.setSelection(TextSelection.near(tr.doc.resolve(at + units.pasal.reduce((size, node) => size + node.nodeSize, 0)), -1))
        }
        view.dispatch(tr.scrollIntoView().setMeta('uiEvent', 'paste'))
        return true
      },
    },
  })
}
