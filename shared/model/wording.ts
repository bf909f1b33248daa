import { isPerda, kepalaDaerah, tingkatOf, type AmendedRegulation, type DraftMeta, type Jenis, type Tingkat } from '../documents.js'

/**
 * The parts of a regulation that are not typed but follow from its metadata (UU 12/2011
 * Lampiran II; pergub.md §1.3, §1.6, §1.12): the kind and region in the judul, the jabatan
 * pembentuk, the Dengan Persetujuan Bersama block of a Perda, Menetapkan, the order to promulgate,
 * the signature and promulgation blocks and the gazette line. The editor draws them and every
 * export prints them from here, so changing the metadata changes them everywhere at once.
 */

/** What is not known yet in a draft (a number, a date, a name): printed as an ellipsis. */
export const BLANK = '…'

export interface Wording {
  /** Whether the text is still a draft ("RANCANGAN" above the judul): no number yet. */
  readonly rancangan: boolean
  /** "PERATURAN BUPATI KUTAI KARTANEGARA". */
  readonly judulJenis: string
  /** "NOMOR … TAHUN …", or with the number and year once they are set. */
  readonly judulNomor: string
  /** "BUPATI KUTAI KARTANEGARA," */
  readonly jabatan: string
  /** A Perda's "Dengan Persetujuan Bersama" block, line by line; null for a Perkada. */
  readonly persetujuan: readonly string[] | null
  /** "PERATURAN BUPATI TENTANG PENGELOLAAN DATA." */
  readonly menetapkan: string
  /** The order to promulgate, the paragraph after the last Pasal. */
  readonly perintahPengundangan: string
  /** The right-hand block: "Ditetapkan di …", "pada tanggal …", the official, the space to sign, the name. */
  readonly penetapan: SignatureBlock
  /** The left-hand block, by the Sekretaris Daerah. */
  readonly pengundangan: SignatureBlock
  /** "BERITA DAERAH KABUPATEN KUTAI KARTANEGARA TAHUN … NOMOR …" */
  readonly berita: string
  /** A Perda's register number line ("NOREG PERATURAN DAERAH …: (…)"); null for a Perkada. */
  readonly noreg: string | null
  /** The lines above a Penjelasan: "PENJELASAN", "ATAS", the kind and region, "NOMOR … TAHUN …", "TENTANG", the name. */
  readonly penjelasan: readonly string[]
  /** The lines under "LAMPIRAN I" atop each Lampiran: the kind and region, "NOMOR … TAHUN …", "TENTANG", the name. */
  readonly lampiran: readonly string[]
}

export interface SignatureBlock {
  /** "Ditetapkan di Tenggarong" */
  readonly tempat: string
  readonly tanggal: string
  /** "BUPATI KUTAI KARTANEGARA," */
  readonly jabatan: string
  /** The signer's name, unknown in a draft. */
  readonly nama: string
}

const TINGKAT_WORD: Record<Tingkat, string> = { provinsi: 'Provinsi', kabupaten: 'Kabupaten', kota: 'Kota' }

/** "Peraturan Gubernur", "Peraturan Wali Kota", "Peraturan Daerah": the kind without the region. */
export const jenisName = (jenis: Jenis): string => (isPerda(jenis) ? 'Peraturan Daerah' : `Peraturan ${kepalaDaerah(jenis)}`)

/** "Provinsi Kalimantan Timur", "Kabupaten Kutai Kartanegara", "Kota Samarinda". */
export const regionName = (meta: DraftMeta): string => `${TINGKAT_WORD[tingkatOf(meta.jenis)]} ${meta.daerah}`

/** The regulation's full name, as in a sentence: "Peraturan Bupati Kutai Kartanegara", "Peraturan Daerah Kota Samarinda". */
export const regulationName = (meta: DraftMeta): string =>
  isPerda(meta.jenis) ? `${jenisName(meta.jenis)} ${regionName(meta)}` : `${jenisName(meta.jenis)} ${meta.daerah}`

/** The gazette a regulation of this kind is promulgated in: Berita Daerah for a Perkada, Lembaran Daerah for a Perda. */
const gazetteName = (meta: DraftMeta): string => `${isPerda(meta.jenis) ? 'Lembaran Daerah' : 'Berita Daerah'} ${regionName(meta)}`

const upper = (text: string) => text.toLocaleUpperCase('id')
const orBlank = (value: string | number | null) => (value === null || value === '' ? BLANK : String(value))

/**
 * Every derived part of a regulation with this metadata; `nama` is its subject after TENTANG as
 * the drafters typed it (the judul's second line).
 */
export function wordingOf(meta: DraftMeta, nama: string): Wording {
  const pejabat = upper(meta.pejabat)
  const tempat = orBlank(meta.tempat)
  const perda = isPerda(meta.jenis)
  const judulNomor = `NOMOR ${orBlank(meta.nomor)} TAHUN ${orBlank(meta.tahun)}`
  const menetapkanName = nama.trim() ? `${upper(jenisName(meta.jenis))} TENTANG ${upper(nama.trim())}` : upper(jenisName(meta.jenis))
  return {
    rancangan: meta.nomor === null,
    judulJenis: upper(regulationName(meta)),
    judulNomor,
    jabatan: `${pejabat},`,
    persetujuan: perda ? ['Dengan Persetujuan Bersama', `DEWAN PERWAKILAN RAKYAT DAERAH ${upper(regionName(meta))}`, 'dan', pejabat] : null,
    menetapkan: `${menetapkanName}.`,
    perintahPengundangan: `Agar setiap orang mengetahuinya, memerintahkan pengundangan ${jenisName(meta.jenis)} ini dengan penempatannya dalam ${gazetteName(meta)}.`,
    penetapan: { tempat: `Ditetapkan di ${tempat}`, tanggal: `pada tanggal ${BLANK}`, jabatan: `${pejabat},`, nama: BLANK },
    pengundangan: {
      tempat: `Diundangkan di ${tempat}`,
      tanggal: `pada tanggal ${BLANK}`,
      jabatan: `SEKRETARIS DAERAH ${upper(regionName(meta))},`,
      nama: BLANK,
    },
    berita: `${upper(gazetteName(meta))} TAHUN ${orBlank(meta.tahun)} NOMOR ${BLANK}`,
    noreg: perda ? `NOREG ${upper(regulationName(meta))}: (${BLANK})` : null,
    penjelasan: ['PENJELASAN', 'ATAS', upper(regulationName(meta)), judulNomor, 'TENTANG', upper(nama.trim())],
    lampiran: [upper(regulationName(meta)), judulNomor, 'TENTANG', upper(nama.trim())],
  }
}

/** The title of a draft in the list: "Rancangan Peraturan Bupati Kutai Kartanegara tentang Pengelolaan Data". */
export const draftTitle = (meta: DraftMeta, nama: string): string => `Rancangan ${regulationName(meta)} tentang ${nama}`

/** The subject in a draft's title, after the first " tentang ". */
const TENTANG = / tentang (.+)$/s

/**
 * `title` with the kind and region of `meta` in place of the old ones; the subject after "tentang"
 * stays, except for an amendment draft, whose subject is its citation of the base (which may have
 * been corrected).
 */
export function retitled(title: string, meta: DraftMeta): string {
  if (meta.amends) return draftTitle(meta, amendmentNama(meta.amends))
  const subject = TENTANG.exec(title)?.[1]
  return subject ? draftTitle(meta, subject) : title
}

/**
 * The regulation an amendment draft amends, cited in full as a sentence names it: "Peraturan
 * Gubernur Kalimantan Timur Nomor 12 Tahun 2021 tentang Sistem Pemerintahan Berbasis Elektronik".
 * The region is the amending draft's own (a region amends only its own regulations).
 */
export const amendedCitation = (meta: DraftMeta, amends: AmendedRegulation): string =>
  `${regulationName({ ...meta, jenis: amends.jenis })} Nomor ${orBlank(amends.nomor)} Tahun ${orBlank(amends.tahun)} tentang ${amends.nama}`

/** Where the amended regulation was promulgated: "(Berita Daerah Provinsi Kalimantan Timur Tahun 2021 Nomor …)". */
export const amendedGazette = (meta: DraftMeta, amends: AmendedRegulation): string =>
  `(${gazetteName({ ...meta, jenis: amends.jenis })} Tahun ${orBlank(amends.tahun)} Nomor ${BLANK})`

/**
 * The subject of an amendment draft after TENTANG, as Lampiran II words it: "Perubahan atas
 * Peraturan Gubernur Nomor 12 Tahun 2021 tentang Sistem Pemerintahan Berbasis Elektronik".
 */
export const amendmentNama = (amends: AmendedRegulation): string =>
  `Perubahan atas ${jenisName(amends.jenis)} Nomor ${orBlank(amends.nomor)} Tahun ${orBlank(amends.tahun)} tentang ${amends.nama}`

/**
 * The Menimbang of a new amendment draft: the point citing the regulation amended (its reason left
 * for the drafters to write) and the closing point.
 */
export const amendmentMenimbang = (meta: DraftMeta, amends: AmendedRegulation): string[] => [
  `bahwa ketentuan dalam ${amendedCitation(meta, amends)} perlu disesuaikan dengan ${BLANK}, sehingga perlu diubah;`,
  `bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan ${jenisName(meta.jenis)} tentang ${amendmentNama(amends)};`,
]

/** The Mengingat entry for the regulation amended, the last of the dasar hukum. */
export const amendmentMengingat = (meta: DraftMeta, amends: AmendedRegulation): string =>
  `${amendedCitation(meta, amends)} ${amendedGazette(meta, amends)};`
