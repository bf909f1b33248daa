import { describe, expect, it } from 'vitest'
import type { Node } from 'prosemirror-model'
import { schema } from '../model/schema.js'
import { ayat, bab, pasal, regulation } from '../model/builders.js'
import { generateAmendment } from './generator.js'
import { applyAmendment, dihapusNode } from './apply.js'
import { wordPoint } from './wording.js'

const draft = (...batangTubuh: Node[]) => regulation({ nama: 'UJI', menimbang: ['bahwa a;'], mengingat: ['UUD 1945;'], batangTubuh })

/** The base with `edit` applied to a JSON copy (same ids): how the consolidated text starts and changes. */
function edited(base: Node, edit: (json: { content: any[] }) => void): Node {
  const json = base.toJSON() as { content: any[] }
  edit(json)
  return schema.nodeFromJSON(json)
}

const body = (json: { content: any[] }) => json.content[2].content as any[]
const words = (base: Node, consolidated: Node) => generateAmendment(base, consolidated).map((p) => wordPoint(p))

const base = draft(
  bab('KETENTUAN UMUM', pasal('Satu.'), pasal(ayat('Ayat satu.'), ayat('Ayat dua.'), ayat('Ayat tiga.'), ayat('Ayat empat.'))),
  bab('PELAKSANAAN', pasal('Tiga.'), pasal('Empat.')),
)

describe('generateAmendment', () => {
  it('names one changed ayat of a Pasal and quotes the whole Pasal', () => {
    const consolidated = edited(base, (j) => void (body(j)[0].content[2].content[1].content[0].content[0].text = 'Ayat dua diubah.'))
    const points = generateAmendment(base, consolidated)
    expect(points.map((p) => wordPoint(p))).toEqual(['Ketentuan ayat (2) Pasal 2 diubah sehingga Pasal 2 berbunyi sebagai berikut:'])
    expect(points[0]!.quoted![0]!.address).toEqual([{ kind: 'pasal', number: '2' }])
  })

  it('restates the whole Pasal when an ayat is inserted before its first', () => {
    const consolidated = edited(base, (j) => void body(j)[0].content[2].content.unshift(ayat('Ayat pembuka.').toJSON()))
    expect(words(base, consolidated)).toEqual(['Ketentuan Pasal 2 diubah sehingga berbunyi sebagai berikut:'])
  })

  it('restates the whole Pasal when most of its ayat changed', () => {
    const consolidated = edited(base, (j) => {
      for (const i of [0, 1, 2]) body(j)[0].content[2].content[i].content[0].content[0].text = `Baru ${i}.`
    })
    expect(words(base, consolidated)).toEqual(['Ketentuan Pasal 2 diubah sehingga berbunyi sebagai berikut:'])
  })

  it('places a Pasal inserted at the head of a BAB before the Pasal it precedes', () => {
    const inserted = pasal('Sisipan.')
    const consolidated = edited(base, (j) => body(j)[1].content.splice(1, 0, inserted.toJSON()))
    const [point] = generateAmendment(base, consolidated)
    expect(wordPoint(point!)).toBe('Di antara Pasal 2 dan Pasal 3 disisipkan 1 (satu) pasal, yakni Pasal 2A sehingga berbunyi sebagai berikut:')
    expect(point!.anchor).toBe('before')
    expect(applyAmendment(base, [point!]).toJSON()).toEqual(consolidated.toJSON())
  })

  it('makes two points of Pasal inserted at the end of one BAB and at the head of the next, each placed where it stands', () => {
    const consolidated = edited(base, (j) => {
      body(j)[0].content.push(pasal('Di akhir BAB I.').toJSON())
      body(j)[1].content.splice(1, 0, pasal('Di awal BAB II.').toJSON())
    })
    const points = generateAmendment(base, consolidated)
    expect(points.map((p) => [p.units, p.anchor ?? 'after'])).toEqual([
      [[[{ kind: 'pasal', number: '2A' }]], 'after'],
      [[[{ kind: 'pasal', number: '2B' }]], 'before'],
    ])
    expect(applyAmendment(base, points).toJSON()).toEqual(consolidated.toJSON())
  })

  it('reads a Pasal removed from the consolidated text as one left there as "Dihapus."', () => {
    const removed = edited(base, (j) => void body(j)[1].content.splice(2, 1))
    const placeholder = edited(base, (j) => void (body(j)[1].content[2] = dihapusNode(base.child(2).child(1).child(2)).toJSON()))
    expect(words(base, removed)).toEqual(['Pasal 4 dihapus.'])
    expect(generateAmendment(base, removed)).toEqual(generateAmendment(base, placeholder))
    expect(applyAmendment(base, generateAmendment(base, removed)).toJSON()).toEqual(placeholder.toJSON())
  })

  it('matches units by their words when the base has no ids (a base imported from Word)', () => {
    const withoutIds = (node: Node): Node =>
      schema.nodeFromJSON(JSON.parse(JSON.stringify(node.toJSON(), (key, value: unknown) => (key === 'id' ? undefined : value))))
    const imported = withoutIds(base)
    const consolidated = edited(base, (j) => {
      body(j)[1].content[1].content[0].content[0].content[0].text = 'Tiga ditambah.'
      body(j)[1].content.splice(2, 0, pasal('Pasal yang sama sekali baru tentang pendanaan.').toJSON())
    })
    expect(words(imported, consolidated)).toEqual([
      'Ketentuan Pasal 3 diubah sehingga berbunyi sebagai berikut:',
      'Di antara Pasal 3 dan Pasal 4 disisipkan 1 (satu) pasal, yakni Pasal 3A sehingga berbunyi sebagai berikut:',
    ])
  })

  it('refuses to apply a point naming a unit the base does not have', () => {
    expect(() => applyAmendment(base, [{ action: 'dihapus', units: [[{ kind: 'pasal', number: '40' }]] }])).toThrow(
      /applyAmendment: point 1 names pasal:40/,
    )
  })
})

describe('applyAmendment on points read from Word', () => {
  it('keeps the base ids of a unit it restates, so Pasal I generated from the result words the same point', () => {
    // A quoted Pasal read from Word has ids of its own, and here words the base's Pasal never had.
    const points = [
      {
        action: 'diubah' as const,
        units: [[{ kind: 'pasal' as const, number: '3' }]],
        quoted: [{ address: [{ kind: 'pasal' as const, number: '3' }], node: pasal('Tarif ditetapkan berdasarkan indeks terintegrasi.').toJSON() }],
      },
    ]
    const consolidated = applyAmendment(base, points)
    expect(words(base, consolidated)).toEqual(['Ketentuan Pasal 3 diubah sehingga berbunyi sebagai berikut:'])
  })

  it('takes a changed heading quoted as the whole part, and a "Lampiran I" for the one Lampiran of the base', () => {
    const judul = bab('PELAKSANAAN DAN PENGAWASAN')
    const withLampiran = regulation({
      nama: 'UJI',
      menimbang: ['bahwa a;'],
      mengingat: ['UUD 1945;'],
      batangTubuh: [bab('SATU', pasal('Satu.')), bab('DUA', pasal('Dua.'))],
    })
    const lampiran = {
      type: 'lampiran',
      content: [
        { type: 'lampiranJudul', content: [{ type: 'text', text: 'TABEL' }] },
        { type: 'teks', content: [{ type: 'text', text: 'Baru.' }] },
      ],
    }
    const withOne = schema.nodeFromJSON({
      ...(withLampiran.toJSON() as object),
      content: [
        ...(withLampiran.toJSON() as { content: unknown[] }).content,
        { ...lampiran, content: [lampiran.content[0], { type: 'teks', content: [{ type: 'text', text: 'Lama.' }] }] },
      ],
    })
    const consolidated = applyAmendment(withOne, [
      {
        action: 'diubah',
        units: [[{ kind: 'bab', number: 'II' }]],
        aspect: 'judul',
        quoted: [{ address: [{ kind: 'bab', number: 'II' }], node: judul.toJSON() }],
      },
      { action: 'diubah', units: [[{ kind: 'lampiran', number: 'I' }]], quoted: [{ address: [{ kind: 'lampiran', number: 'I' }], node: lampiran }] },
    ])
    expect(consolidated.child(2).child(1).firstChild!.textContent).toBe('PELAKSANAAN DAN PENGAWASAN')
    expect(consolidated.childCount).toBe(withOne.childCount)
    expect(consolidated.lastChild!.textContent).toBe('TABELBaru.')
  })
})
