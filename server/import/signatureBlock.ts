import { BLANK } from '../../shared/model/wording.js'
import { ACTION, excerpt, type ImportReport } from './importReport.js'

/**
 * The source's own signature block ("Ditetapkan di …", the official, the name, "Diundangkan di …",
 * the Berita Daerah or Lembaran Daerah line): recognised so that it is never read into the last
 * Pasal or kept twice. The draft's block is derived from its metadata, so only the place of
 * enactment is taken over; a block that held more than formulas and blanks (a name, a date) is
 * reported as replaced.
 */

export const SIGNATURE_START = /^(Ditetapkan di|Diundangkan di)\b|^(BERITA|LEMBARAN) DAERAH\b|^(GUBERNUR|BUPATI|WALI\s?KOTA)\s.+,$/
/** Lines that our own export and any blank template hold: nothing is lost by not keeping them. */
const FORMULA = /^((Ditetapkan|Diundangkan) di .+|pada tanggal\s*…?|…+|\.+|ttd\.?|.+,|(BERITA|LEMBARAN) DAERAH .+ TAHUN … NOMOR …|NOREG .+: \(…\))$/

/** The place of enactment named in the block ("Ditetapkan di Pulang Pisau"), or null. */
export function readSignatureBlock(lines: readonly string[], report: ImportReport): { tempat: string | null } {
  const place = lines.map((line) => /^Ditetapkan di\s+(.+)$/.exec(line)?.[1]).find(Boolean)
  const kept = lines.filter((line) => !FORMULA.test(line))
  if (kept.length) report.add('penutup', `Blok tanda tangan berkas: ${excerpt(lines.join(' · '), 160)}`, ACTION.replaced)
  return { tempat: place && place.trim() !== BLANK ? place.trim() : null }
}
