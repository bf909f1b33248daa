import { describe, expect, it } from 'vitest'
import { Fragment, type Node } from 'prosemirror-model'
import { createRapergubSpbe } from '../documents/rapergub-spbe.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { toDocx } from '../export/docx.js'
import { toRegulation } from '../export/regulation.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { recogniseDraft } from './recognise.js'
import { Refusal } from '../refusal.js'
import { readDocxEntries } from './docxArchive.js'
import { findWordParts, readWordDocument, type SourceDocument } from './wordDocument.js'

/** Paragraphs as a Word file without numbering or breaks holds them. */
export const typed = (paragraphs: readonly string[]): SourceDocument => ({
  blocks: paragraphs.map((text) => ({ kind: 'paragraph', label: null, segments: [text] })),
  figures: 0,
})

const LIMITS = { maxEntries: 1000, maxInflatedBytes: 64 * 1024 * 1024, maxRatio: 100 }

/** A .docx read the way the import worker reads it. */
export async function readSource(bytes: Uint8Array): Promise<SourceDocument> {
  return readWordDocument(findWordParts(await readDocxEntries(bytes, LIMITS))!)
}

/** The document's structure and text without ids (fresh on import) and reference targets (which are ids). */
function shape(doc: Node): unknown {
  const strip = (json: unknown): unknown => {
    if (Array.isArray(json)) return json.map(strip)
    if (typeof json !== 'object' || json === null) return json
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(json)) {
      if (key === 'attrs') {
        const { id: _id, targets: _targets, ...rest } = value as Record<string, unknown>
        out[key] = rest
      } else out[key] = strip(value)
    }
    return out
  }
  return strip(doc.toJSON())
}

const HEAD = [
  'RANCANGAN',
  'PERATURAN GUBERNUR KALIMANTAN TIMUR',
  'NOMOR … TAHUN …',
  'TENTANG',
  'PENGELOLAAN DATA',
  'DENGAN RAHMAT TUHAN YANG MAHA ESA',
  'GUBERNUR KALIMANTAN TIMUR,',
  'Menimbang : a. bahwa data perlu dikelola;',
  'b. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Peraturan Gubernur;',
  'Mengingat : 1. Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;',
  'MEMUTUSKAN:',
  'Menetapkan : PERATURAN GUBERNUR TENTANG PENGELOLAAN DATA.',
]

describe('recognising a Pergub in the paragraphs of a Word draft', () => {
  it('reads back our own DOCX export of the sample draft to the same structure and text', async () => {
    const original = convertTypedReferences(createRapergubSpbe())
    const draft = recogniseDraft(await readSource(await toDocx(toRegulation(original, DEFAULT_META))))
    expect(draft.jenis).toBe('PERATURAN GUBERNUR KALIMANTAN TIMUR')
    expect(draft.nama).toBe('PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK')
    expect(draft.counts).toMatchObject({ bab: 10, pasal: 30 })
    expect(draft.report).toEqual([])
    const imported = convertTypedReferences(draft.doc)
    expect(shape(imported)).toEqual(shape(original))
    expect(numberDocument(imported).labels.map((l) => l.label)).toEqual(numberDocument(original).labels.map((l) => l.label))
  })

  it('reads back our own export of a draft without a penutup: the signature block stays out of the last Pasal', async () => {
    const original = convertTypedReferences(createRapergubSpbe())
    const penutup = original.lastChild!
    const bare = original.copy(original.content.replaceChild(3, penutup.copy(Fragment.from(penutup.lastChild!))))
    const draft = recogniseDraft(await readSource(await toDocx(toRegulation(bare, DEFAULT_META))))
    expect(shape(convertTypedReferences(draft.doc))).toEqual(shape(bare))
    expect(draft.meta).toMatchObject({ jenis: 'pergub', daerah: 'Kalimantan Timur', tempat: 'Samarinda' })
  })

  it('keeps text found outside any Pasal, and a table inside one, as text in the nearest Pasal, and reports where', () => {
    const draft = recogniseDraft({
      blocks: [
        ...typed([...HEAD, 'BAB I', 'KETENTUAN UMUM', 'Catatan tim penyusun: periksa lagi.', 'Pasal 1', '(1) Data dikelola.', '(2) Data dibagikan.'])
          .blocks,
        {
          kind: 'table',
          rows: [[[{ kind: 'paragraph', label: null, segments: ['Jenis'] }], [{ kind: 'paragraph', label: null, segments: ['Jadwal'] }]]],
        },
        ...typed(['Pasal 3', 'Berlaku.']).blocks,
      ],
      figures: 1,
    })
    const pasal1 = draft.doc.child(2).child(0).child(1)
    expect(pasal1.child(0).textContent).toBe('Catatan tim penyusun: periksa lagi.Data dikelola.')
    expect(pasal1.child(1).textContent).toBe('Data dibagikan.Jenis | Jadwal')
    expect(draft.report).toEqual([
      { where: 'seluruh naskah', what: '1 gambar atau objek', action: 'tidak diimpor' },
      { where: 'Pasal 1 ayat (1)', what: 'Teks di luar Pasal: "Catatan tim penyusun: periksa lagi."', action: 'disimpan sebagai teks' },
      { where: 'Pasal 1 ayat (2)', what: 'Tabel 1 baris × 2 kolom', action: 'disimpan sebagai teks' },
      { where: 'Pasal 2', what: 'Di berkas "Pasal 3"', action: 'dinomori ulang menurut Lampiran II' },
    ])
  })

  it('reads a hand-typed draft: spaces instead of tabs, Bagian and Paragraf, nested rincian, closing text after a rincian', () => {
    const draft = recogniseDraft(
      typed([
        ...HEAD,
        'BAB I',
        'KETENTUAN UMUM',
        'Pasal 1',
        'Dalam Peraturan Gubernur ini yang dimaksud dengan:',
        '1. Daerah adalah Provinsi Kalimantan Timur.',
        '2. Data adalah keterangan yang berupa angka.',
        'BAB II',
        'PENYELENGGARAAN',
        'Bagian Kesatu',
        'Umum',
        'Pasal 2',
        '(1) Data dikelola oleh:',
        'a. Dinas; dan',
        'b. Perangkat Daerah, yang terdiri atas:',
        '1) sekretariat; dan',
        '2) bidang.',
        'Pengelolaan sebagaimana dimaksud pada huruf a dilakukan secara terpadu.',
        '(2) Ketentuan lebih lanjut ditetapkan oleh Kepala Dinas.',
        'Bagian Kedua',
        'Pelaksanaan',
        'Paragraf 1',
        'Perencanaan',
        'Pasal 3',
        'Perencanaan dilakukan setiap tahun.',
        'Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Gubernur ini.',
        'Ditetapkan di Samarinda',
        'pada tanggal …',
      ]),
    )
    expect(draft.counts).toEqual({ bab: 2, pasal: 3, ayat: 2, rincian: 6 })
    const labels = numberDocument(draft.doc).labels.map((l) => l.label)
    expect(labels).toEqual(
      expect.arrayContaining(['BAB I', 'BAB II', 'Bagian Kesatu', 'Bagian Kedua', 'Paragraf 1', 'Pasal 1', 'Pasal 2', 'Pasal 3']),
    )
    const json = JSON.stringify(shape(draft.doc))
    const pasal2 = (draft.doc.child(2).child(1).child(1).child(1).toJSON() as { content: unknown[] }).content
    // Pasal 2: ayat (1) = text, rincian huruf (b holds a nested angka rincian), closing text; ayat (2).
    expect(pasal2).toHaveLength(2)
    const ayat1 = draft.doc.child(2).child(1).child(1).child(1).child(0)
    expect(ayat1.childCount).toBe(3)
    expect(ayat1.child(1).attrs.jenis).toBe('huruf')
    expect(ayat1.child(1).child(1).child(1).textContent).toBe('sekretariat; danbidang.')
    expect(ayat1.child(2).textContent).toBe('Pengelolaan sebagaimana dimaksud pada huruf a dilakukan secara terpadu.')
    expect(json).not.toContain('Ditetapkan di Samarinda')
    // The order to promulgate is drawn from the metadata (SPEC S18): only the signature block stays.
    expect(draft.doc.lastChild!.firstChild!.type.name).toBe('penandatanganan')
    expect(json).not.toContain('Agar setiap orang')
  })

  it('says in Indonesian what is missing when the file is not a Pergub draft', () => {
    const refused = (paragraphs: string[]) => {
      try {
        recogniseDraft(typed(paragraphs))
      } catch (error) {
        expect(error).toBeInstanceOf(Refusal)
        return (error as Error).message
      }
      throw new Error('not refused')
    }
    expect(refused(['Notulen rapat', 'Hadir: semua bidang.'])).toMatch(/^Tidak ditemukan "Menimbang"/)
    expect(refused(['Menimbang : a. bahwa …;'])).toMatch(/Judul tidak ditemukan/)
    expect(refused([...HEAD])).toBe(
      'Berkas ini tampak seperti Peraturan Gubernur Kalimantan Timur tentang Pengelolaan Data, tetapi tidak memuat BAB: ' +
        'Rancang menyusun batang tubuh dalam BAB. Tambahkan "BAB I" beserta judulnya sebelum Pasal pertama, lalu impor lagi.',
    )
    expect(refused([...HEAD, 'BAB I', 'Pasal 1', 'Isi.'])).toMatch(/BAB I tidak memiliki judul/)
    expect(refused([...HEAD, 'BAB I', 'KETENTUAN UMUM', 'Pasal 1'])).toMatch(/Pasal 1 tidak memiliki isi/)
    expect(refused([...HEAD, 'BAB I', 'UMUM', 'Paragraf 1', 'Judul'])).toMatch(/harus berada di dalam sebuah Bagian/)
  })

  it('names the kind of regulation it found in a refusal, never "peraturan gubernur" for another kind', () => {
    const perbup = [
      'BUPATI PULANG PISAU',
      'PROVINSI KALIMANTAN TENGAH',
      'PERATURAN BUPATI PULANG PISAU',
      'NOMOR 12 TAHUN 2021',
      'TENTANG',
      'SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
      'DENGAN RAHMAT TUHAN YANG MAHA ESA',
      'BUPATI PULANG PISAU,',
    ]
    const message = (paragraphs: string[]) => {
      try {
        recogniseDraft(typed(paragraphs))
      } catch (error) {
        return (error as Error).message
      }
      throw new Error('not refused')
    }
    const noBab = message([
      ...perbup,
      'Menimbang : bahwa perlu;',
      'Mengingat : Undang-Undang;',
      'Menetapkan : PERATURAN BUPATI.',
      'Pasal 1',
      'Isi.',
      'Pasal 2',
      'Isi.',
    ])
    expect(noBab).toMatch(
      /^Berkas ini tampak seperti Peraturan Bupati Pulang Pisau tentang Sistem Pemerintahan Berbasis Elektronik, tetapi tidak memuat BAB \(ditemukan 2 Pasal tanpa BAB\)/,
    )
    expect(message(perbup)).toBe(
      'Berkas ini tampak seperti Peraturan Bupati Pulang Pisau tentang Sistem Pemerintahan Berbasis Elektronik, tetapi bagian "Menimbang" tidak ditemukan.',
    )
    expect(message([...perbup, 'Menimbang : bahwa perlu;', 'Mengingat : Undang-Undang;', 'BAB I', 'UMUM', 'Pasal 1', 'Isi.'])).toMatch(
      /Peraturan Bupati.*"Menetapkan" tidak ditemukan sebelum BAB I/,
    )
    for (const refusal of [noBab, message(perbup)]) expect(refusal).not.toMatch(/gubernur/i)
  })
})
