import { describe, expect, it } from 'vitest'
import type { Node } from 'prosemirror-model'
import { Transform } from 'prosemirror-transform'
import { ayat, bab, pasal, regulation } from './builders.js'
import { numberDocument } from './numbering.js'
import { convertTypedReferences, findTypedReferences, joinIndonesian, renderAllReferences } from './references.js'
import { schema } from './schema.js'

function draft(...batangTubuh: Node[]) {
  return regulation({
    jenis: 'PERATURAN GUBERNUR',
    nama: 'UJI',
    jabatan: 'GUBERNUR,',
    menimbang: ['bahwa a;', 'bahwa b;', 'bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan;'],
    mengingat: ['Pasal 18 ayat (6) Undang-Undang Dasar;'],
    menetapkan: 'PERATURAN GUBERNUR TENTANG UJI.',
    batangTubuh,
    penutup: [],
  })
}

const sample = () =>
  draft(
    bab(
      'SATU',
      pasal('Pasal satu.'),
      pasal(ayat('Ayat satu meliputi:', { items: ['x;', 'y.'] }), 'Ayat dua sebagaimana dimaksud pada ayat (1) huruf b.'),
      pasal('Sebagaimana dimaksud dalam Pasal 2 ayat (1) dan dalam Pasal 1.'),
      pasal('Kecuali Pasal 1 sampai dengan Pasal 3, berlaku sebagaimana dimaksud dalam Pasal 5.'),
      pasal('Pasal lima.'),
    ),
  )

/** The rendered words of every reference, in document order. */
const rendered = (doc: Node) => [...renderAllReferences(doc, numberDocument(doc)).values()].map((r) => r.text)

describe('live references', () => {
  it('joins lists the Indonesian way', () => {
    expect(joinIndonesian(['huruf a'])).toBe('huruf a')
    expect(joinIndonesian(['huruf a', 'huruf b'])).toBe('huruf a dan huruf b')
    expect(joinIndonesian(['huruf a', 'huruf b', 'huruf c'])).toBe('huruf a, huruf b, dan huruf c')
  })

  it('finds typed references in Pasal and konsiderans, and none in Mengingat', () => {
    const doc = sample()
    const found = findTypedReferences(doc, numberDocument(doc)).map((t) => t.text)
    expect(found).toEqual([
      'dalam huruf a dan huruf b',
      'pada ayat (1) huruf b',
      'dalam Pasal 2 ayat (1)',
      'dalam Pasal 1',
      'Pasal 1 sampai dengan Pasal 3',
      'dalam Pasal 5',
    ])
  })

  it('renders converted references exactly as typed, choosing "dalam" or "pada"', () => {
    const doc = convertTypedReferences(sample())
    expect(rendered(doc)).toEqual([
      'dalam huruf a dan huruf b',
      'pada ayat (1) huruf b',
      'dalam Pasal 2 ayat (1)',
      'dalam Pasal 1',
      'Pasal 1 sampai dengan Pasal 3',
      'dalam Pasal 5',
    ])
    expect(doc.textContent).not.toContain('Pasal 2 ayat (1)')
  })

  it('renumbers references when a Pasal is inserted before their targets', () => {
    const doc = convertTypedReferences(sample())
    let first = -1
    doc.descendants((node, pos) => {
      if (first < 0 && node.type.name === 'pasal') first = pos
      return first < 0
    })
    const fresh = schema.node('pasal', { id: 'sisipan00001' }, [
      schema.node('ayat', { id: 'sisipanayat1' }, [schema.node('teks', null, [schema.text('Sisipan.')])]),
    ])
    const moved = new Transform(doc).insert(first, fresh).doc
    expect(rendered(moved)).toEqual([
      'dalam huruf a dan huruf b',
      'pada ayat (1) huruf b',
      'dalam Pasal 3 ayat (1)',
      'dalam Pasal 2',
      'Pasal 2 sampai dengan Pasal 4',
      'dalam Pasal 6',
    ])
  })

  it('keeps the closing konsiderans right when a point is added', () => {
    const doc = convertTypedReferences(sample())
    const menimbang = doc.child(1).child(1)
    const at = doc.child(0).nodeSize + 1 + doc.child(1).child(0).nodeSize + 1 + menimbang.child(0).nodeSize + menimbang.child(1).nodeSize
    const added = new Transform(doc).insert(at, schema.node('konsiderans', null, [schema.text('bahwa c;')])).doc
    expect(rendered(added)[0]).toBe('dalam huruf a, huruf b, dan huruf c')
  })

  it('flags a reference whose target was deleted, and one pointing forward', () => {
    const doc = convertTypedReferences(sample())
    const map = renderAllReferences(doc, numberDocument(doc))
    expect([...map.values()].map((r) => r.forward)).toEqual([false, false, false, false, false, true])
    let second = -1
    let count = 0
    doc.descendants((node, pos) => {
      if (node.type.name === 'pasal' && ++count === 2) second = pos
      return true
    })
    const deleted = new Transform(doc).delete(second, second + doc.nodeAt(second)!.nodeSize).doc
    const after = [...renderAllReferences(deleted, numberDocument(deleted)).values()]
    // "dalam Pasal 2 ayat (1)" and the range through Pasal 2 lost a target; the others still resolve.
    expect(after.map((r) => r.broken)).toEqual([false, true, false, true, false])
  })
})
