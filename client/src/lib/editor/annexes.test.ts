import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection, type Command } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { addRowAfter, goToNextCell } from 'prosemirror-tables'
import { bab, pasal, regulation } from '../../../../shared/model/builders.js'
import { explainedPasal, numberDocument } from '../../../../shared/model/numbering.js'
import { addLampiran, addPenjelasan, insertTable } from './annexes.js'
import { insertPasal } from './commands.js'

const draft = (): Node =>
  regulation({ nama: 'UJI', menimbang: ['bahwa a;'], mengingat: ['UUD;'], batangTubuh: [bab('SATU', pasal('satu'), pasal('dua'))] })

/** A state with the cursor in the text `needle`. */
function at(doc: Node, needle: string): EditorState {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(needle)) found = pos + node.text!.indexOf(needle)
    return found < 0
  })
  return EditorState.create({ doc, selection: TextSelection.create(doc, found) })
}

function run(state: EditorState, command: Command): EditorState {
  let next = state
  expect(command(state, (tr) => (next = state.apply(tr)))).toBe(true)
  expect(next.doc.check()).toBeUndefined()
  return next
}

/** Each Penjelasan entry's Pasal label and text, in order. */
function entries(doc: Node): Array<[string | undefined, string]> {
  const numbering = numberDocument(doc)
  const out: Array<[string | undefined, string]> = []
  doc.descendants((node) => {
    if (node.type.name === 'penjelasanPasal') out.push([explainedPasal(node, numbering)?.label, node.textContent])
    return true
  })
  return out
}

describe('Penjelasan and Lampiran commands', () => {
  it('adds a Penjelasan after the penutup with a "Cukup jelas." entry for every Pasal, the cursor in I. UMUM', () => {
    const state = run(at(draft(), 'satu'), addPenjelasan)
    expect(state.doc.child(4).type.name).toBe('penjelasan')
    expect(entries(state.doc)).toEqual([
      ['Pasal 1', 'Cukup jelas.'],
      ['Pasal 2', 'Cukup jelas.'],
    ])
    expect(state.selection.$from.node(2).type.name).toBe('penjelasanUmum')
  })

  it('S19: run again after a Pasal is inserted, gives it an entry in Pasal order, and the later entries follow their Pasal', () => {
    let state = run(at(draft(), 'satu'), addPenjelasan)
    state = run(at(state.doc, 'satu'), insertPasal)
    expect(entries(state.doc).map(([label]) => label)).toEqual(['Pasal 1', 'Pasal 3'])
    state = run(state, addPenjelasan)
    expect(entries(state.doc).map(([label]) => label)).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3'])
    expect(addPenjelasan(state)).toBe(false)
  })

  it('adds Lampiran numbered by position, and a table only inside a Lampiran, where Tab moves between cells', () => {
    let state = run(at(draft(), 'satu'), addLampiran)
    expect(insertTable(at(state.doc, 'satu'))).toBe(false)
    state = run(state, addLampiran)
    expect(
      numberDocument(state.doc)
        .labels.filter((l) => l.kind === 'lampiran')
        .map((l) => l.label),
    ).toEqual(['Lampiran I', 'Lampiran II'])
    state = run(state, insertTable)
    expect(state.selection.$from.node(-1).type.name).toBe('table_header')
    state = run(state, goToNextCell(1))
    state = run(state, addRowAfter)
    const table = state.doc.lastChild!.child(1)
    expect(table.type.name).toBe('table')
    expect(table.childCount).toBe(3)
  })
})
