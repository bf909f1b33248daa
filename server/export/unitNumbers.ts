/**
 * The values of the numbers amendment points name units by, as written in the base: BAB and
 * Lampiran in Roman numerals ("IV"), Bagian as ordinal words ("Kedua"). Both the AKN eIds and the
 * tabel perbandingan count with them.
 */

const ROMAN: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 }
const ORDINALS = ['kesatu', 'kedua', 'ketiga', 'keempat', 'kelima', 'keenam', 'ketujuh', 'kedelapan', 'kesembilan', 'kesepuluh']

/** "XIV" → 14; NaN for anything that is not a Roman numeral. */
export function romanValue(numeral: string): number {
  if (!/^[IVXLCDM]+$/.test(numeral)) return Number.NaN
  const values = [...numeral].map((c) => ROMAN[c]!)
  return values.reduce((sum, v, i) => sum + (v < (values[i + 1] ?? 0) ? -v : v), 0)
}

/** "Kedua" → 2; NaN for a word that is no ordinal of a Bagian. */
export const ordinalValue = (word: string) => ORDINALS.indexOf(word.toLowerCase()) + 1 || Number.NaN
