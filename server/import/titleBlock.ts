import { defaultPejabat, type DraftMeta, type Jenis } from '../../shared/documents.js'
import { titleCase } from '../documents/template.js'
import { ACTION, excerpt, type ImportReport } from './importReport.js'

/**
 * The top of a regional regulation: the region header some regions print above the judul
 * ("BUPATI PULANG PISAU" / "PROVINSI KALIMANTAN TENGAH"), the judul (kind and region, "NOMOR 12
 * TAHUN 2021", "TENTANG", the subject), "DENGAN RAHMAT TUHAN YANG MAHA ESA" and the jabatan
 * pembentuk ("BUPATI PULANG PISAU,"), and the metadata they tell.
 */

export interface TitleBlock {
  /** The kind and region as the judul has it: "PERATURAN BUPATI PULANG PISAU". Empty when not found. */
  readonly jenis: string
  /** The subject after TENTANG. Empty when not found. */
  readonly nama: string
  /** "BUPATI PULANG PISAU,"; empty when not found. */
  readonly jabatan: string
  /** What the judul and jabatan say of the metadata; fields not found are left out. */
  readonly meta: Partial<DraftMeta>
}

const KINDS: ReadonlyArray<[RegExp, Jenis]> = [
  [/^PERATURAN\s+GUBERNUR\b\s*(.*)$/i, 'pergub'],
  [/^PERATURAN\s+BUPATI\b\s*(?:KABUPATEN\s+)?(.*)$/i, 'perbup'],
  [/^PERATURAN\s+WALI\s?KOTA\b\s*(?:KOTA\s+)?(.*)$/i, 'perwali'],
  [/^PERATURAN\s+DAERAH\s+PROVINSI\b\s*(.*)$/i, 'perda-provinsi'],
  [/^PERATURAN\s+DAERAH\s+KABUPATEN\b\s*(.*)$/i, 'perda-kabupaten'],
  [/^PERATURAN\s+DAERAH\s+KOTA\b\s*(.*)$/i, 'perda-kota'],
]
/** The head of a region, in the header or as jabatan pembentuk: "BUPATI PULANG PISAU,". */
const OFFICIAL = /^(GUBERNUR|BUPATI|WALI\s?KOTA)\s+(.+?),?$/i
const OFFICIAL_JENIS: Readonly<Record<string, Jenis>> = { GUBERNUR: 'pergub', BUPATI: 'perbup', WALIKOTA: 'perwali' }
/** The line under the official in a header: the province ("PROVINSI KALIMANTAN TENGAH", "DAERAH ISTIMEWA YOGYAKARTA"). */
const REGION = /^(PROVINSI|KABUPATEN|KOTA|DAERAH ISTIMEWA|DAERAH KHUSUS)\s+\S/i
const NOMOR = /^NOMOR\b\s*(.*?)\s*(?:TAHUN\b\s*(.*))?$/i
const STAMPS = /^(RANCANGAN|SALINAN|DRAF|DRAFT|FINAL)$/i

/** The kind and region named by a judul's first line ("PERATURAN DAERAH KOTA BANDUNG"), or null. */
export function readKind(jenis: string): { jenis: Jenis; daerah: string } | null {
  for (const [pattern, kind] of KINDS) {
    const match = pattern.exec(jenis)
    if (match) return { jenis: kind, daerah: titleCase(match[1]!.replace(/,$/, '')) }
  }
  return null
}

/** Reads the lines before "Menimbang". */
export function readTitleBlock(lines: readonly string[], report: ImportReport): TitleBlock {
  const jenis: string[] = []
  const nama: string[] = []
  const jabatan: string[] = []
  let header: { jenis: Jenis; daerah: string } | null = null
  let nomor: string | null = null
  let tahun: number | null = null
  let part: 'header' | 'jenis' | 'nama' | 'jabatan' = 'header'
  for (const raw of lines) {
    const line = raw.replace(/^RANCANGAN\s+(?=PERATURAN\b)/i, '')
    if (STAMPS.test(line) || /^:$/.test(line)) continue
    if (part === 'header' || part === 'jenis') {
      if (/^PERATURAN\b/i.test(line) && part === 'header') {
        part = 'jenis'
        jenis.push(line)
        continue
      }
      const official = OFFICIAL.exec(line)
      if (part === 'header' && official) {
        header ??= { jenis: OFFICIAL_JENIS[official[1]!.replace(/\s/g, '').toUpperCase()]!, daerah: titleCase(official[2]!) }
        continue
      }
      if (part === 'header' && REGION.test(line)) continue
      const number = NOMOR.exec(line)
      if (number && part === 'jenis') {
        nomor = /\d/.test(number[1]!) ? number[1]! : null
        const year = /\d{4}/.exec(number[2] ?? '')
        tahun = year ? Number(year[0]) : null
        continue
      }
    }
    if (/^TENTANG$/i.test(line) && (part === 'jenis' || part === 'header')) part = 'nama'
    else if (/^DENGAN RAHMAT TUHAN YANG MAHA ESA$/i.test(line)) part = 'jabatan'
    else if (part === 'header') report.add('sebelum judul', `"${excerpt(line)}"`, ACTION.notImported)
    else if (part === 'jenis') jenis.push(line)
    else if (part === 'nama') nama.push(line)
    else jabatan.push(line)
  }

  const kind = readKind(jenis.join(' '))
  const official = OFFICIAL.exec(jabatan.join(' '))
  const meta: { -readonly [K in keyof DraftMeta]?: DraftMeta[K] } = { nomor, tahun }
  const found = kind?.daerah ? kind : header
  if (kind) meta.jenis = kind.jenis
  else if (found) meta.jenis = found.jenis
  if (found?.daerah) meta.daerah = found.daerah
  if (official) meta.pejabat = titleCase(official[0].replace(/,$/, ''))
  else if (meta.jenis && meta.daerah) meta.pejabat = defaultPejabat(meta.jenis, meta.daerah)
  if (jenis.length && !kind) report.add('judul', `Jenis peraturan "${excerpt(jenis.join(' '))}" tidak dikenali`, ACTION.checkMeta)
  else if (jenis.length && !meta.daerah) report.add('judul', `Daerah tidak tercantum dalam "${excerpt(jenis.join(' '))}"`, ACTION.checkMeta)
  return { jenis: jenis.join(' '), nama: nama.join(' '), jabatan: jabatan.join(' '), meta }
}

/** How a refusal names what the file seems to be: "Peraturan Bupati Pulang Pisau tentang …", or null. */
export function describeFound(title: TitleBlock): string | null {
  if (!title.jenis) return null
  const subject = title.nama ? ` tentang ${titleCase(title.nama)}` : ''
  return `${titleCase(title.jenis)}${subject}`
}
