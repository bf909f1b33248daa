import { describe, expect, it } from 'vitest'
import type { Node } from 'prosemirror-model'
import { ayat, bab, pasal, regulation, unit } from '../../shared/model/builders.js'
import { schema } from '../../shared/model/schema.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { applySuggestion, type Proposal } from './edit.js'
import { Refusal } from '../refusal.js'

const em = schema.marks.em!.create()

function draft(): Node {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;'],
    mengingat: ['UUD 1945;'],
    batangTubuh: [
      bab(
        'KETENTUAN UMUM',
        pasal(
          unit('ayat', [
            schema.node('teks', null, [schema.text('Data dikelola secara '), schema.text('real time', [em]), schema.text(' oleh Dinas.')]),
          ]),
          ayat('Dinas menyusun:', { items: ['rencana;', 'anggaran.'] }),
          ayat('Ketentuan lebih lanjut diatur dengan Keputusan.'),
        ),
        pasal('Pasal kedua.'),
      ),
    ],
    penutup: ['Agar setiap orang mengetahuinya.'],
  })
}

/** Position of `phrase` (its start, or its end with `end`) in the document's text. */
function at(doc: Node, phrase: string, end = false): number {
  let found = -1
  doc.descendants((node, pos) => {
    if (found >= 0 || !node.isText) return found < 0
    const index = node.text!.indexOf(phrase)
    if (index >= 0) found = pos + index + (end ? phrase.length : 0)
    return false
  })
  if (found < 0) throw new Error(`no "${phrase}"`)
  return found
}

const pasalAt = (doc: Node, index: number) => numberDocument(doc).labels.filter((l) => l.kind === 'pasal')[index]!
const text = (insert: string): Proposal => ({ kind: 'text', insert })
const target = (doc: Node, from: number, to = from) => ({ pasalPos: pasalAt(doc, 0).pos, from, to })

describe('applying a suggestion to a document', () => {
  it('replaces a range with text in the marks of what it replaces, and inserts in the marks before the point', () => {
    const doc = draft()
    const replaced = applySuggestion(doc, text('online'), target(doc, at(doc, 'real time'), at(doc, 'real time', true)))
    const para = replaced.nodeAt(at(replaced, 'online'))!
    expect(para.text).toBe('online')
    expect(para.marks.map((m) => m.type.name)).toEqual(['em'])
    const inserted = applySuggestion(doc, text(' dan aman'), target(doc, at(doc, 'real time', true)))
    expect(inserted.textContent).toContain('real time dan aman oleh Dinas.')
    expect(inserted.nodeAt(at(inserted, ' dan aman'))!.marks.map((m) => m.type.name)).toEqual(['em'])
    const deleted = applySuggestion(doc, text(''), target(doc, at(doc, 'secara '), at(doc, 'secara ', true)))
    expect(deleted.textContent).toContain('Data dikelola real time')
  })

  it('joins two ayat when the range runs from one into the next, keeping the first ayat and its id, schema-valid', () => {
    const doc = draft()
    const before = doc.nodeAt(pasalAt(doc, 0).pos)!
    const result = applySuggestion(doc, text('Dinas dan Bappeda menyusun'), target(doc, at(doc, 'oleh Dinas.'), at(doc, 'Dinas menyusun', true)))
    result.check()
    const after = result.nodeAt(pasalAt(result, 0).pos)!
    expect(after.childCount).toBe(before.childCount - 1)
    expect(after.child(0).attrs.id).toBe(before.child(0).attrs.id)
    expect(after.child(0).textBetween(0, after.child(0).content.size, '|')).toBe(
      'Data dikelola secara real time Dinas dan Bappeda menyusun:|rencana;|anggaran.',
    )
  })

  it('joins a rincian item with the next ayat when the range runs from one into the other', () => {
    const doc = draft()
    const result = applySuggestion(doc, text('anggaran, yang'), target(doc, at(doc, 'anggaran.'), at(doc, 'Ketentuan lebih lanjut', true)))
    result.check()
    const first = result.nodeAt(pasalAt(result, 0).pos)!
    expect(first.childCount).toBe(2)
    expect(first.textBetween(0, first.content.size, '|')).toContain('rencana;|anggaran, yang diatur dengan Keputusan.')
  })

  it('inserts proposed units after the innermost unit they fit after, each with a fresh id', () => {
    const doc = draft()
    const given = { id: 'dari-klien' }
    const newAyat = {
      kind: 'blocks' as const,
      insert: '',
      blocks: [{ type: 'ayat', attrs: given, content: [{ type: 'teks', content: [{ type: 'text', text: 'Ayat baru.' }] }] }],
    }
    const withAyat = applySuggestion(doc, newAyat, target(doc, at(doc, 'oleh Dinas.', true)))
    const first = withAyat.nodeAt(pasalAt(withAyat, 0).pos)!
    expect(first.childCount).toBe(4)
    expect(first.child(1).textContent).toBe('Ayat baru.')
    expect(first.child(1).attrs.id).toMatch(/^[0-9a-z]{12}$/)

    const newButir = {
      kind: 'blocks' as const,
      insert: '',
      blocks: [{ type: 'butir', content: [{ type: 'teks', content: [{ type: 'text', text: 'evaluasi.' }] }] }],
    }
    const withButir = applySuggestion(doc, newButir, target(doc, at(doc, 'rencana;', true)))
    const list = withButir.nodeAt(pasalAt(withButir, 0).pos)!.child(1).child(1)
    expect(list.textBetween(0, list.content.size, '|')).toBe('rencana;|evaluasi.|anggaran.')

    const proposed = pasal('Pasal sisipan.')
    const newPasal = { kind: 'blocks' as const, insert: '', blocks: [proposed.toJSON()] }
    const withPasal = applySuggestion(doc, newPasal, target(doc, at(doc, 'oleh Dinas.', true)))
    expect(numberDocument(withPasal).labels.filter((l) => l.kind === 'pasal')).toHaveLength(3)
    expect(withPasal.nodeAt(pasalAt(withPasal, 1).pos)!.textContent).toBe('Pasal sisipan.')
    expect(pasalAt(withPasal, 1).id).not.toBe(proposed.attrs.id)
    withPasal.check()
  })

  it('refuses units that have no place around the point, and a change that changes nothing', () => {
    const doc = draft()
    const butir = { kind: 'blocks' as const, insert: '', blocks: [{ type: 'butir', content: [{ type: 'teks' }] }] }
    expect(() => applySuggestion(doc, butir, target(doc, at(doc, 'oleh Dinas.', true)))).toThrow(Refusal)
    expect(() => applySuggestion(doc, text('real time'), target(doc, at(doc, 'real time'), at(doc, 'real time', true)))).toThrow(/tidak mengubah/)
  })

  it('removes a whole Pasal', () => {
    const doc = draft()
    const second = pasalAt(doc, 1)
    const result = applySuggestion(
      doc,
      { kind: 'deletePasal', insert: '' },
      { pasalPos: second.pos, from: second.pos, to: second.pos + doc.nodeAt(second.pos)!.nodeSize },
    )
    expect(
      numberDocument(result)
        .labels.filter((l) => l.kind === 'pasal')
        .map((l) => l.id),
    ).toEqual([pasalAt(doc, 0).id])
  })
})
