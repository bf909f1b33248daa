import { describe, expect, it } from 'vitest'
import { linesOf, paragraphLines } from './sourceLines.js'
import type { SourceParagraph } from './wordDocument.js'

const paragraph = (segments: string[], label: string | null = null): SourceParagraph => ({ kind: 'paragraph', label, segments })

describe('the lines of a Word file', () => {
  it('reads a line break inside a sentence as a space, never gluing two words ("dan terpercaya")', () => {
    expect(paragraphLines(paragraph(['pelayanan publik yang berkualitas dan', 'terpercaya;']))).toEqual([
      'pelayanan publik yang berkualitas dan terpercaya;',
    ])
    expect(paragraphLines(paragraph(['Negara Republik', 'Indonesia Tahun 1945;'], 'a.'))).toEqual(['a. Negara Republik Indonesia Tahun 1945;'])
  })

  it('splits a heading from its title, and a header set in capitals, at their line breaks', () => {
    expect(paragraphLines(paragraph(['BAB I', 'KETENTUAN UMUM']))).toEqual(['BAB I', 'KETENTUAN UMUM'])
    expect(paragraphLines(paragraph(['Bagian Kesatu', 'Umum']))).toEqual(['Bagian Kesatu', 'Umum'])
    expect(paragraphLines(paragraph(['BUPATI PULANG PISAU', 'PROVINSI KALIMANTAN TENGAH']))).toEqual([
      'BUPATI PULANG PISAU',
      'PROVINSI KALIMANTAN TENGAH',
    ])
    expect(paragraphLines(paragraph(['Ditetapkan di Pulang Pisau', 'pada tanggal 12 April 2021']))).toEqual([
      'Ditetapkan di Pulang Pisau',
      'pada tanggal 12 April 2021',
    ])
    expect(paragraphLines(paragraph(['KETENTUAN UMUM'], 'BAB I'))).toEqual(['BAB I', 'KETENTUAN UMUM'])
  })

  it('reads tabs and runs of spaces as one space and leaves out blank paragraphs', () => {
    expect(linesOf({ blocks: [paragraph(['Menimbang\t:\ta.\tbahwa  perlu;']), paragraph(['  ']), paragraph([''], null)], figures: 0 })).toEqual([
      'Menimbang : a. bahwa perlu;',
    ])
  })

  it('reads a layout table as its lines and keeps a data table after the first BAB as a table', () => {
    const cell = (...texts: string[]) => texts.map((text) => paragraph([text]))
    const lines = linesOf({
      blocks: [
        { kind: 'table', rows: [[cell('Menimbang'), cell(':'), [paragraph(['bahwa perlu;'], 'a.')]]] },
        paragraph(['BAB I', 'UMUM']),
        {
          kind: 'table',
          rows: [
            [cell('No'), cell('Nama Data')],
            [cell('1'), cell('Jumlah', 'Penduduk')],
          ],
        },
      ],
      figures: 0,
    })
    expect(lines).toEqual([
      'Menimbang',
      ':',
      'a. bahwa perlu;',
      'BAB I',
      'UMUM',
      {
        table: [
          ['No', 'Nama Data'],
          ['1', 'Jumlah Penduduk'],
        ],
      },
    ])
  })
})
