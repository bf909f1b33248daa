import type { AmendmentAction, AmendmentPoint, UnitAddress, UnitKind, UnitStep } from '../../shared/amendment/points.js'

/**
 * The instruction of one amendment point of Pasal I, in the wording Lampiran II UU 12/2011 (C.5)
 * prescribes: "Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:", "Ketentuan ayat (2)
 * Pasal 7 diubah sehingga Pasal 7 berbunyi …", "Di antara Pasal 8 dan Pasal 9 disisipkan 1 (satu)
 * pasal, yakni Pasal 8A sehingga …", "Ketentuan Pasal 5 ditambah 1 (satu) ayat, yakni ayat (3) …",
 * "Pasal 11 dihapus.", "Judul BAB III diubah …", "Lampiran diubah sehingga menjadi sebagaimana
 * tercantum dalam Lampiran …". Pure: the quoted unit after it is read by the body's recognisers.
 */

/** A point's instruction read: the point without its quoted node, and what (if anything) it quotes. */
export interface Instruction {
  readonly point: Omit<AmendmentPoint, 'quoted'>
  /** The unit quoted after "sehingga … berbunyi sebagai berikut:", or the Lampiran it replaces; null when nothing is quoted. */
  readonly quotes: UnitAddress | null
}

/** Units one point may name: far above any real point ("ayat (1), ayat (3), dan ayat (4)"), to bound hostile phrases. */
export const MAX_UNITS_PER_POINT = 50

/** Outermost first: a step may only stand inside steps of a lower rank. */
const RANK: Readonly<Record<UnitKind, number>> = { lampiran: 0, bab: 1, bagian: 2, paragraf: 3, pasal: 4, ayat: 5, huruf: 6, angka: 7 }
const STEP = /^(BAB|Bagian|Paragraf|Pasal|ayat|huruf|angka|Lampiran)\s+(\(\d{1,3}[a-z]?\)|[A-Za-z0-9]{1,12})(?:\s+|$)/i
const SEPARATOR = /\s*,\s*(?:dan\s+|atau\s+)?|\s+(?:dan|serta)\s+/
const BERBUNYI = String.raw`sehingga\s+(?:(.+?)\s+)?berbunyi\s+sebagai\s+berikut\s*:?`
const COUNT = String.raw`(?:\d{1,3}\s*\([^)]{1,40}\)\s+)?\S+(?:\s+baru)?,?\s+yakni`

const PATTERNS: ReadonlyArray<{ action: AmendmentAction | 'judul' | 'lampiran' | 'ditambahkan'; pattern: RegExp }> = [
  { action: 'lampiran', pattern: /^(Lampiran(?:\s+[IVXLCDM]{1,8})?)\s+diubah\s+sehingga\s+menjadi\s+sebagaimana\s+tercantum\s+dalam\s+.+$/i },
  { action: 'judul', pattern: new RegExp(String.raw`^Judul\s+(.+?)\s+diubah\s+${BERBUNYI}$`, 'i') },
  { action: 'disisipkan', pattern: new RegExp(String.raw`^Di\s+antara\s+(.+?)\s+dan\s+(.+?)\s+disisipkan\s+${COUNT}\s+(.+?),?\s+${BERBUNYI}$`, 'i') },
  { action: 'ditambahkan', pattern: new RegExp(String.raw`^(?:Ketentuan\s+)?(.+?)\s+ditambah(?:kan)?\s+${COUNT}\s+(.+?),?\s+${BERBUNYI}$`, 'i') },
  { action: 'dihapus', pattern: new RegExp(String.raw`^(?:Ketentuan\s+)?(.+?)\s+dihapus(?:,?\s+${BERBUNYI}|\s*\.?)$`, 'i') },
  { action: 'diubah', pattern: new RegExp(String.raw`^(?:Ketentuan\s+)?(.+?)\s+diubah,?\s+${BERBUNYI}$`, 'i') },
]

/** Whether a line can open an amendment point ("Ketentuan …", "Di antara …", "Pasal 11 dihapus."). */
export const isInstruction = (text: string) => /\b(diubah|disisipkan|ditambah|ditambahkan|dihapus)\b/i.test(text)

/** One address ("huruf c ayat (2) Pasal 4", or outermost first "Pasal 1 angka 4"), outermost first; null if not one. */
function readAddress(phrase: string): UnitStep[] | null {
  const steps: UnitStep[] = []
  let rest = phrase.trim()
  while (rest) {
    const match = STEP.exec(rest)
    if (!match || steps.length >= 8) return null
    // STEP admits only the kinds' names, so the word in lower case is the kind.
    const kind = match[1]!.toLowerCase() as UnitKind
    const raw = match[2]!.replace(/[()]/g, '')
    steps.push({ kind, number: kind === 'bab' || kind === 'lampiran' ? raw.toUpperCase() : raw })
    rest = rest.slice(match[0].length)
  }
  if (!steps.length) return null
  // Lampiran II names units innermost first ("ayat (2) Pasal 7"); "Pasal 1 angka 4" is outermost first.
  const ordered = RANK[steps[0]!.kind] <= RANK[steps.at(-1)!.kind] ? steps : steps.reverse()
  for (let i = 1; i < ordered.length; i++) if (RANK[ordered[i]!.kind] <= RANK[ordered[i - 1]!.kind] && ordered[i]!.kind !== 'angka') return null
  return ordered
}

/** `address` inside `context`: the context's steps outside the address's outermost one, then the address. */
function within(address: UnitAddress, context: UnitAddress): UnitAddress {
  const outer = RANK[address[0]!.kind]
  return [...context.filter((step) => RANK[step.kind] < outer), ...address]
}

/**
 * A list of addresses ("ayat (2) dan ayat (3) Pasal 10", "Pasal 8, Pasal 9, dan Pasal 10"), each
 * completed with the outer steps the last one names; null when any part is no address.
 */
export function readAddresses(phrase: string, context: UnitAddress = []): UnitAddress[] | null {
  const parts = phrase.split(SEPARATOR).filter(Boolean)
  if (!parts.length || parts.length > MAX_UNITS_PER_POINT) return null
  const addresses: UnitStep[][] = []
  for (const part of parts) {
    const address = readAddress(part)
    if (!address) return null
    addresses.push(address)
  }
  const last = within(addresses.at(-1)!, context)
  return addresses.map((address) => within(address, last))
}

/** The instruction of a point's first line ("Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:"), or null. */
export function readInstruction(line: string): Instruction | null {
  const text = line.replace(/\s+/g, ' ').trim()
  for (const { action, pattern } of PATTERNS) {
    const match = pattern.exec(text)
    if (match) return instruction(action, match)
  }
  return null
}

function instruction(kind: (typeof PATTERNS)[number]['action'], match: RegExpExecArray): Instruction | null {
  /** What "sehingga X berbunyi" names, else the point's own single unit. */
  const quoted = (phrase: string | undefined, units: readonly UnitAddress[], context: UnitAddress = []) => {
    if (phrase === undefined) return units.length === 1 ? units[0]! : null
    const named = readAddresses(phrase, context)
    return named?.length === 1 ? named[0]! : null
  }
  switch (kind) {
    case 'lampiran': {
      const number = /\s([IVXLCDM]+)$/.exec(match[1]!)?.[1] ?? 'I'
      const address: UnitAddress = [{ kind: 'lampiran', number }]
      return { point: { action: 'diubah', units: [address] }, quotes: address }
    }
    case 'judul': {
      const units = readAddresses(match[1]!)
      if (!units) return null
      const quotes = quoted(match[2], units)
      return quotes && { point: { action: 'diubah', units, aspect: 'judul' }, quotes }
    }
    case 'disisipkan': {
      const between = readAddresses(`${match[1]} dan ${match[2]}`)
      if (!between || between.length !== 2) return null
      const units = readAddresses(match[3]!, between[1])
      if (!units) return null
      const quotes = quoted(match[4], units, between[1])
      return quotes && { point: { action: 'disisipkan', units, between: [between[0]!, between[1]!] }, quotes }
    }
    case 'ditambahkan': {
      const target = readAddresses(match[1]!)
      if (!target || target.length !== 1) return null
      const units = readAddresses(match[2]!, target[0])
      if (!units) return null
      const quotes = quoted(match[3], target, target[0])
      return quotes && { point: { action: 'ditambahkan', units }, quotes }
    }
    case 'dihapus':
    case 'diubah': {
      const units = readAddresses(match[1]!)
      if (!units) return null
      const says = match[0].includes('berbunyi')
      if (!says) return kind === 'dihapus' ? { point: { action: 'dihapus', units }, quotes: null } : null
      const quotes = quoted(match[2], units, units.at(-1))
      return quotes && { point: { action: kind, units }, quotes }
    }
  }
}
