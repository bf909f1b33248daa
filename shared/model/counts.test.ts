import { describe, expect, it } from 'vitest'
import { ayat, bab, pasal, regulation } from './builders.js'
import { countDraft, countWords } from './counts.js'

describe('draft counts', () => {
  it('counts words as runs of letters and digits, hyphenated and numbered ones once', () => {
    expect(countWords('Data antar-Perangkat Daerah senilai Rp2.500,00 (dua ribu).')).toBe(7)
    expect(countWords('  ')).toBe(0)
  })

  it('counts the Pasal, every ayat and the words of every text block', () => {
    const doc = regulation({
      nama: 'UJI COBA',
      menimbang: ['bahwa satu;'],
      mengingat: ['UUD 1945;'],
      batangTubuh: [bab('UMUM', pasal('Satu dua tiga.'), pasal('Empat.', ayat('Lima:', { items: ['enam;', 'tujuh.'] })))],
    })
    expect(countDraft(doc)).toEqual({ words: 2 + 2 + 2 + 1 + 3 + 1 + 1 + 1 + 1, pasal: 2, ayat: 3 })
  })
})
