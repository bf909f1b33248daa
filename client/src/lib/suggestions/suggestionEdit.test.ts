import { describe, expect, it } from 'vitest'
import { EditorState, TextSelection, type Transaction } from 'prosemirror-state'
import type { Node } from 'prosemirror-model'
import { ayat, bab, pasal, regulation } from '../../../../shared/model/builders.js'
import { deletePasal, splitAyat } from '../editor/commands.js'
import { changeOf, planEdit } from './suggestionEdit.js'

function draft(): Node {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD;'],
    batangTubuh: [bab('UMUM', pasal('Dinas dapat memberikan rekomendasi.', 'Ayat kedua berbunyi.'), pasal('Pasal kedua.'))],
    penutup: ['Agar setiap orang mengetahuinya.'],
  })
}

/** Position of `needle` in the document (start, plus `offset`). */
function find(doc: Node, needle: string, offset = 0): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found < 0 && node.isText && node.text!.includes(needle)) found = pos + node.text!.indexOf(needle) + offset
    return found < 0
  })
  if (found < 0) throw new Error(`no "${needle}"`)
  return found
}

function state(from: number, to = from): EditorState {
  const doc = draft()
  return EditorState.create({ doc, selection: TextSelection.create(doc, from, to) })
}

function run(state: EditorState, command: (state: EditorState, dispatch: (tr: Transaction) => void) => boolean): Transaction {
  let made: Transaction | null = null
  command(state, (tr) => (made = tr))
  if (!made) throw new Error('command did nothing')
  return made
}

describe('reading an edit as a suggestion', () => {
  const doc = draft()
  const dapat = find(doc, 'dapat')

  it('reads typing over a selected word as replacing that word, caret after it', () => {
    const start = state(dapat, dapat + 5)
    expect(changeOf(start.tr.insertText('w'), start.selection)).toEqual({ kind: 'text', from: dapat, to: dapat + 5, insert: 'w', caret: dapat + 5 })
  })

  it('reads Backspace as deleting the character before the caret, caret before the struck text', () => {
    const start = state(dapat + 5)
    expect(changeOf(start.tr.delete(dapat + 4, dapat + 5), start.selection)).toEqual({
      kind: 'text',
      from: dapat + 4,
      to: dapat + 5,
      insert: '',
      caret: dapat + 4,
    })
  })

  it('reads Delete as deleting the character after the caret, caret after the struck text', () => {
    const start = state(dapat)
    expect(changeOf(start.tr.delete(dapat, dapat + 1), start.selection)).toEqual({
      kind: 'text',
      from: dapat,
      to: dapat + 1,
      insert: '',
      caret: dapat + 1,
    })
  })

  it('reads a letter typed after the same letter as an insertion exactly at the caret', () => {
    // "dapat" + "t": comparing the documents alone could not tell which side of the "t" it went.
    const start = state(dapat + 5)
    expect(changeOf(start.tr.insertText('t'), start.selection)).toEqual({
      kind: 'text',
      from: dapat + 5,
      to: dapat + 5,
      insert: 't',
      caret: dapat + 5,
    })
  })

  it('reads a deletion across two ayat of one Pasal as one text suggestion', () => {
    const from = find(doc, 'rekomendasi')
    const to = find(doc, 'kedua berbunyi')
    const start = state(from, to)
    expect(changeOf(start.tr.deleteSelection(), start.selection)).toMatchObject({ kind: 'text', from, to, insert: '' })
  })

  it('reads the removal of a whole Pasal as deletePasal', () => {
    const start = state(dapat)
    const change = changeOf(run(start, deletePasal), start.selection)
    expect(change?.kind).toBe('deletePasal')
    expect(change && 'pos' in change && start.doc.nodeAt(change.pos)?.type.name).toBe('pasal')
  })

  it('refuses a structural edit such as splitting an ayat', () => {
    const start = state(dapat)
    expect(changeOf(run(start, splitAyat), start.selection)).toEqual({ kind: 'unsupported' })
  })

  it('refuses a change that spans two Pasal', () => {
    const start = state(find(doc, 'berbunyi'), find(doc, 'Pasal kedua', 5))
    expect(changeOf(start.tr.deleteSelection(), start.selection)).toEqual({ kind: 'unsupported' })
  })

  it('sees no change in a transaction that only moves the selection', () => {
    const start = state(dapat)
    expect(changeOf(start.tr.setSelection(TextSelection.create(start.doc, dapat + 2)), start.selection)).toBeNull()
  })
})

describe('joining an edit to one of my suggestions', () => {
  const replacing = { key: 's1', from: 10, to: 15, insert: 'wa' }

  it('appends words typed right after my proposed words', () => {
    expect(planEdit({ from: 15, to: 15, insert: 'j', caret: 15 }, [replacing])).toEqual({
      kind: 'extend',
      key: 's1',
      from: 10,
      to: 15,
      insert: 'waj',
      caret: 15,
    })
  })

  it('takes Backspace after my proposed words off those words, not off the text', () => {
    expect(planEdit({ from: 14, to: 15, insert: '', caret: 14 }, [replacing])).toEqual({
      kind: 'extend',
      key: 's1',
      from: 10,
      to: 15,
      insert: 'w',
      caret: 15,
    })
  })

  it('grows my deletion leftwards on Backspace before it and rightwards on Delete after it', () => {
    const deleting = { key: 's2', from: 20, to: 21, insert: '' }
    expect(planEdit({ from: 19, to: 20, insert: '', caret: 19 }, [deleting])).toEqual({
      kind: 'extend',
      key: 's2',
      from: 19,
      to: 21,
      insert: '',
      caret: 19,
    })
    expect(planEdit({ from: 21, to: 22, insert: '', caret: 22 }, [deleting])).toEqual({
      kind: 'extend',
      key: 's2',
      from: 20,
      to: 22,
      insert: '',
      caret: 22,
    })
  })

  it('starts a new suggestion away from my suggestions', () => {
    expect(planEdit({ from: 30, to: 30, insert: 'x', caret: 30 }, [replacing])).toEqual({ kind: 'new', from: 30, to: 30, insert: 'x', caret: 30 })
  })
})
