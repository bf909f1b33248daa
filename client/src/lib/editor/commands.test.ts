import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection, type Command } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { ayat, bab, bagian, pasal, regulation } from '../../../../shared/model/builders.js'
import { numberDocument } from '../../../../shared/model/numbering.js'
import { findIdRepairs } from '../../../../shared/model/ids.js'
import {
  deletePasal,
  insertAyat,
  insertBab,
  insertBagian,
  insertButir,
  insertPasal,
  joinAyatBackward,
  movePasal,
  sinkButir,
  splitAyat,
  splitButir,
} from './commands.js'

function draft(): Node {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;', 'bahwa b;'],
    mengingat: ['UUD;'],
    batangTubuh: [
      bab('KETENTUAN UMUM', pasal('satu'), pasal('dua', 'dua-dua')),
      bab('ISI', bagian('Umum', pasal(ayat('tiga:', { items: ['x;', 'y.'] }))), bagian('Lain', pasal('empat'))),
    ],
  })
}

/** A state with the cursor in the text `needle` (at `offset` within it). */
function at(doc: Node, needle: string, offset = 0): EditorState {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(needle)) found = pos + node.text!.indexOf(needle) + offset
    return found < 0
  })
  if (found < 0) throw new Error(`no text ${needle}`)
  const state = EditorState.create({ doc })
  return state.apply(state.tr.setSelection(TextSelection.create(doc, found)))
}

function run(state: EditorState, command: Command): EditorState {
  let next = state
  const ok = command(state, (tr) => (next = state.apply(tr)))
  expect(ok).toBe(true)
  next.doc.check()
  return next
}

const pasalTexts = (doc: Node) => {
  const out: string[] = []
  doc.descendants((node) => {
    if (node.type.name === 'pasal') {
      out.push(node.textContent)
      return false
    }
    return true
  })
  return out
}
const labelsOf = (doc: Node, kind: string) =>
  numberDocument(doc)
    .labels.filter((l) => l.kind === kind)
    .map((l) => l.label)

describe('editing commands', () => {
  it('inserts an empty Pasal after the current one and renumbers the rest', () => {
    const state = run(at(draft(), 'satu'), insertPasal)
    expect(pasalTexts(state.doc)).toEqual(['satu', '', 'duadua-dua', 'tiga:x;y.', 'empat'])
    expect(labelsOf(state.doc, 'pasal')).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3', 'Pasal 4', 'Pasal 5'])
    expect(state.selection.$from.parent.type.name).toBe('teks')
    expect(findIdRepairs(state.doc)).toEqual([])
  })

  it('inserts a Pasal at the start of a part when the cursor is in its heading', () => {
    const state = run(at(draft(), 'Lain'), insertPasal)
    expect(pasalTexts(state.doc)).toEqual(['satu', 'duadua-dua', 'tiga:x;y.', '', 'empat'])
  })

  it('numbers ayat only once a Pasal has two', () => {
    const one = at(draft(), 'satu', 4)
    expect(labelsOf(one.doc, 'ayat').slice(0, 1)).toEqual([''])
    const two = run(one, insertAyat)
    expect(labelsOf(two.doc, 'ayat').slice(0, 2)).toEqual(['(1)', '(2)'])
  })

  it('splits an ayat at the cursor with Enter, the new ayat getting a fresh id', () => {
    const state = run(at(draft(), 'satu', 2), splitAyat)
    const first = numberDocument(state.doc)
      .labels.filter((l) => l.kind === 'ayat')
      .slice(0, 2)
    expect(first.map((l) => l.label)).toEqual(['(1)', '(2)'])
    expect(state.doc.nodeAt(first[0]!.pos)!.textContent).toBe('sa')
    expect(state.doc.nodeAt(first[1]!.pos)!.textContent).toBe('tu')
    expect(first[0]!.id).not.toBe(first[1]!.id)
  })

  it('joins an ayat back into the previous one with Backspace at its start', () => {
    const state = run(at(draft(), 'dua-dua'), joinAyatBackward)
    expect(pasalTexts(state.doc)[1]).toBe('duadua-dua')
    expect(labelsOf(state.doc, 'ayat')[1]).toBe('')
    expect(state.selection.$from.parentOffset).toBe(3)
  })

  it('adds rincian items and nests them with Tab', () => {
    let state = run(at(draft(), 'empat', 5), insertButir)
    expect(labelsOf(state.doc, 'butir')).toEqual(['a.', 'b.', 'a.'])
    state = run(at(draft(), 'x;', 2), insertButir)
    expect(labelsOf(state.doc, 'butir')).toEqual(['a.', 'b.', 'c.'])
    state = run(at(draft(), 'y.', 0), sinkButir)
    expect(labelsOf(state.doc, 'butir')).toEqual(['a.', '1.'])
    const split = run(at(draft(), 'x;', 2), splitButir)
    expect(labelsOf(split.doc, 'butir')).toEqual(['a.', 'b.', 'c.'])
  })

  it('moves a Pasal down within its part, then across into the next part, keeping its id', () => {
    const start = at(draft(), 'satu')
    const id = numberDocument(start.doc).labels.find((l) => l.kind === 'pasal')!.id
    let state = run(start, movePasal(1))
    expect(pasalTexts(state.doc)).toEqual(['duadua-dua', 'satu', 'tiga:x;y.', 'empat'])
    expect(numberDocument(state.doc).labels.filter((l) => l.kind === 'pasal')[1]!.id).toBe(id)
    state = run(state, movePasal(1))
    // crossed into BAB II (Bagian Kesatu) as its first Pasal: the number stays 2
    expect(pasalTexts(state.doc)).toEqual(['duadua-dua', 'satu', 'tiga:x;y.', 'empat'])
    const $pos = state.selection.$from
    expect(numberDocument(state.doc).outline.filter((o) => o.kind === 'bagian').length).toBe(2)
    expect($pos.node(3).type.name).toBe('bagian')
    state = run(state, movePasal(1))
    expect(pasalTexts(state.doc)).toEqual(['duadua-dua', 'tiga:x;y.', 'satu', 'empat'])
    state = run(state, movePasal(-1))
    state = run(state, movePasal(-1))
    expect($pos.node(3).type.name).toBe('bagian')
    expect(state.selection.$from.node(2).type.name).toBe('bab')
    expect(pasalTexts(state.doc)).toEqual(['duadua-dua', 'satu', 'tiga:x;y.', 'empat'])
  })

  it('refuses to move the first Pasal up or the last one down', () => {
    expect(movePasal(-1)(at(draft(), 'satu'))).toBe(false)
    expect(movePasal(1)(at(draft(), 'empat'))).toBe(false)
  })

  it('inserts a BAB and a Bagian with a first Pasal', () => {
    let state = run(at(draft(), 'satu'), insertBab)
    expect(labelsOf(state.doc, 'bab')).toEqual(['BAB I', 'BAB II', 'BAB III'])
    expect(pasalTexts(state.doc)).toEqual(['satu', 'duadua-dua', '', 'tiga:x;y.', 'empat'])
    state = run(at(draft(), 'tiga'), insertBagian)
    expect(labelsOf(state.doc, 'bagian')).toEqual(['Bagian Kesatu', 'Bagian Kedua', 'Bagian Ketiga'])
  })

  it('deletes a Pasal but never the last one', () => {
    const state = run(at(draft(), 'dua-dua'), deletePasal)
    expect(pasalTexts(state.doc)).toEqual(['satu', 'tiga:x;y.', 'empat'])
  })
})
