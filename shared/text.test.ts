import { describe, expect, it } from 'vitest'
import { findUnprintable, hasUnprintable, withoutUnprintable } from './text.js'

const printable = ['Bidang Persandian', 'baris satu\nbaris dua\r\n\tmenjorok', 'Rapat 😀 selesai', 'Ä ñ é', '\ufffd', '\ud83f\udffd', '𝔸']
const unprintable = [
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  'nul\u0000',
  'stx\u0002',
  'bel\u0007',
  'vt\u000b',
  'ff\u000c',
  '\u001b[31m',
  'del\u007f',
  'c1\u0085',
  'c1\u009f',
  'nc\ufffe',
  'nc\uffff',
  'nc\ufdd0',
  'plane1\ud83f\udffe',
  'plane16\udbff\udfff',
]

describe('hasUnprintable', () => {
  it('accepts ordinary text, line breaks, tabs, the replacement character and characters outside the BMP', () => {
    for (const text of printable) expect(hasUnprintable(text), JSON.stringify(text)).toBe(false)
  })

  it('refuses lone surrogates, control characters (C0 but tab and line breaks, DEL, C1) and non-characters', () => {
    for (const text of unprintable) expect(hasUnprintable(text), JSON.stringify(text)).toBe(true)
  })
})

describe('withoutUnprintable', () => {
  it('removes exactly what hasUnprintable refuses, keeping everything else', () => {
    for (const text of printable) expect(withoutUnprintable(text)).toBe(text)
    for (const text of unprintable) expect(hasUnprintable(withoutUnprintable(text)), JSON.stringify(text)).toBe(false)
    expect(withoutUnprintable('Pa\u000bsal\u000c 1\u0002 ayat\ufffe (2)\uffff')).toBe('Pasal 1 ayat (2)')
    expect(withoutUnprintable('a\ud83d\ude00b\ud800c')).toBe('a😀bc')
  })
})

describe('findUnprintable', () => {
  it('finds each unprintable character, a non-character outside the BMP as one', () => {
    expect(findUnprintable('a\u000bb\ud83f\udfffc\ud800')).toEqual([
      { from: 1, to: 2 },
      { from: 3, to: 5 },
      { from: 6, to: 7 },
    ])
    expect(findUnprintable('biasa 😀')).toEqual([])
  })
})
