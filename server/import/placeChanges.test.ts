import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createRapergubSpbe } from '../documents/rapergub-spbe.js'
import { convertTypedReferences } from '../../shared/model/references.js'
import { numberDocument } from '../../shared/model/numbering.js'
import { encodeDocument, FRAGMENT, toProsemirror } from '../../shared/model/ydoc.js'
import { resolveAnchor } from '../../shared/anchors.js'
import type { Suggestion } from '../../shared/suggestions.js'
import { toDocx } from '../export/docx.js'
import { toRegulation } from '../export/regulation.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { revisionsOf } from '../export/revisions.js'
import { documentXml, placedSuggestion } from '../../test/harness/suggestions.js'
import { decodeDocumentXml, type WordParagraph } from './trackedChanges.js'
import { MAX_WORD_CHANGES, proposalsOf, REASONS } from './wordChanges.js'
import { Refusal } from '../refusal.js'
import { placeProposals } from './placeChanges.js'

/** A live draft: the seed in a Y.Doc, and the ProseMirror document built from it. */
function liveDraft() {
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, encodeDocument(convertTypedReferences(createRapergubSpbe())))
  return { ydoc, fragment: ydoc.getXmlFragment(FRAGMENT), doc: toProsemirror(ydoc) }
}

const word = (author: string) => ({ author, date: '2026-12-01T09:00:00Z' })
const del = (text: string, author = 'Budi') => ({ text, change: { kind: 'del' as const, ...word(author) } })
const ins = (text: string, author = 'Budi') => ({ text, change: { kind: 'ins' as const, ...word(author) } })

// Some tests lay out and pack the whole sample draft: seconds on a busy machine.
describe('placing the tracked changes of a Word draft in the live draft', { timeout: 30_000 }, () => {
  it('reads our own export with open suggestions back to the same changes, anchored where they were', async () => {
    const { ydoc, fragment, doc } = liveDraft()
    const placed = [
      placedSuggestion(doc, 11, 'dapat', { insert: 'wajib' }),
      placedSuggestion(doc, 12, 'seluruh ', { insert: '' }),
      placedSuggestion(doc, 9, 'Proses Bisnis', { kind: 'deletePasal', insert: '' }),
    ]
    const paragraphs = decodeDocumentXml(await documentXml(await toDocx(toRegulation(doc, DEFAULT_META, revisionsOf(doc, placed)))))
    const { proposals, unplaced } = proposalsOf(paragraphs)
    expect(unplaced).toEqual([])
    const result = placeProposals(proposals, doc, fragment, [])
    expect(result.unplaced).toEqual([])
    expect(result.placed.map((p) => [p.suggestion.kind, p.suggestion.insert, p.suggestion.anchor.range.quote, p.author])).toEqual([
      ['deletePasal', '', '', 'Dewi Lestari (Biro Hukum)'],
      ['text', 'wajib', 'dapat', 'Dewi Lestari (Biro Hukum)'],
      ['text', '', 'seluruh ', 'Dewi Lestari (Biro Hukum)'],
    ])
    const numbering = numberDocument(doc)
    for (const [i, original] of [placed[2]!, placed[0]!, placed[1]!].entries()) {
      const anchor = result.placed[i]!.suggestion.anchor
      expect(anchor.pasalId).toBe(original.suggestion.anchor.pasalId)
      const state = resolveAnchor(anchor, doc, numbering, ydoc, fragment)
      if (original.suggestion.kind === 'text') expect(state).toMatchObject({ status: 'attached', range: { from: original.from, to: original.to } })
    }
    // Imported again while they are open: nothing new.
    const existing = result.placed.map((p, i): Suggestion => ({
      ...placed[0]!.suggestion,
      id: `imported-${i}`,
      kind: p.suggestion.kind!,
      anchor: p.suggestion.anchor,
      insert: p.suggestion.insert,
    }))
    const again = placeProposals(proposals, doc, fragment, existing)
    expect(again.placed).toEqual([])
    expect(again.unplaced.map((u) => u.reason)).toEqual([REASONS.duplicate, REASONS.duplicate, REASONS.duplicate])
  })

  it('widens a change Word recorded inside a word to the whole word', () => {
    const paragraph: WordParagraph = {
      segments: [{ text: '(3)\tPerangkat Daerah tidak ' }, del('d'), ins('w'), { text: 'a' }, del('pat'), ins('jib'), { text: ' membangun atau' }],
    }
    const heading: WordParagraph = { segments: [{ text: 'Pasal 11' }] }
    const bab: WordParagraph = { segments: [{ text: 'BAB III' }] }
    const { proposals } = proposalsOf([bab, { segments: [{ text: 'JUDUL' }] }, heading, paragraph])
    expect(proposals).toEqual([
      {
        kind: 'text',
        pasal: 'Pasal 11',
        label: '(3)',
        before: 'Perangkat Daerah tidak dapat membangun atau',
        start: 23,
        end: 28,
        insert: 'wajib',
        author: 'Budi',
        date: '2026-12-01T09:00:00Z',
      },
    ])
  })

  it('lists every change it cannot place, with the reason, and places the rest', () => {
    const { fragment, doc } = liveDraft()
    const paragraphs: WordParagraph[] = [
      { segments: [{ text: 'Menimbang\t:\ta.\tbahwa ' }, ins('sesungguhnya ', 'Sari'), { text: 'data perlu dikelola;' }] },
      { segments: [{ text: 'BAB III' }] },
      { segments: [{ text: 'PENYELENGGARAAN' }] },
      { segments: [{ text: 'Pasal 11' }] },
      {
        segments: [
          del('(1)'),
          ins('(9)'),
          { text: '\tPerangkat Daerah menempatkan sistem elektronik dan data yang dikelolanya pada pusat data nasional atau Pusat Data Daerah.' },
        ],
      },
      {
        segments: [
          { text: '(3)\tPerangkat Daerah tidak ' },
          del('dapat'),
          ins('wajib'),
          {
            text: ' membangun atau menyewa pusat data tersendiri, kecuali atas persetujuan Sekretaris Daerah berdasarkan rekomendasi teknis dari Dinas.',
          },
        ],
      },
      { segments: [{ text: '(4)\tPusat Data Daerah dilengkapi dengan fasilitas ' }, del('cadangan'), { text: ' yang sudah diubah di Rancang.' }] },
      { segments: [ins('(5)\tPusat Data Daerah diaudit setiap tahun.')] },
      { segments: [{ text: 'Pasal 99' }] },
      { segments: [{ text: 'Teks ' }, ins('baru')] },
    ]
    const { proposals, unplaced } = proposalsOf(paragraphs)
    const result = placeProposals(proposals, doc, fragment, [])
    expect(result.placed.map((p) => [p.suggestion.anchor.range.quote, p.suggestion.insert, p.author])).toEqual([['dapat', 'wajib', 'Budi']])
    expect([...unplaced, ...result.unplaced].map((u) => [u.pasal, u.text, u.author, u.reason])).toEqual([
      ['', 'sisipan “sesungguhnya ”', 'Sari', REASONS.outsidePasal],
      ['Pasal 11', '“(1)” → “(9)”', 'Budi', REASONS.label],
      ['Pasal 11', 'sisipan “(5) Pusat Data Daerah diaudit setiap tahun.”', 'Budi', REASONS.newParagraph],
      ['Pasal 11', 'hapus “cadangan”', 'Budi', REASONS.textChanged],
      ['Pasal 99', 'sisipan “baru”', 'Budi', REASONS.pasalNotFound],
    ])
  })

  it('refuses a changed word inside a live reference, and finds a paragraph whose Pasal was renumbered', () => {
    const { fragment, doc } = liveDraft()
    const pasal14 = doc.nodeAt(numberDocument(doc).labels.find((l) => l.label === 'Pasal 15')!.pos)!
    const text = pasal14.child(0).textContent
    expect(text).toContain('Perangkat Daerah dapat membangun Aplikasi Khusus')
    const rendered =
      'Dalam hal kebutuhan Perangkat Daerah tidak dapat dipenuhi oleh Aplikasi Umum sebagaimana dimaksud dalam Pasal 14, Perangkat Daerah dapat membangun Aplikasi Khusus.'
    const cut = rendered.indexOf('14,')
    const paragraphs: WordParagraph[] = [
      { segments: [{ text: 'BAB IV' }] },
      { segments: [{ text: 'APLIKASI' }] },
      // The export's Pasal 15 is Pasal 16 in this Word file: a Pasal was added before it in Word's copy.
      { segments: [{ text: 'Pasal 16' }] },
      {
        segments: [
          { text: rendered.slice(0, cut) },
          del('14'),
          ins('13'),
          { text: rendered.slice(cut + 2, -'Aplikasi Khusus.'.length) },
          ins('sebuah '),
          { text: 'Aplikasi Khusus.' },
        ],
      },
    ]
    const result = placeProposals(proposalsOf(paragraphs).proposals, doc, fragment, [])
    expect(result.unplaced.map((u) => [u.text, u.reason])).toEqual([['“14” → “13”', REASONS.reference]])
    expect(result.placed.map((p) => [p.suggestion.anchor.range.quote, p.suggestion.insert, p.suggestion.anchor.pasalId])).toEqual([
      ['', 'sebuah ', pasal14.attrs.id],
    ])
  })

  it(`refuses a file of more than ${MAX_WORD_CHANGES} tracked changes, each of which would become a stored suggestion`, () => {
    const paragraphs = (changes: number): WordParagraph[] => [
      { segments: [{ text: 'BAB I' }] },
      { segments: [{ text: 'KETENTUAN UMUM' }] },
      { segments: [{ text: 'Pasal 1' }] },
      ...Array.from({ length: changes }, (): WordParagraph => ({ segments: [{ text: 'Kata ' }, ins('baru')] })),
    ]
    expect(proposalsOf(paragraphs(MAX_WORD_CHANGES)).proposals).toHaveLength(MAX_WORD_CHANGES)
    expect(() => proposalsOf(paragraphs(MAX_WORD_CHANGES + 1))).toThrow(Refusal)
  })
})
