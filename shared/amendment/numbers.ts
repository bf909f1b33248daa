import { huruf, ordinal, roman } from '../model/ordinals.js'
import type { UnitKind } from './points.js'

/**
 * How an amendment numbers units (pergub.md §1.10, Lampiran II UU 12/2011 C.5): the base's numbers
 * never shift. A unit inserted after base unit n takes n and a suffix (Pasal 8A, 8B; ayat (2a);
 * BAB VA; angka 6a; huruf c1), one added after the last unit of its scope takes the next number
 * (ayat (4) after ayat (3)), and a deleted unit keeps its number and reads "Dihapus.".
 */

/** The n-th number (1-based) of a unit kind as the base writes it: BAB "III", Bagian "Kedua", Pasal "5", huruf "c". */
export function formatNumber(kind: UnitKind, n: number): string {
  switch (kind) {
    case 'bab':
    case 'lampiran':
      return roman(n)
    case 'bagian':
      return ordinal(n)
    case 'huruf':
      return huruf(n)
    default:
      return String(n)
  }
}

/** A, B, … Z, AA, AB, …: the k-th suffix letter (1-based). */
function letters(k: number): string {
  let out = ''
  for (let n = k; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out
  return out
}

/**
 * The number of the k-th unit (1-based) inserted after the base unit numbered `after`: Pasal
 * "8" → "8A", ayat "2" → "2a", BAB "V" → "VA", Bagian "Kedua" → "Kedua A", huruf "c" → "c1"
 * (a letter after a letter would read as another huruf, so huruf take a digit).
 */
export function suffixNumber(kind: UnitKind, after: string, k: number): string {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`suffixNumber: unsupported index ${k}`)
  switch (kind) {
    case 'ayat':
    case 'angka':
      return `${after}${letters(k).toLowerCase()}`
    case 'huruf':
      return `${after}${k}`
    case 'bagian':
      return `${after} ${letters(k)}`
    default:
      return `${after}${letters(k)}`
  }
}

/** The placeholder text a deleted unit keeps in the consolidated text. */
export const DIHAPUS = 'Dihapus.'

/** Whether a text reads as the placeholder of a deleted unit ("Dihapus.", "dihapus;", a huruf's "dihapus; dan"). */
export const readsDihapus = (text: string): boolean => /^dihapus[.;,]?( (dan\/atau|dan|atau))?$/i.test(text.replace(/\s+/g, ' ').trim())
