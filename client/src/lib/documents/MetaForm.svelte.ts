import { DEFAULT_META, JENIS, defaultPejabat, type AmendedRegulation, type DraftMeta, type Jenis } from '../../../../shared/documents.js'

/** The kinds of regulation as the form names them. */
export const JENIS_LABELS: Record<Jenis, string> = {
  pergub: 'Peraturan Gubernur',
  perbup: 'Peraturan Bupati',
  perwali: 'Peraturan Wali Kota',
  'perda-provinsi': 'Peraturan Daerah Provinsi',
  'perda-kabupaten': 'Peraturan Daerah Kabupaten',
  'perda-kota': 'Peraturan Daerah Kota',
}
export const JENIS_OPTIONS: ReadonlyArray<readonly [Jenis, string]> = JENIS.map((jenis) => [jenis, JENIS_LABELS[jenis]])

/** What the form sends: the server trims, checks and reads "2026" as a year (normaliseMeta). */
export interface MetaChange {
  readonly jenis: Jenis
  readonly daerah: string
  readonly pejabat: string
  readonly tempat: string
  readonly nomor: string | null
  readonly tahun: string | null
  /** On an amendment draft: the corrected citation of the regulation it amends (its ids are never sent). */
  readonly amends?: AmendsChange
}

/** The citation of the amended regulation as typed: the server checks it as it checks the draft's own (normaliseAmends). */
export interface AmendsChange {
  readonly jenis: Jenis
  readonly nomor: string | null
  readonly tahun: string | null
  readonly nama: string
}

/** The citation of the regulation an amendment draft amends, being typed. */
class AmendsForm {
  jenis = $state<Jenis>(DEFAULT_META.jenis)
  nomor = $state('')
  tahun = $state('')
  nama = $state('')

  constructor(amends: AmendedRegulation) {
    this.jenis = amends.jenis
    this.nomor = amends.nomor ?? ''
    this.tahun = amends.tahun === null ? '' : String(amends.tahun)
    this.nama = amends.nama
  }

  get change(): AmendsChange {
    return { jenis: this.jenis, nomor: this.nomor.trim() || null, tahun: this.tahun.trim() || null, nama: this.nama }
  }
}

/**
 * The draft metadata being typed ("Rancangan baru", "Data naskah"). The signing official follows
 * jenis and daerah ("Bupati Kutai Kartanegara") until someone types another one. On an amendment
 * draft it also holds the citation of the regulation amended, which PATCH meta may correct.
 */
export class MetaForm {
  jenis = $state<Jenis>(DEFAULT_META.jenis)
  daerah = $state('')
  tempat = $state('')
  nomor = $state('')
  tahun = $state('')
  /** On an amendment draft, the citation of the regulation it amends; null on any other draft. */
  amends = $state<AmendsForm | null>(null)
  /** The official typed by hand; null while it follows jenis and daerah. */
  #pejabat = $state<string | null>(null)

  constructor(meta: DraftMeta = DEFAULT_META) {
    this.reset(meta)
  }

  /** Fills the form with `meta`. */
  reset(meta: DraftMeta) {
    this.jenis = meta.jenis
    this.daerah = meta.daerah
    this.tempat = meta.tempat
    this.nomor = meta.nomor ?? ''
    this.tahun = meta.tahun === null ? '' : String(meta.tahun)
    this.#pejabat = meta.pejabat === defaultPejabat(meta.jenis, meta.daerah) ? null : meta.pejabat
    this.amends = meta.amends ? new AmendsForm(meta.amends) : null
  }

  get pejabat(): string {
    return this.#pejabat ?? defaultPejabat(this.jenis, this.daerah.trim())
  }
  set pejabat(value: string) {
    this.#pejabat = value === defaultPejabat(this.jenis, this.daerah.trim()) ? null : value
  }

  /** The metadata to send. */
  get change(): MetaChange {
    return {
      jenis: this.jenis,
      daerah: this.daerah,
      pejabat: this.pejabat,
      tempat: this.tempat,
      nomor: this.nomor.trim() || null,
      tahun: this.tahun.trim() || null,
      ...(this.amends ? { amends: this.amends.change } : {}),
    }
  }
}
