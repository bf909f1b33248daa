import { describe, expect, it } from 'vitest'
import type { Node } from 'prosemirror-model'
import { createRapergubSpbe } from '../documents/rapergub-spbe.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { teks, unit } from '../../shared/model/builders.js'
import { AGUS, documentXml, placedSuggestion } from '../../test/harness/suggestions.js'
import { decodeDocumentXml, afterText, beforeText, type WordParagraph } from './trackedChanges.js'
import { toDocx } from '../export/docx.js'
import { toRegulation } from '../export/regulation.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { revisionsOf, type PlacedSuggestion } from '../export/revisions.js'

const exportWith = async (doc: Node, placed: PlacedSuggestion[]) =>
  decodeDocumentXml(await documentXml(await toDocx(toRegulation(doc, DEFAULT_META, revisionsOf(doc, placed)))))
const find = (paragraphs: WordParagraph[], text: string) => paragraphs.filter((p) => beforeText(p).includes(text) || afterText(p).includes(text))

// Each test lays out and packs the whole sample draft: seconds on a busy machine.
describe('open suggestions in the Word export', { timeout: 30_000 }, () => {
  const doc = convertTypedReferences(createRapergubSpbe())

  it('marks a text suggestion as a deletion of the quoted range and an insertion of the wording, by the suggester at the time of the suggestion', async () => {
    const paragraphs = await exportWith(doc, [placedSuggestion(doc, 11, 'dapat', { insert: 'wajib' })])
    const [paragraph] = find(paragraphs, 'tidak dapat membangun')
    expect(paragraph!.segments).toEqual([
      { text: '(3)\tPerangkat Daerah tidak ' },
      { text: 'dapat', change: { kind: 'del', author: 'Dewi Lestari (Biro Hukum)', date: '2026-11-30T01:02:03Z' } },
      { text: 'wajib', change: { kind: 'ins', author: 'Dewi Lestari (Biro Hukum)', date: '2026-11-30T01:02:03Z' } },
      {
        text: ' membangun atau menyewa pusat data tersendiri, kecuali atas persetujuan Sekretaris Daerah berdasarkan rekomendasi teknis dari Dinas.',
      },
    ])
    // Only that paragraph changed.
    expect(paragraphs.filter((p) => p.segments.some((s) => s.change))).toHaveLength(1)
  })

  it('shows two overlapping suggestions by two people, the older one deleting the shared text', async () => {
    const older = placedSuggestion(doc, 11, 'tidak dapat', { insert: 'dilarang' })
    const newer = placedSuggestion(doc, 11, 'dapat membangun', { insert: 'wajib membangun', author: AGUS }, '2026-11-30T02:00:00.000Z')
    const [paragraph] = await exportWith(doc, [older, newer]).then((p) => find(p, 'Perangkat Daerah tidak'))
    expect(beforeText(paragraph!)).toBe(
      '(3)\tPerangkat Daerah tidak dapat membangun atau menyewa pusat data tersendiri, kecuali atas persetujuan Sekretaris Daerah berdasarkan rekomendasi teknis dari Dinas.',
    )
    const changes = paragraph!.segments.filter((s) => s.change).map((s) => [s.change!.kind, s.text, s.change!.author])
    expect(changes).toEqual([
      ['del', 'tidak dapat', 'Dewi Lestari (Biro Hukum)'],
      ['ins', 'dilarang', 'Dewi Lestari (Biro Hukum)'],
      ['del', ' membangun', 'Agus Salim'],
      ['ins', 'wajib membangun', 'Agus Salim'],
    ])
  })

  it('marks every paragraph of a Pasal proposed for deletion deleted, its heading and labels too', async () => {
    const placed = placedSuggestion(doc, 11, 'Perangkat Daerah menempatkan', { kind: 'deletePasal', insert: '' })
    const paragraphs = await exportWith(doc, [placed])
    const start = paragraphs.findIndex((p) => beforeText(p) === 'Pasal 11')
    const pasal11 = paragraphs.slice(start, start + 5)
    expect(pasal11.map(afterText)).toEqual(['', '', '', '', ''])
    expect(pasal11.every((p) => p.segments.every((s) => s.change?.kind === 'del' && s.change.author === 'Dewi Lestari (Biro Hukum)'))).toBe(true)
    expect(beforeText(paragraphs[start + 5]!)).toBe('')
    expect(beforeText(paragraphs[start + 6]!)).toBe('Paragraf 2')
  })

  it('inserts a proposed ayat as new paragraphs after the ayat that holds the range', async () => {
    const blocks = [unit('ayat', [teks('Pusat Data Daerah diaudit setiap tahun.')]).toJSON()]
    const placed = placedSuggestion(doc, 11, 'layanan SPBE.', { kind: 'blocks', insert: '', blocks })
    const paragraphs = await exportWith(doc, [{ ...placed, from: placed.to }])
    const index = paragraphs.findIndex((p) => afterText(p) === 'Pusat Data Daerah diaudit setiap tahun.')
    expect(paragraphs[index]!.segments).toEqual([
      { text: 'Pusat Data Daerah diaudit setiap tahun.', change: { kind: 'ins', author: 'Dewi Lestari (Biro Hukum)', date: '2026-11-30T01:02:03Z' } },
    ])
    expect(beforeText(paragraphs[index - 1]!)).toMatch(/^\(4\)\tPusat Data Daerah dilengkapi/)
  })

  it('leaves settled suggestions out and the plain export unchanged', async () => {
    const accepted = placedSuggestion(doc, 11, 'dapat', { insert: 'wajib', status: 'accepted' })
    const withSettled = await documentXml(await toDocx(toRegulation(doc, DEFAULT_META, revisionsOf(doc, [accepted]))))
    const plain = await documentXml(await toDocx(toRegulation(doc, DEFAULT_META)))
    expect(withSettled).toBe(plain)
    expect(plain).not.toMatch(/<w:(ins|del) /)
  })
})
