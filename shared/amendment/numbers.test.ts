import { describe, expect, it } from 'vitest'
import { formatNumber, readsDihapus, suffixNumber } from './numbers.js'

describe('amendment numbers', () => {
  it('gives an inserted Pasal, Paragraf, BAB and Lampiran capital suffixes after the base number', () => {
    expect(suffixNumber('pasal', '8', 1)).toBe('8A')
    expect(suffixNumber('pasal', '8', 2)).toBe('8B')
    expect(suffixNumber('paragraf', '2', 1)).toBe('2A')
    expect(suffixNumber('bab', 'V', 1)).toBe('VA')
    expect(suffixNumber('lampiran', 'I', 1)).toBe('IA')
    expect(suffixNumber('pasal', '8', 27)).toBe('8AA')
  })

  it('gives an inserted ayat and angka small letters, a huruf a digit, and a Bagian a spaced capital', () => {
    expect(suffixNumber('ayat', '2', 1)).toBe('2a')
    expect(suffixNumber('angka', '6', 2)).toBe('6b')
    expect(suffixNumber('huruf', 'c', 1)).toBe('c1')
    expect(suffixNumber('bagian', 'Kedua', 1)).toBe('Kedua A')
  })

  it('writes base numbers as the base does', () => {
    expect(formatNumber('bab', 4)).toBe('IV')
    expect(formatNumber('bagian', 2)).toBe('Kedua')
    expect(formatNumber('huruf', 3)).toBe('c')
    expect(formatNumber('ayat', 3)).toBe('3')
  })

  it('reads the placeholder of a deleted unit whatever its case and closing mark', () => {
    expect(readsDihapus('Dihapus.')).toBe(true)
    expect(readsDihapus(' dihapus; ')).toBe(true)
    expect(readsDihapus('Dihapus dan diganti')).toBe(false)
  })

  it('refuses a suffix index below 1', () => {
    expect(() => suffixNumber('pasal', '8', 0)).toThrow(RangeError)
  })
})
