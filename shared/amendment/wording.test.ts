import { describe, expect, it } from 'vitest'
import { wordPasalI, wordPasalII, wordPoint } from './wording.js'
import type { UnitAddress } from './points.js'

const pasal = (n: string): UnitAddress => [{ kind: 'pasal', number: n }]
const ayat = (p: string, n: string): UnitAddress => [...pasal(p), { kind: 'ayat', number: n }]
const whole = (p: string) => [{ address: pasal(p), node: {} }]

describe('amendment wording', () => {
  it('names three ayat with commas and "dan", innermost first', () => {
    expect(wordPoint({ action: 'diubah', units: [ayat('7', '2'), ayat('7', '3'), ayat('7', '5')], quoted: whole('7') })).toBe(
      'Ketentuan ayat (2), ayat (3), dan ayat (5) Pasal 7 diubah sehingga Pasal 7 berbunyi sebagai berikut:',
    )
  })

  it('words an inserted ayat and an inserted BAB as Lampiran II does', () => {
    expect(wordPoint({ action: 'disisipkan', units: [ayat('10', '2a')], between: [ayat('10', '2'), ayat('10', '3')], quoted: whole('10') })).toBe(
      'Di antara ayat (2) dan ayat (3) Pasal 10 disisipkan 1 (satu) ayat, yakni ayat (2a) sehingga Pasal 10 berbunyi sebagai berikut:',
    )
    const bab = (n: string): UnitAddress => [{ kind: 'bab', number: n }]
    expect(
      wordPoint({ action: 'disisipkan', units: [bab('VIA')], between: [bab('VI'), bab('VII')], quoted: [{ address: bab('VIA'), node: {} }] }),
    ).toBe('Di antara BAB VI dan BAB VII disisipkan 1 (satu) bab, yakni BAB VIA sehingga berbunyi sebagai berikut:')
  })

  it('words a Lampiran replaced whole with the name of the amending regulation', () => {
    const lampiran: UnitAddress = [{ kind: 'lampiran', number: 'II' }]
    expect(wordPoint({ action: 'diubah', units: [lampiran], quoted: [{ address: lampiran, node: {} }] }, { jenisName: 'Peraturan Wali Kota' })).toBe(
      'Lampiran II diubah sehingga menjadi sebagaimana tercantum dalam Lampiran II yang merupakan bagian tidak terpisahkan dari Peraturan Wali Kota ini.',
    )
  })

  it('numbers the points of Pasal I only when there are two or more, and words Pasal II', () => {
    const one = wordPasalI([{ action: 'dihapus', units: [pasal('11')] }], { title: 'Peraturan Gubernur Nomor 12 Tahun 2021 tentang Uji' })
    expect(one).toEqual({
      opening: 'Ketentuan dalam Peraturan Gubernur Nomor 12 Tahun 2021 tentang Uji diubah sebagai berikut:',
      points: ['Pasal 11 dihapus.'],
    })
    const two = wordPasalI(
      [
        { action: 'dihapus', units: [pasal('11')] },
        { action: 'dihapus', units: [pasal('12')] },
      ],
      { title: 'X' },
    )
    expect(two.points).toEqual(['1. Pasal 11 dihapus.', '2. Pasal 12 dihapus.'])
    expect(wordPasalII()).toBe('Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.')
  })
})
