import { Plugin, type Transaction } from 'prosemirror-state'
import type { Slice } from 'prosemirror-model'
import { ReplaceAroundStep, ReplaceStep } from 'prosemirror-transform'
import { restoreStructure } from '../../../../../shared/model/structure.js'
import { keepDeletedUnits } from '../../../../../shared/amendment/deletion.js'
import { numberingKey, structureKey } from './keys.js'
import { isRemote } from './suggestions.js'

/**
 * Whether `tr` may change structure. Typing, deleting or pasting inline content inside one text
 * block cannot (units are blocks), nor can marks and attributes; everything else may.
 */
function touchesStructure(tr: Transaction): boolean {
  return tr.steps.some((step, i) => {
    if (step instanceof ReplaceAroundStep) return true
    if (!(step instanceof ReplaceStep)) return false
    const { from, to, slice } = step as unknown as { from: number; to: number; slice: Slice }
    if (slice.openStart > 0 || slice.openEnd > 0) return true
    let blocks = false
    slice.content.forEach((node) => (blocks ||= !node.isInline))
    const doc = tr.docs[i]!
    const $from = doc.resolve(from)
    return blocks || !$from.parent.isTextblock || $from.parent !== doc.resolve(to).parent
  })
}

/**
 * Restores the structural rules the schema cannot express (shared/model/structure.ts, SPEC S21)
 * after every local edit that may break them: delete, cut, paste, join, Backspace and Delete at a
 * unit's boundary. The repair joins the edit's own update, so one undo takes back both. Changes
 * from others (and undo, which y-prosemirror applies as one) are left alone: each client repairs
 * only its own edits, so two clients never repair the same merge twice. Typing inside a text
 * block changes no structure and costs nothing here. In an amendment draft a base unit the edit
 * removed comes back as "Dihapus." (shared/amendment/deletion.ts), so the base's numbers stay.
 */
export function structurePlugin(): Plugin {
  return new Plugin({
    key: structureKey,
    appendTransaction: (transactions, old, state) => {
      if (!transactions.some((tr) => tr.docChanged && !isRemote(tr) && touchesStructure(tr))) return null
      const tr = state.tr
      // First the base units the edit removed, so that a part they kept from emptying gets no empty Pasal.
      const base = numberingKey.getState(state)?.base
      const kept = base ? keepDeletedUnits(base, old.doc, state.doc) : null
      for (const step of kept?.steps ?? []) tr.step(step)
      const repair = restoreStructure(tr.doc, old.doc)
      for (const step of repair?.steps ?? []) tr.step(step)
      return tr.docChanged ? tr : null
    },
  })
}
