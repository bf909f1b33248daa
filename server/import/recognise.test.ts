import { describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
import type { Node } from 'prosemirror-model'
import { createRapergubSpbe } from '../documents/rapergub-spbe.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { toDocx } from '../export/docx.js'
import { toRegulation } from '../export/regulation.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { recogniseDraft } from './recognise.js'
import { Refusal } from '../refusal.js'

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
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(await toDocx(toRegulation(original, DEFAULT_META))) })
    const draft = recogniseDraft(value.split('\n'))
    expect(draft.jenis).toBe('PERATURAN GUBERNUR KALIMANTAN TIMUR')
    expect(draft.nama).toBe('PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK')
    expect(draft.counts).toEqual({ bab: 10, pasal: 30 })
    const imported = convertTypedReferences(draft.doc)
    expect(shape(imported)).toEqual(shape(original))
    expect(numberDocument(imported).labels.map((l) => l.label)).toEqual(numberDocument(original).labels.map((l) => l.label))
  })

  it('reads a hand-typed draft: spaces instead of tabs, Bagian and Paragraf, nested rincian, closing text after a rincian', () => {
    const draft = recogniseDraft([
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
    ])
    expect(draft.counts).toEqual({ bab: 2, pasal: 3 })
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
    // The order to promulgate is drawn from the metadata now (SPEC S18): only the signature block stays.
    expect(draft.doc.lastChild!.firstChild!.type.name).toBe('penandatanganan')
    expect(JSON.stringify(draft.doc.toJSON())).not.toContain('Agar setiap orang')
  })

  it('says in Indonesian what is missing when the file is not a Pergub draft', () => {
    const refused = (paragraphs: string[]) => {
      try {
        recogniseDraft(paragraphs)
      } catch (error) {
        expect(error).toBeInstanceOf(Refusal)
        return (error as Error).message
      }
      throw new Error('not refused')
    }
    expect(refused(['Notulen rapat', 'Hadir: semua bidang.'])).toMatch(/"Menimbang" tidak ditemukan/)
    expect(refused(['Menimbang : a. bahwa …;'])).toMatch(/Judul tidak ditemukan/)
    expect(refused([...HEAD])).toMatch(/sedikitnya satu "BAB"/)
    expect(refused([...HEAD, 'BAB I', 'Pasal 1', 'Isi.'])).toMatch(/BAB I tidak memiliki judul/)
    expect(refused([...HEAD, 'BAB I', 'KETENTUAN UMUM', 'Pasal 1'])).toMatch(/Pasal 1 tidak memiliki isi/)
    expect(refused([...HEAD, 'BAB I', 'KETENTUAN UMUM', 'Teks lepas.'])).toMatch(/di luar Pasal/)
    expect(refused([...HEAD, 'BAB I', 'UMUM', 'Paragraf 1', 'Judul'])).toMatch(/harus berada di dalam sebuah Bagian/)
  })
})
