/** Number words and numeral styles that Lampiran II of UU 12/2011 prescribes for labels. */

const ONES = ['', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh', 'sebelas']

/** Indonesian number words, lower case: 12 → "dua belas", 21 → "dua puluh satu". Defined for 1–999. */
export function terbilang(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new RangeError(`terbilang: unsupported number ${n}`)
  if (n < 12) return ONES[n]!
  if (n < 20) return `${ONES[n - 10]} belas`
  if (n < 100) {
    const tens = Math.floor(n / 10)
    const rest = n % 10
    return `${ONES[tens]} puluh${rest ? ` ${ONES[rest]}` : ''}`
  }
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  return `${hundreds === 1 ? 'seratus' : `${ONES[hundreds]} ratus`}${rest ? ` ${terbilang(rest)}` : ''}`
}

const capitalizeWords = (s: string) => s.replace(/(^|\s)\S/g, (c) => c.toUpperCase())

/** Ordinal for Bagian: 1 → "Kesatu" (never "Pertama"), 12 → "Kedua Belas", 21 → "Kedua Puluh Satu". */
export function ordinal(n: number): string {
  return capitalizeWords(`ke${terbilang(n)}`)
}

const ROMAN: Array<[number, string]> = [
  [1000, 'M'],
  [900, 'CM'],
  [500, 'D'],
  [400, 'CD'],
  [100, 'C'],
  [90, 'XC'],
  [50, 'L'],
  [40, 'XL'],
  [10, 'X'],
  [9, 'IX'],
  [5, 'V'],
  [4, 'IV'],
  [1, 'I'],
]

/** Roman numeral for BAB and Lampiran: 4 → "IV". */
export function roman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new RangeError(`roman: unsupported number ${n}`)
  let out = ''
  for (const [value, symbol] of ROMAN) {
    while (n >= value) {
      out += symbol
      n -= value
    }
  }
  return out
}

/** Letter for huruf items: 1 → "a", 26 → "z", then "aa", "bb", … as drafting practice continues. */
export function huruf(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`huruf: unsupported number ${n}`)
  const letter = String.fromCharCode(97 + ((n - 1) % 26))
  return letter.repeat(Math.floor((n - 1) / 26) + 1)
}
