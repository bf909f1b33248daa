import { describe, expect, it } from 'vitest'
import { decodeNumbering, formatNumber, WordNumbering } from './wordNumbering.js'
import { parseXml } from './wordXml.js'

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

interface Lvl {
  readonly fmt: string
  readonly text: string
  readonly start?: number
  readonly restart?: number
  readonly legal?: boolean
}

const lvl = (ilvl: number, { fmt, text, start, restart, legal }: Lvl) =>
  `<w:lvl w:ilvl="${ilvl}">${start === undefined ? '' : `<w:start w:val="${start}"/>`}<w:numFmt w:val="${fmt}"/>` +
  `${restart === undefined ? '' : `<w:lvlRestart w:val="${restart}"/>`}${legal ? '<w:isLgl/>' : ''}<w:lvlText w:val="${text}"/></w:lvl>`

const abstract = (id: number, levels: readonly Lvl[]) =>
  `<w:abstractNum w:abstractNumId="${id}">${levels.map((level, i) => lvl(i, level)).join('')}</w:abstractNum>`

const num = (id: number, abstractId: number, overrides = '') => `<w:num w:numId="${id}"><w:abstractNumId w:val="${abstractId}"/>${overrides}</w:num>`

const numbering = (...parts: string[]) => new WordNumbering(decodeNumbering(parseXml(`<w:numbering ${W}>${parts.join('')}</w:numbering>`)))

/** Lettered Menimbang, ayat "(1)" with rincian a./1./a)/1) below, as drafters set them up in Word. */
const PASAL_LEVELS: Lvl[] = [
  { fmt: 'decimal', text: '(%1)', start: 1 },
  { fmt: 'lowerLetter', text: '%2.', start: 1 },
  { fmt: 'decimal', text: '%3.', start: 1 },
  { fmt: 'lowerLetter', text: '%4)', start: 1 },
  { fmt: 'decimal', text: '%5)', start: 1 },
]

describe('Word numbering labels (numbering.xml)', () => {
  it('shows each level in its format and text: (1), a., 1., a), 1)', () => {
    const word = numbering(abstract(1, PASAL_LEVELS), num(1, 1))
    const labels = [0, 1, 2, 3, 4, 4, 3, 2, 1, 0].map((ilvl) => word.labelOf('1', ilvl))
    expect(labels).toEqual(['(1)', 'a.', '1.', 'a)', '1)', '2)', 'b)', '2.', 'b.', '(2)'])
  })

  it('restarts the levels below a numbered level, so each ayat letters its rincian from a', () => {
    const word = numbering(abstract(1, PASAL_LEVELS), num(1, 1))
    expect([0, 1, 1, 0, 1, 2, 2, 1].map((ilvl) => word.labelOf('1', ilvl))).toEqual(['(1)', 'a.', 'b.', '(2)', 'a.', '1.', '2.', 'b.'])
  })

  it('continues a list across lists that share one definition, and restarts one with a startOverride', () => {
    const word = numbering(
      abstract(7, [{ fmt: 'lowerLetter', text: '%1.', start: 1 }]),
      num(1, 7),
      num(2, 7),
      num(3, 7, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'),
      num(4, 7, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'),
    )
    expect([word.labelOf('1', 0), word.labelOf('1', 0), word.labelOf('2', 0)]).toEqual(['a.', 'b.', 'c.'])
    // Two Pasal whose ayat lists each restart (the docx package and Word's "Restart numbering" write this).
    expect([word.labelOf('3', 0), word.labelOf('3', 0), word.labelOf('4', 0), word.labelOf('3', 0)]).toEqual(['a.', 'b.', 'a.', 'c.'])
  })

  it('starts at w:start and at zero when it is left out, as ECMA-376 says', () => {
    const word = numbering(
      abstract(1, [{ fmt: 'decimal', text: '%1.', start: 5 }]),
      abstract(2, [{ fmt: 'decimal', text: '%1.' }]),
      num(1, 1),
      num(2, 2),
    )
    expect([word.labelOf('1', 0), word.labelOf('1', 0), word.labelOf('2', 0)]).toEqual(['5.', '6.', '0.'])
  })

  it('takes a level replaced in w:lvlOverride, and a lvlRestart that keeps a level counting', () => {
    const word = numbering(
      abstract(1, [
        { fmt: 'upperRoman', text: 'BAB %1', start: 1 },
        { fmt: 'decimal', text: 'Pasal %2', start: 1, restart: 0 },
      ]),
      num(1, 1),
      num(2, 1, `<w:lvlOverride w:ilvl="0">${lvl(0, { fmt: 'lowerRoman', text: '%1)', start: 3 })}</w:lvlOverride>`),
    )
    // Pasal numbers run on across BAB: lvlRestart 0 means never restart.
    expect([0, 1, 1, 0, 1].map((ilvl) => word.labelOf('1', ilvl))).toEqual(['BAB I', 'Pasal 1', 'Pasal 2', 'BAB II', 'Pasal 3'])
    expect(word.labelOf('2', 0)).toBe('iii)')
  })

  it('shows numbers of the levels above in a multi-level label, as decimals under isLgl', () => {
    const word = numbering(
      abstract(1, [
        { fmt: 'upperRoman', text: '%1.', start: 1 },
        { fmt: 'decimal', text: '%1.%2.', start: 1 },
        { fmt: 'decimal', text: '%1.%2.%3', start: 1, legal: true },
      ]),
      num(1, 1),
    )
    expect([0, 0, 1, 2].map((ilvl) => word.labelOf('1', ilvl))).toEqual(['I.', 'II.', 'II.1.', '2.1.1'])
  })

  it('gives no label for bullets, list 0, unknown lists and levels', () => {
    const word = numbering(abstract(1, [{ fmt: 'bullet', text: '•', start: 1 }]), num(1, 1))
    expect([word.labelOf('1', 0), word.labelOf('0', 0), word.labelOf('9', 0), word.labelOf('1', 4)]).toEqual([null, null, null, null])
    expect(new WordNumbering(decodeNumbering(null)).labelOf('1', 0)).toBeNull()
  })

  it('follows a numStyleLink to the definition that defines the style', () => {
    const word = numbering(
      `<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="DaftarAyat"/>${lvl(0, { fmt: 'decimal', text: '(%1)', start: 1 })}</w:abstractNum>`,
      `<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="DaftarAyat"/></w:abstractNum>`,
      num(5, 2),
    )
    expect([word.labelOf('5', 0), word.labelOf('5', 0)]).toEqual(['(1)', '(2)'])
  })

  it('formats letters past z as Word does (aa, bb), and roman numerals', () => {
    expect([1, 26, 27, 28, 53].map((n) => formatNumber(n, 'lowerLetter'))).toEqual(['a', 'z', 'aa', 'bb', 'aaa'])
    expect([4, 9, 14, 40, 1994].map((n) => formatNumber(n, 'upperRoman'))).toEqual(['IV', 'IX', 'XIV', 'XL', 'MCMXCIV'])
    expect([formatNumber(3, 'decimalZero'), formatNumber(3, 'ordinalText'), formatNumber(3, 'none')]).toEqual(['03', '3', ''])
  })

  it('refuses a part that declares entities', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><w:numbering>&a;</w:numbering>')).toThrow(RangeError)
  })
})
