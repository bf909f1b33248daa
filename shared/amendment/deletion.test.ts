import { describe, expect, it } from 'vitest'
import { Fragment, Slice, type Node } from 'prosemirror-model'
import { bab, bagian, pasal, regulation } from '../model/builders.js'
import { numberDocument } from '../model/numbering.js'
import { keepDeletedUnits } from './deletion.js'
import { generateAmendment } from './generator.js'
import { wordPoint } from './wording.js'

const base = regulation({
  nama: 'UJI',
  menimbang: ['bahwa a;'],
  mengingat: ['UUD;'],
  batangTubuh: [
    bab('SATU', pasal('Satu.'), pasal('Dua.'), pasal('Tiga.')),
    bab('DUA', bagian('Umum', pasal('Empat.')), bagian('Lain', pasal('Lima.'))),
  ],
})

/** Every Pasal of `doc`: where it stands, and its id and text. */
function pasalAt(doc: Node): Array<{ pos: number; node: Node }> {
  const out: Array<{ pos: number; node: Node }> = []
  doc.descendants((node, pos) => {
    if (node.type.name !== 'pasal') return !node.isTextblock
    out.push({ pos, node })
    return false
  })
  return out
}
const remove = (doc: Node, from: number, to: number) => doc.replace(from, to, doc.slice(0, 0))
const removePasal = (doc: Node, ...indexes: number[]) => {
  const all = pasalAt(doc)
  return [...indexes].reverse().reduce((d, i) => remove(d, all[i]!.pos, all[i]!.pos + all[i]!.node.nodeSize), doc)
}
/** The Pasal as the editor numbers them against the base, and their words. */
const shown = (doc: Node) =>
  numberDocument(doc, base)
    .labels.filter((l) => l.kind === 'pasal')
    .map((l) => `${l.label}: ${doc.nodeAt(l.pos)!.textContent}`)
const kept = (before: Node, after: Node) => keepDeletedUnits(base, before, after)?.doc ?? after

describe('deleting a base Pasal in an amendment draft (S24)', () => {
  it('puts a removed base Pasal back as "Dihapus." with its id, so Pasal 3 stays Pasal 3 and Pasal I says "Pasal 2 dihapus."', () => {
    const doc = kept(base, removePasal(base, 1))
    doc.check()
    expect(shown(doc)).toEqual(['Pasal 1: Satu.', 'Pasal 2: Dihapus.', 'Pasal 3: Tiga.', 'Pasal 4: Empat.', 'Pasal 5: Lima.'])
    expect(pasalAt(doc)[1]!.node.attrs.id).toBe(pasalAt(base)[1]!.node.attrs.id)
    expect(generateAmendment(base, doc).map((point) => wordPoint(point))).toEqual(['Pasal 2 dihapus.'])
  })

  it('keeps the order of several removed at once, and the head of a part whose first Pasal went', () => {
    const doc = kept(base, removePasal(base, 0, 1, 3))
    doc.check()
    expect(shown(doc)).toEqual(['Pasal 1: Dihapus.', 'Pasal 2: Dihapus.', 'Pasal 3: Tiga.', 'Pasal 4: Dihapus.', 'Pasal 5: Lima.'])
    expect(doc.child(2).child(1).child(1).child(1).textContent).toBe('Dihapus.')
  })

  it('puts back a Bagian a selection took, as "Dihapus." with its Pasal in it', () => {
    const bagianUmum = pasalAt(base)[3]!.pos - 1 - base.resolve(pasalAt(base)[3]!.pos).parent.firstChild!.nodeSize
    const doc = kept(base, remove(base, bagianUmum, pasalAt(base)[3]!.pos + pasalAt(base)[3]!.node.nodeSize + 1))
    doc.check()
    expect(shown(doc).map((line) => line.split(':')[0])).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3', 'Pasal 4', 'Pasal 5'])
    expect(shown(doc)[3]).toBe('Pasal 4: Dihapus.')
    expect(doc.child(2).child(1).child(1).textContent).toBe('Dihapus.Dihapus.')
    expect(generateAmendment(base, doc).map((point) => wordPoint(point))).toEqual(['Bagian Kesatu BAB II dihapus.'])
  })

  it('removes a Pasal the draft inserted outright, and changes nothing when no base Pasal went', () => {
    const at = pasalAt(base)[1]!.pos
    const draft = base.replace(at, at, new Slice(Fragment.from(pasal('Sisipan.')), 0, 0))
    expect(shown(draft)[1]).toBe('Pasal 1A: Sisipan.')
    const after = removePasal(draft, 1)
    expect(keepDeletedUnits(base, draft, after)).toBeNull()
    expect(shown(after)).toEqual(['Pasal 1: Satu.', 'Pasal 2: Dua.', 'Pasal 3: Tiga.', 'Pasal 4: Empat.', 'Pasal 5: Lima.'])
  })
})
