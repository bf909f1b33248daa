import { describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
import { Fragment, Slice, type Node } from 'prosemirror-model'
import { normaliseMeta } from '../../shared/documents.js'
import { ayat, bab, lampiran, pasal, penjelasan, penjelasanPasal, regulation, table } from '../../shared/model/builders.js'
import { AKN_XSD, xmllint } from '../../test/harness/xml.js'
import { toAkn } from './akn.js'
import { toDocx } from './docx.js'
import { toHtml } from './html.js'
import { PASAL_DIHAPUS } from '../../shared/model/numbering.js'
import { toRegulation, type Content, type Pasal } from './regulation.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { numberDocument } from '../../shared/model/numbering.js'

const meta = normaliseMeta({ jenis: 'perda-kabupaten', daerah: 'Sleman', pejabat: 'Bupati Sleman', tempat: 'Sleman', nomor: '3', tahun: 2026 })

/** A Perda of three Pasal with a Penjelasan (the second Pasal explained) and two Lampiran, one with a table. */
function perda(order: 'asli' | 'disisipi' | 'dihapus') {
  const [p1, p2, p3] = [pasal('Ketentuan umum.'), pasal('Retribusi dipungut.', 'Tarif tercantum dalam Lampiran.'), pasal('Mulai berlaku.')]
  const inserted = pasal('Pasal sisipan.')
  const body = { asli: [p1, p2, p3], disisipi: [p1, inserted, p2, p3], dihapus: [p1, p3] }[order]
  const doc: Node = regulation({
    nama: 'Retribusi Persetujuan Bangunan Gedung',
    menimbang: ['bahwa perlu;'],
    mengingat: ['UUD 1945;'],
    batangTubuh: [bab('KETENTUAN UMUM', ...body)],
    penjelasan: penjelasan(
      ['Retribusi adalah pungutan daerah.'],
      [
        penjelasanPasal(p1.attrs.id as string),
        penjelasanPasal(p2.attrs.id as string, 'Yang dimaksud dengan tarif adalah nilai rupiah.'),
        penjelasanPasal(p3.attrs.id as string),
      ],
    ),
    lampiran: [
      lampiran(
        'TARIF RETRIBUSI',
        'Tarif dihitung sebagai berikut:',
        table([
          ['No', 'Fungsi', 'Indeks'],
          ['1', 'Hunian', '0,15'],
          ['2', 'Usaha <besar>', '0,70'],
        ]),
      ),
      lampiran('FORMULIR', ayat('Formulir memuat:', { items: ['nama pemohon;', 'alamat.'] }).child(1)),
    ],
  })
  expect(doc.check()).toBeUndefined()
  return toRegulation(doc, meta)
}

describe('exports of the Penjelasan and Lampiran', () => {
  it('S19: names each Penjelasan entry by its Pasal\u2019s current number, also after a Pasal is inserted before it or deleted', () => {
    expect(perda('asli').penjelasan!.pasal.map((e) => e.label)).toEqual(['Pasal 1', 'Pasal 2', 'Pasal 3'])
    expect(perda('disisipi').penjelasan!.pasal.map((e) => e.label)).toEqual(['Pasal 1', 'Pasal 3', 'Pasal 4'])
    expect(perda('dihapus').penjelasan!.pasal.map((e) => e.label)).toEqual(['Pasal 1', PASAL_DIHAPUS, 'Pasal 2'])
    expect(perda('asli').lampiran.map((l) => l.label)).toEqual(['LAMPIRAN I', 'LAMPIRAN II'])
  })

  it('prints the Penjelasan and each Lampiran with its heading block, table and signature in the HTML', () => {
    const html = toHtml(perda('disisipi'), 'uji')
    const order = [
      'PENJELASAN<br>ATAS<br>PERATURAN DAERAH KABUPATEN SLEMAN<br>NOMOR 3 TAHUN 2026<br>TENTANG<br>RETRIBUSI PERSETUJUAN BANGUNAN GEDUNG',
      'I. UMUM',
      'Retribusi adalah pungutan daerah.',
      'II. PASAL DEMI PASAL',
      '<h4>Pasal 3</h4><p>Yang dimaksud dengan tarif',
      'LAMPIRAN I<br>PERATURAN DAERAH KABUPATEN SLEMAN<br>NOMOR 3 TAHUN 2026<br>TENTANG',
      '<th><p>Fungsi</p></th>',
      '<td><p>Usaha &lt;besar&gt;</p></td>',
      'BUPATI SLEMAN,',
      'LAMPIRAN II<br>',
      'nama pemohon;',
    ]
    // Each in turn, after the one before it.
    let from = html.indexOf('</footer>')
    const missing = order.filter((text) => {
      const at = html.indexOf(text, from)
      if (at >= 0) from = at + text.length
      return at < 0
    })
    expect(missing).toEqual([])
  })

  it('writes the Penjelasan and each Lampiran, with a Word table, after the signature in the DOCX', async () => {
    const bytes = await toDocx(perda('disisipi'))
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) })
    const lines = value.split('\n').filter((l) => l.trim())
    const index = (text: string) => lines.findIndex((l) => l.trim() === text)
    expect(index('PENJELASAN')).toBeGreaterThan(index('NOREG PERATURAN DAERAH KABUPATEN SLEMAN: (…)'))
    expect(lines.slice(index('PENJELASAN'))).toEqual([
      'PENJELASAN',
      'ATAS',
      'PERATURAN DAERAH KABUPATEN SLEMAN',
      'NOMOR 3 TAHUN 2026',
      'TENTANG',
      'RETRIBUSI PERSETUJUAN BANGUNAN GEDUNG',
      'I.\tUMUM',
      'Retribusi adalah pungutan daerah.',
      'II.\tPASAL DEMI PASAL',
      'Pasal 1',
      'Cukup jelas.',
      'Pasal 3',
      'Yang dimaksud dengan tarif adalah nilai rupiah.',
      'Pasal 4',
      'Cukup jelas.',
      ...['LAMPIRAN I', 'PERATURAN DAERAH KABUPATEN SLEMAN', 'NOMOR 3 TAHUN 2026', 'TENTANG', 'RETRIBUSI PERSETUJUAN BANGUNAN GEDUNG'],
      'TARIF RETRIBUSI',
      'Tarif dihitung sebagai berikut:',
      ...['No', 'Fungsi', 'Indeks', '1', 'Hunian', '0,15', '2', 'Usaha <besar>', '0,70'],
      'BUPATI SLEMAN,',
      '…',
      ...['LAMPIRAN II', 'PERATURAN DAERAH KABUPATEN SLEMAN', 'NOMOR 3 TAHUN 2026', 'TENTANG', 'RETRIBUSI PERSETUJUAN BANGUNAN GEDUNG'],
      'FORMULIR',
      'a.\tnama pemohon;',
      'b.\talamat.',
      'BUPATI SLEMAN,',
      '…',
    ])
    const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })
    expect(html).toContain('<table><tr><td><p>No</p></td><td><p>Fungsi</p></td><td><p>Indeks</p></td></tr>')
  })

  it('writes the Penjelasan and Lampiran as AKN attachments that validate against the official schema', async () => {
    const xml = toAkn(perda('disisipi'), { docId: 'uji', date: '2026-11-30' })
    const verdict = await xmllint(xml, AKN_XSD)
    expect(verdict.output).not.toMatch(/error/i)
    expect(verdict.valid).toBe(true)
    expect(xml.match(/<attachment>/g)).toHaveLength(3)
    expect(xml).toContain('<doc name="penjelasan">')
    expect(xml).toMatch(/<heading><ref href="#art_3">Pasal 3<\/ref><\/heading><content><p>Yang dimaksud dengan tarif/)
    expect(xml).toContain('<td><p>Usaha &lt;besar&gt;</p></td>')
    expect(xml).toContain('/!lampiran_2"/>')
  })

  it('S13: prints a live reference to a Lampiran with its current label, linked to it, after a Lampiran is inserted before it', () => {
    const tarif = lampiran('TARIF RETRIBUSI')
    const doc = convertTypedReferences(
      regulation({
        nama: 'Retribusi',
        menimbang: ['bahwa perlu;'],
        mengingat: ['UUD 1945;'],
        batangTubuh: [
          bab('KETENTUAN UMUM', pasal('Tarif tercantum dalam Lampiran yang merupakan bagian tidak terpisahkan dari Peraturan Daerah ini.')),
        ],
        lampiran: [tarif],
      }),
    )
    const tarifPos = numberDocument(doc).byId.get(tarif.attrs.id as string)!.pos
    const inserted = doc.replace(tarifPos, tarifPos, new Slice(Fragment.from(lampiran('FORMULIR')), 0, 0))
    const runs = (d: Node) => {
      const [pasal] = toRegulation(d, meta).bab[0]!.children as Pasal[]
      return (pasal!.ayat[0]!.content[0] as Extract<Content, { kind: 'teks' }>).runs.filter((r) => r.ref)
    }
    expect(runs(doc).map((r) => r.text)).toEqual(['Lampiran'])
    const [reference] = runs(inserted)
    expect(reference).toMatchObject({ text: 'Lampiran II', ref: { targetId: tarif.attrs.id, targetKind: 'lampiran' } })
    expect(toHtml(toRegulation(inserted, meta), 'uji')).toContain(`<a class="rujukan" href="#u-${tarif.attrs.id as string}">Lampiran II</a>`)
  })
})
