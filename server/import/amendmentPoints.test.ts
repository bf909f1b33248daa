import { describe, expect, it } from 'vitest'
import { MAX_UNITS_PER_POINT, readAddresses, readInstruction } from './amendmentPoints.js'

const pasal = (number: string) => ({ kind: 'pasal', number }) as const
const ayat = (number: string) => ({ kind: 'ayat', number }) as const

describe('the instruction of an amendment point', () => {
  it('reads a Pasal changed as a whole, quoting that Pasal', () => {
    expect(readInstruction('Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:')).toEqual({
      point: { action: 'diubah', units: [[pasal('5')]] },
      quotes: [pasal('5')],
    })
  })

  it('reads changed ayat, innermost first in the text, completed with their Pasal, quoting the Pasal it names', () => {
    expect(readInstruction('Ketentuan ayat (2) dan ayat (4) Pasal 7 diubah sehingga Pasal 7 berbunyi sebagai berikut:')).toEqual({
      point: {
        action: 'diubah',
        units: [
          [pasal('7'), ayat('2')],
          [pasal('7'), ayat('4')],
        ],
      },
      quotes: [pasal('7')],
    })
  })

  it('reads an insertion between Pasal with its suffix number, and between ayat of one Pasal', () => {
    expect(readInstruction('Di antara Pasal 8 dan Pasal 9 disisipkan 1 (satu) pasal, yakni Pasal 8A sehingga berbunyi sebagai berikut:')).toEqual({
      point: { action: 'disisipkan', units: [[pasal('8A')]], between: [[pasal('8')], [pasal('9')]] },
      quotes: [pasal('8A')],
    })
    expect(
      readInstruction(
        'Di antara ayat (2) dan ayat (3) Pasal 10 disisipkan 1 (satu) ayat, yakni ayat (2a), sehingga Pasal 10 berbunyi sebagai berikut:',
      ),
    ).toEqual({
      point: {
        action: 'disisipkan',
        units: [[pasal('10'), ayat('2a')]],
        between: [
          [pasal('10'), ayat('2')],
          [pasal('10'), ayat('3')],
        ],
      },
      quotes: [pasal('10')],
    })
  })

  it('reads an ayat or huruf added at the end of a unit', () => {
    expect(readInstruction('Ketentuan Pasal 12 ditambah 1 (satu) ayat, yakni ayat (4) sehingga Pasal 12 berbunyi sebagai berikut:')).toEqual({
      point: { action: 'ditambahkan', units: [[pasal('12'), ayat('4')]] },
      quotes: [pasal('12')],
    })
    expect(
      readInstruction('Ketentuan ayat (2) Pasal 4 ditambahkan 1 (satu) huruf, yakni huruf d sehingga Pasal 4 berbunyi sebagai berikut:'),
    ).toEqual({
      point: { action: 'ditambahkan', units: [[pasal('4'), ayat('2'), { kind: 'huruf', number: 'd' }]] },
      quotes: [pasal('4')],
    })
  })

  it('reads deletions with and without the Pasal quoted after them', () => {
    expect(readInstruction('Pasal 11 dihapus.')).toEqual({ point: { action: 'dihapus', units: [[pasal('11')]] }, quotes: null })
    expect(readInstruction('Ketentuan ayat (3) Pasal 12 dihapus sehingga Pasal 12 berbunyi sebagai berikut:')).toEqual({
      point: { action: 'dihapus', units: [[pasal('12'), ayat('3')]] },
      quotes: [pasal('12')],
    })
  })

  it("reads a changed BAB title as the BAB's judul, a BAB inserted between two, and a changed Lampiran", () => {
    expect(readInstruction('Judul BAB III diubah sehingga berbunyi sebagai berikut:')).toEqual({
      point: { action: 'diubah', units: [[{ kind: 'bab', number: 'III' }]], aspect: 'judul' },
      quotes: [{ kind: 'bab', number: 'III' }],
    })
    expect(readInstruction('Di antara BAB V dan BAB VI disisipkan 1 (satu) BAB, yakni BAB VA sehingga berbunyi sebagai berikut:')?.point).toEqual({
      action: 'disisipkan',
      units: [[{ kind: 'bab', number: 'VA' }]],
      between: [[{ kind: 'bab', number: 'V' }], [{ kind: 'bab', number: 'VI' }]],
    })
    expect(
      readInstruction(
        'Lampiran II diubah sehingga menjadi sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak terpisahkan dari Peraturan Gubernur ini.',
      ),
    ).toEqual({ point: { action: 'diubah', units: [[{ kind: 'lampiran', number: 'II' }]] }, quotes: [{ kind: 'lampiran', number: 'II' }] })
  })

  it('reads a definition named outermost first ("Pasal 1 angka 4")', () => {
    expect(readInstruction('Ketentuan Pasal 1 angka 4 diubah sehingga Pasal 1 berbunyi sebagai berikut:')?.point.units).toEqual([
      [pasal('1'), { kind: 'angka', number: '4' }],
    ])
  })

  it('reads no instruction from a sentence outside the grammar or an address that is not one', () => {
    expect(readInstruction('Ketentuan Pasal 13 diganti seluruhnya oleh Lampiran.')).toBeNull()
    expect(readInstruction('Ketentuan Pasal lima diubah sehingga berbunyi sebagai berikut:')?.point.units).toEqual([[pasal('lima')]])
    expect(readInstruction('Ketentuan dalam peraturan ini diubah sehingga berbunyi sebagai berikut:')).toBeNull()
  })

  it('refuses an address list longer than any real point, and reads no instruction from a long hostile phrase', () => {
    const many = Array.from({ length: MAX_UNITS_PER_POINT + 1 }, (_, i) => `ayat (${i + 1})`).join(', ')
    expect(readAddresses(`${many} Pasal 3`)).toBeNull()
    const hostile = `Ketentuan ${'Pasal 1 dan '.repeat(80)} diubah sehingga ${'x '.repeat(400)}`
    const started = performance.now()
    expect(readInstruction(hostile)).toBeNull()
    console.log(`hostile instruction of ${hostile.length} characters read in ${(performance.now() - started).toFixed(1)} ms`)
  })
})
