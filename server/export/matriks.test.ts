import { describe, expect, it } from 'vitest'
import { bab, pasal, regulation } from '../../shared/model/builders.js'
import { numberDocument } from '../../shared/model/numbering.js'
import type { Suggestion } from '../../shared/suggestions.js'
import { matriksRows } from './matriks.js'

const doc = regulation({
  nama: 'PENGELOLAAN DATA',
  menimbang: ['bahwa data perlu dikelola;'],
  mengingat: ['Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;'],
  batangTubuh: [bab('KETENTUAN UMUM', pasal('Data dikelola oleh Dinas.'), pasal('Data dibagipakaikan.', 'Data dikecualikan bila rahasia.'))],
  penutup: [],
})
const [pasal1, pasal2] = numberDocument(doc).labels.filter((l) => l.kind === 'pasal')

const DEWI = { id: 'd', username: 'dewi', name: 'Dewi', bidang: 'Biro Hukum' }
const RINA = { id: 'r', username: 'rina', name: 'Rina', bidang: 'Aptika' }
let counter = 0
const suggestion = (pasalId: string, quote: string, change: Partial<Suggestion> = {}): Suggestion => ({
  id: `s${++counter}`,
  docId: 'd',
  kind: 'text',
  anchor: { pasalId, range: { from: 'AA==', to: 'AA==', quote } },
  insert: 'baru',
  status: 'open',
  author: DEWI,
  createdAt: `2026-11-30T0${counter}:00:00.000Z`,
  updatedAt: `2026-11-30T0${counter}:00:00.000Z`,
  origin: { pasalLabel: 'Pasal 1' },
  replies: [],
  ...change,
})

describe('the rows of the matriks harmonisasi', () => {
  it('groups suggestions per Pasal in document order, with the ayat, the quote over two ayat, the decision, and a gone Pasal last', () => {
    const gone = suggestion('hilang', 'lama', { origin: { pasalLabel: 'Pasal 9' } })
    const span = suggestion(pasal2!.id!, 'dibagipakaikan.\nData\ufffc', { insert: 'dibagi.', note: 'Ringkas.\nLebih jelas.' })
    const decided = suggestion(pasal1!.id!, 'Dinas', { status: 'accepted', decidedBy: RINA, decidedAt: '2026-11-30T06:30:00.000Z' })
    const stale = suggestion(pasal1!.id!, 'Data', { status: 'stale', current: 'Informasi', insert: '' })
    const ayat2 = doc.resolve(pasal2!.pos + 1).posAtIndex(1) + 2
    const rows = matriksRows(doc, [gone, span, decided, stale], [{ suggestion: span, from: ayat2, to: ayat2 + 4 }])
    expect(rows.map((r) => [r.pasal, r.ayat])).toEqual([
      ['Pasal 1', ''],
      ['Pasal 1', ''],
      ['Pasal 2', 'ayat (2)'],
      ['Pasal 9 (dihapus)', ''],
    ])
    const text = (lines: readonly (readonly { text: string }[])[]) => lines.map((line) => line.map((run) => run.text).join(''))
    expect(text(rows[0]!.keputusan)).toEqual(['Diterima', 'oleh Rina (Aptika)', '30 November 2026 pukul 14.30'])
    expect(text(rows[1]!.usulan)[0]).toBe('Dihapus.')
    expect(text(rows[1]!.keputusan)).toEqual(['Terbuka', 'Teks sudah berubah', 'Kini: “Informasi”'])
    expect(text(rows[2]!.semula)).toEqual(['“dibagipakaikan.', 'Data[rujukan]”'])
    expect(text(rows[2]!.usulan)).toEqual(['“dibagi.”', 'Diusulkan oleh Dewi (Biro Hukum), 30 November 2026 pukul 10.00'])
    expect(text(rows[2]!.alasan)).toEqual(['Ringkas.', 'Lebih jelas.'])
  })
})
