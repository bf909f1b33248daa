import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Node } from 'prosemirror-model'
import { ayat, bab, bagian, lampiran, paragraf, pasal, penjelasan, penjelasanPasal, regulation, table } from './builders.js'
import { explainedPasal, numberDocument } from './numbering.js'
import { renderAllReferences } from './references.js'
import { schema } from './schema.js'
import { encodeDocument, FRAGMENT, toProsemirror } from './ydoc.js'

function draft(...batangTubuh: Node[]): Node {
  return regulation({
    nama: 'UJI',
    menimbang: ['bahwa a;', 'bahwa b;', 'bahwa c;'],
    mengingat: ['UUD 1945;'],
    batangTubuh,
  })
}

const labels = (doc: Node, kind: string) =>
  numberDocument(doc)
    .labels.filter((l) => l.kind === kind)
    .map((l) => l.label)

describe('numbering', () => {
  it('numbers Pasal continuously across BAB, Bagian and Paragraf', () => {
    const doc = draft(
      bab('SATU', pasal('a'), pasal('b')),
      bab('DUA', bagian('Umum', pasal('c')), bagian('Khusus', paragraf('P1', pasal('d')), paragraf('P2', pasal('e'), pasal('f')))),
    )
    expect(labels(doc, 'pasal')).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3', 'Pasal 4', 'Pasal 5', 'Pasal 6'])
    expect(labels(doc, 'bab')).toEqual(['BAB I', 'BAB II'])
    expect(labels(doc, 'bagian')).toEqual(['Bagian Kesatu', 'Bagian Kedua'])
    expect(labels(doc, 'paragraf')).toEqual(['Paragraf 1', 'Paragraf 2'])
  })

  it('restarts Bagian in each BAB and Paragraf in each Bagian', () => {
    const doc = draft(
      bab('SATU', bagian('A', paragraf('x', pasal('1')), paragraf('y', pasal('2'))), bagian('B', paragraf('z', pasal('3')))),
      bab('DUA', bagian('C', pasal('4'))),
    )
    expect(labels(doc, 'bagian')).toEqual(['Bagian Kesatu', 'Bagian Kedua', 'Bagian Kesatu'])
    expect(labels(doc, 'paragraf')).toEqual(['Paragraf 1', 'Paragraf 2', 'Paragraf 1'])
  })

  it('numbers ayat only when a Pasal has two or more, restarting per Pasal', () => {
    const doc = draft(bab('SATU', pasal('tunggal'), pasal('satu', 'dua', 'tiga'), pasal('lagi', 'lagi')))
    expect(labels(doc, 'ayat')).toEqual(['', '(1)', '(2)', '(3)', '(1)', '(2)'])
  })

  it('marks rincian by depth: a. then 1. then a) then 1); definitions start with 1.', () => {
    const doc = draft(
      bab(
        'SATU',
        pasal(ayat('Definisi:', { jenis: 'angka', items: ['Satu.', 'Dua.'] })),
        pasal(ayat('meliputi:', { items: ['x;', ['y:', { items: [['z:', { items: [['w:', { items: ['v.'] }]] }]] }]] })),
      ),
    )
    expect(labels(doc, 'butir')).toEqual(['1.', '2.', 'a.', 'b.', '1.', 'a)', '1)'])
  })

  it('letters konsiderans and numbers dasar hukum only when there are two or more', () => {
    const doc = draft(bab('SATU', pasal('a')))
    expect(labels(doc, 'konsiderans')).toEqual(['a.', 'b.', 'c.'])
    expect(labels(doc, 'dasarHukum')).toEqual([''])
  })

  it('builds an outline of BAB, Bagian, Paragraf and Pasal with their labels and positions', () => {
    const doc = draft(bab('KETENTUAN UMUM', pasal('Dalam Peraturan ini')))
    const outline = numberDocument(doc).outline
    expect(outline.map((o) => [o.kind, o.label, o.title, o.depth])).toEqual([
      ['bab', 'BAB I', 'KETENTUAN UMUM', 0],
      ['pasal', 'Pasal 1', 'Dalam Peraturan ini', 1],
    ])
    for (const entry of outline) expect(doc.nodeAt(entry.pos)?.type.name).toBe(entry.kind)
  })

  it('never shows the same Pasal number twice when two bidang insert a Pasal at the same spot (S5)', () => {
    const base = encodeDocument(draft(bab('SATU', pasal('p1'), pasal('p2'), pasal('p3'))))
    const a = new Y.Doc()
    const b = new Y.Doc()
    Y.applyUpdate(a, base)
    Y.applyUpdate(b, base)
    const insertAfterFirst = (doc: Y.Doc, text: string) => {
      const babEl = (doc.getXmlFragment(FRAGMENT).get(2) as Y.XmlElement).get(0) as Y.XmlElement
      const el = new Y.XmlElement('pasal')
      el.setAttribute('id', `id-${text}`)
      const ay = new Y.XmlElement('ayat')
      const teks = new Y.XmlElement('teks')
      teks.insert(0, [new Y.XmlText(text)])
      ay.insert(0, [teks])
      el.insert(0, [ay])
      babEl.insert(2, [el])
    }
    insertAfterFirst(a, 'dari-aptika')
    insertAfterFirst(b, 'dari-tik')
    // Each side alone sees its own Pasal as Pasal 2.
    expect(labels(toProsemirror(a), 'pasal')).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3', 'Pasal 4'])
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const merged = [toProsemirror(a), toProsemirror(b)]
    expect(merged[0]!.toJSON()).toEqual(merged[1]!.toJSON())
    const numbering = numberDocument(merged[0]!)
    const pasalLabels = numbering.labels.filter((l) => l.kind === 'pasal')
    expect(pasalLabels.map((l) => l.label)).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3', 'Pasal 4', 'Pasal 5'])
    const texts = pasalLabels.map((l) => merged[0]!.nodeAt(l.pos)!.textContent)
    expect(texts.slice(1, 3).sort()).toEqual(['dari-aptika', 'dari-tik'])
  })

  it('S19: a Penjelasan entry follows its Pasal by id when a Pasal is inserted before it, and Lampiran numbers are derived', () => {
    const [p1, p2] = [pasal('Satu.'), pasal('Dua.')]
    const build = (...pasals: Node[]) =>
      regulation({
        nama: 'UJI',
        menimbang: ['bahwa a;'],
        mengingat: ['UUD 1945;'],
        batangTubuh: [bab('SATU', ...pasals)],
        penjelasan: penjelasan(['Umum.'], [penjelasanPasal(p1.attrs.id as string), penjelasanPasal(p2.attrs.id as string, 'Yang dimaksud.')]),
        lampiran: [
          lampiran(
            'STANDAR',
            'Teks.',
            table([
              ['No', 'Uraian'],
              ['1', 'x'],
            ]),
          ),
          lampiran('PETA', ayat('Daftar:', { items: ['x;', 'y.'] }).child(1)),
        ],
      })
    const explained = (doc: Node) => {
      const numbering = numberDocument(doc)
      const out: Array<string | null> = []
      doc.descendants((node) => {
        if (node.type.name === 'penjelasanPasal') out.push(explainedPasal(node, numbering)?.label ?? null)
        return true
      })
      return out
    }
    const before = build(p1, p2)
    expect(before.check()).toBeUndefined()
    expect(explained(before)).toEqual(['Pasal 1', 'Pasal 2'])
    expect(explained(build(pasal('Baru.'), p2, p1))).toEqual(['Pasal 3', 'Pasal 2'])
    expect(explained(build(p2))).toEqual([null, 'Pasal 1'])
    expect(labels(before, 'lampiran')).toEqual(['Lampiran I', 'Lampiran II'])
    expect(labels(before, 'butir')).toEqual(['a.', 'b.'])
    expect(numberDocument(before).lampiranCount).toBe(2)
    const single = regulation({ nama: 'UJI', menimbang: ['a'], mengingat: ['b'], batangTubuh: [bab('SATU', p1)], lampiran: [lampiran('SATU')] })
    expect(labels(single, 'lampiran')).toEqual(['Lampiran'])
  })
})

describe('numbering of an amendment draft', () => {
  const base = draft(bab('SATU', pasal('a'), pasal(ayat('x'), ayat('y'))), bab('DUA', pasal('c'), pasal('d')))
  /** The base with a Pasal inserted after Pasal 2 (ids kept), an ayat between its two, and Pasal 4 left as "Dihapus.". */
  function amended(): { doc: Node; inserted: Node } {
    const json = base.toJSON() as { content: any[] }
    const body = json.content[2].content
    const inserted = pasal(ayat('baru satu'), ayat('baru dua'))
    body[0].content.push(inserted.toJSON())
    body[0].content[2].content.splice(1, 0, ayat('sisipan').toJSON())
    body[1].content[2].content = [ayat('Dihapus.').toJSON()]
    const reference = schema.node('rujukan', { targets: [inserted.child(1).attrs.id] })
    body[1].content[1].content[0].content[0].content.push(reference.toJSON())
    return { doc: schema.nodeFromJSON(json), inserted }
  }

  it('keeps the base numbers, suffixes new units and keeps deleted ones, in labels, outline and references (S24)', () => {
    const { doc } = amended()
    const numbering = numberDocument(doc, base)
    const of = (kind: string) => numbering.labels.filter((l) => l.kind === kind).map((l) => l.label)
    expect(of('pasal')).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 2A', 'Pasal 3', 'Pasal 4'])
    expect(of('ayat')).toEqual(['', '(1)', '(1a)', '(2)', '(1)', '(2)', '', ''])
    expect(numbering.outline.filter((e) => e.kind === 'pasal').map((e) => e.label)).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 2A', 'Pasal 3', 'Pasal 4'])
    expect([...renderAllReferences(doc, numbering).values()].map((r) => r.text)).toEqual(['dalam Pasal 2A ayat (2)'])
    // Without the base, the same text renumbers as a new regulation does.
    expect(
      numberDocument(doc)
        .labels.filter((l) => l.kind === 'pasal')
        .map((l) => l.label),
    ).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3', 'Pasal 4', 'Pasal 5'])
  })
})
