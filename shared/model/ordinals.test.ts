import { describe, expect, it } from 'vitest'
import { huruf, ordinal, roman, terbilang } from './ordinals.js'

describe('ordinals', () => {
  it('names Bagian with Kesatu, never Pertama, and spells teens and tens', () => {
    expect([1, 2, 3, 4, 9, 10, 11, 12, 19, 20, 21].map(ordinal)).toEqual([
      'Kesatu',
      'Kedua',
      'Ketiga',
      'Keempat',
      'Kesembilan',
      'Kesepuluh',
      'Kesebelas',
      'Kedua Belas',
      'Kesembilan Belas',
      'Kedua Puluh',
      'Kedua Puluh Satu',
    ])
  })

  it('spells numbers in words for "2 (dua)" style', () => {
    expect(terbilang(5)).toBe('lima')
    expect(terbilang(100)).toBe('seratus')
    expect(terbilang(245)).toBe('dua ratus empat puluh lima')
  })

  it('writes BAB numbers in Roman numerals', () => {
    expect([1, 4, 9, 10, 14, 40, 90, 2026].map(roman)).toEqual(['I', 'IV', 'IX', 'X', 'XIV', 'XL', 'XC', 'MMXXVI'])
  })

  it('continues huruf after z with aa, bb', () => {
    expect([1, 2, 26, 27, 28, 53].map(huruf)).toEqual(['a', 'b', 'z', 'aa', 'bb', 'aaa'])
  })

  it('rejects numbers it cannot name', () => {
    expect(() => roman(0)).toThrow(RangeError)
    expect(() => terbilang(1000)).toThrow(RangeError)
    expect(() => huruf(1.5)).toThrow(RangeError)
  })
})
