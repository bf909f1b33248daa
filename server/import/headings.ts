/**
 * How the headings and unit labels of a regulation look in a Word file as Rancang exports it, for
 * reading tracked changes back (`wordChanges.ts`): one heading per paragraph, labels at the start.
 */

export const BAB = /^BAB\s+[IVXLCDM]+$/i
export const BAGIAN = /^Bagian\s+Ke\S+$/i
export const PARAGRAF = /^Paragraf\s+\d+$/i
export const PASAL = /^Pasal\s+\d+[A-Z]?$/
/** Where the batang tubuh ends and the penutup begins. */
export const PENUTUP = /^Agar setiap orang mengetahuinya/i

/**
 * The unit label that starts a paragraph as laid out ("(2)", "a.", "1)", then a tab or spaces) and
 * where the unit's own text begins, or null.
 */
export function leadingLabel(text: string): { label: string; offset: number } | null {
  const match = /^\s*(\(\d{1,3}\)|[a-z][.)]|\d{1,3}[.)])\s+/.exec(text)
  return match ? { label: match[1]!, offset: match[0].length } : null
}
