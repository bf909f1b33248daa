/** Drafts as the API sends them and the server stores them (`v1/meta/<id>`), with their metadata. */
import type { AmendmentPoint } from './amendment/points.js'
import { hasUnprintable } from './text.js'
import type { Author } from './accounts.js'

/** The kinds of regional regulation a draft can be (CONTRACT.md, "Draft metadata"). */
export const JENIS = ['pergub', 'perbup', 'perwali', 'perda-provinsi', 'perda-kabupaten', 'perda-kota'] as const
export type Jenis = (typeof JENIS)[number]

/**
 * What a draft is: the kind of regulation, the region, the signing official, the place of enactment,
 * and its number and year (null while it is a draft). Every heading, closing formula and signature
 * block is derived from it.
 */
export interface DraftMeta {
  readonly jenis: Jenis
  /** The region without its level: "Kalimantan Timur", "Kutai Kartanegara", "Samarinda". */
  readonly daerah: string
  /** The signing official's title, as written in a sentence: "Bupati Kutai Kartanegara". */
  readonly pejabat: string
  /** Where it is enacted ("Ditetapkan di …"); empty when not known yet. */
  readonly tempat: string
  readonly nomor: string | null
  readonly tahun: number | null
}

/** A draft the server knows. Documents are created by the server, never by naming a room. */
export interface DocumentRecord {
  readonly id: string
  readonly title: string
  /** ISO 8601. */
  readonly createdAt: string
  /**
   * Random per creation. Browsers key their offline copy by it, so a draft deleted and created
   * again under the same id never merges with an old offline copy.
   */
  readonly epoch: string
  /** Records stored before metadata existed read as `DEFAULT_META` (see `withMeta`). */
  readonly meta: DraftMeta
  /**
   * Hidden from the document list (admins archive and unarchive; SPEC S23). Never deleted: an
   * archived draft opens, and is edited, as before. Absent on records never archived.
   */
  readonly archived?: boolean
}

/** Who last changed a draft's text, and when: stored with the batch that stored the change. */
export interface LastModified {
  /** ISO 8601. */
  readonly at: string
  readonly by: Author
}

/** A draft as `GET /api/docs` lists it: its record, whether it is archived, and its last change (null before the first). */
export interface DocumentListing extends DocumentRecord {
  readonly archived: boolean
  readonly modified: LastModified | null
}

/** Longest title of a draft, in characters. */
export const MAX_TITLE = 200

/** A title typed by someone renaming a draft: white space collapsed; null when empty, too long or not text. */
export function normaliseTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const title = value.replace(/\s+/g, ' ').trim()
  return title && title.length <= MAX_TITLE && !hasUnprintable(title) ? title : null
}

/**
 * One thing an import did not take over as it stood, in Indonesian: where in the draft ("Pasal 5
 * ayat (2)", "sebelum BAB I", "Lampiran I"), what was found, and what was done with it.
 */
export interface ImportReportEntry {
  readonly where: string
  readonly what: string
  readonly action: string
}

/** The regulation an amendment changes, as the amendment's judul cites it. */
export interface AmendmentBase {
  readonly jenis: Jenis
  readonly daerah: string
  readonly nomor: string
  readonly tahun: number
  /** The subject after its TENTANG, e.g. "SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK". */
  readonly nama: string
}

/**
 * The answer to `POST /api/docs/import`: the new draft (with the metadata recognised in the file),
 * how much of its structure was recognised, and the report of everything not taken over as it stood.
 */
export interface ImportedDocument extends DocumentRecord {
  /** An amendment regulation ("Perubahan atas …"): the base its judul cites (null when not recognised). */
  readonly base?: AmendmentBase | null
  /** An amendment regulation: the points of its Pasal I that could be read (the others are in `report`, with their text). */
  readonly points?: readonly AmendmentPoint[]
  readonly bab: number
  readonly pasal: number
  /** Numbered ayat (a Pasal of one ayat has none). */
  readonly ayat: number
  /** Rincian items at every depth. */
  readonly rincian: number
  readonly report: readonly ImportReportEntry[]
}

/** The level of government a jenis belongs to. */
export type Tingkat = 'provinsi' | 'kabupaten' | 'kota'

const TINGKAT: Record<Jenis, Tingkat> = {
  pergub: 'provinsi',
  perbup: 'kabupaten',
  perwali: 'kota',
  'perda-provinsi': 'provinsi',
  'perda-kabupaten': 'kabupaten',
  'perda-kota': 'kota',
}

/** The head of region of each level, as written in a sentence. */
const KEPALA_DAERAH: Record<Tingkat, string> = { provinsi: 'Gubernur', kabupaten: 'Bupati', kota: 'Wali Kota' }

export const tingkatOf = (jenis: Jenis): Tingkat => TINGKAT[jenis]
export const isPerda = (jenis: Jenis): boolean => jenis.startsWith('perda-')
export const isJenis = (value: unknown): value is Jenis => typeof value === 'string' && (JENIS as readonly string[]).includes(value)

/** The head of region who signs a regulation of this jenis: "Bupati" for a Perbup or a Perda kabupaten. */
export const kepalaDaerah = (jenis: Jenis): string => KEPALA_DAERAH[TINGKAT[jenis]]

/** The signing official derived from jenis and daerah: "Bupati Kutai Kartanegara". */
export const defaultPejabat = (jenis: Jenis, daerah: string): string => `${kepalaDaerah(jenis)} ${daerah}`.trim()

/** The sample's metadata, and what a draft stored before metadata existed reads as. */
export const DEFAULT_META: DraftMeta = {
  jenis: 'pergub',
  daerah: 'Kalimantan Timur',
  pejabat: 'Gubernur Kalimantan Timur',
  tempat: 'Samarinda',
  nomor: null,
  tahun: null,
}

/** Limits on each metadata text, in characters. */
export const META_LIMITS = { daerah: 100, pejabat: 150, tempat: 100, nomor: 40 } as const
/** The years a regional regulation can plausibly carry (the Republic's first regional regulations, to far ahead). */
export const TAHUN_RANGE = { min: 1945, max: 2100 } as const

/** Thrown by `normaliseMeta` for a field that is not acceptable; `field` names it. */
export class MetaError extends RangeError {
  constructor(
    readonly field: keyof DraftMeta,
    message: string,
  ) {
    super(message)
    this.name = 'MetaError'
  }
}

function text(field: keyof typeof META_LIMITS, value: unknown): string {
  if (typeof value !== 'string') throw new MetaError(field, `meta.${field} must be a string`)
  const trimmed = value.replace(/\s+/g, ' ').trim()
  if (trimmed.length > META_LIMITS[field] || hasUnprintable(trimmed)) {
    throw new MetaError(field, `meta.${field} must be at most ${META_LIMITS[field]} characters of text`)
  }
  return trimmed
}

/**
 * Applies `change` (untrusted: from the API or a file) to `base`: fields left out keep `base`'s
 * value, strings are trimmed and their runs of white space collapsed. When jenis or daerah changes
 * and `pejabat` is left out, a pejabat that was derived is derived again; one typed by hand is kept.
 * A `tempat` left out when the daerah changes becomes the daerah itself for a kota (its seat) and
 * empty otherwise. Throws `MetaError` naming the first unacceptable field.
 */
export function normaliseMeta(change: unknown, base: DraftMeta = DEFAULT_META): DraftMeta {
  if (change === undefined || change === null) return base
  if (typeof change !== 'object' || Array.isArray(change)) throw new MetaError('jenis', 'meta must be an object')
  const input = change as Partial<Record<keyof DraftMeta, unknown>>

  if (input.jenis !== undefined && !isJenis(input.jenis)) throw new MetaError('jenis', `meta.jenis must be one of ${JENIS.join(', ')}`)
  const jenis = input.jenis ?? base.jenis
  const daerah = input.daerah === undefined ? base.daerah : text('daerah', input.daerah)
  if (!daerah) throw new MetaError('daerah', 'meta.daerah must not be empty')
  const regionChanged = jenis !== base.jenis || daerah !== base.daerah

  let pejabat: string
  if (input.pejabat !== undefined && text('pejabat', input.pejabat)) pejabat = text('pejabat', input.pejabat)
  else if (input.pejabat === undefined && !(regionChanged && base.pejabat === defaultPejabat(base.jenis, base.daerah))) pejabat = base.pejabat
  else pejabat = defaultPejabat(jenis, daerah)

  let tempat: string
  if (input.tempat !== undefined) tempat = text('tempat', input.tempat)
  else if (daerah === base.daerah) tempat = base.tempat
  else tempat = tingkatOf(jenis) === 'kota' ? daerah : ''

  let nomor = base.nomor
  if (input.nomor !== undefined)
    nomor = input.nomor === null ? null : text('nomor', typeof input.nomor === 'number' ? String(input.nomor) : input.nomor) || null

  let tahun = base.tahun
  if (input.tahun !== undefined) {
    const value = typeof input.tahun === 'string' && /^\s*\d{4}\s*$/.test(input.tahun) ? Number(input.tahun) : input.tahun
    if (value === null || value === '') tahun = null
    else if (typeof value === 'number' && Number.isInteger(value) && value >= TAHUN_RANGE.min && value <= TAHUN_RANGE.max) tahun = value
    else throw new MetaError('tahun', `meta.tahun must be a year from ${TAHUN_RANGE.min} to ${TAHUN_RANGE.max}, or null`)
  }
  return { jenis, daerah, pejabat, tempat, nomor, tahun }
}

/** A stored record as read: one stored before metadata existed gets `DEFAULT_META`. */
export function withMeta(record: Omit<DocumentRecord, 'meta'> & { meta?: unknown }): DocumentRecord {
  let meta = DEFAULT_META
  try {
    meta = normaliseMeta(record.meta ?? undefined)
  } catch {
    // Storage written by this server always holds valid metadata; anything else reads as the default.
  }
  return {
    id: record.id,
    title: record.title,
    createdAt: record.createdAt,
    epoch: record.epoch,
    meta,
    ...(record.archived ? { archived: true } : {}),
  }
}
