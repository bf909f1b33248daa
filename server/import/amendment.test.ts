import { describe, expect, it } from 'vitest'
import { MAX_POINTS, readAmendmentBody, readBase } from './amendment.js'
import { ImportReport } from './importReport.js'

describe('the body of an amendment regulation', () => {
  it('reads at most MAX_POINTS points and keeps every further line as text of the last one, which is then reported with it', () => {
    const lines = ['Pasal I', 'Beberapa ketentuan diubah sebagai berikut:']
    for (let n = 1; n <= MAX_POINTS + 5; n++) lines.push(`${n}. Pasal ${n} dihapus.`)
    lines.push('Pasal II', 'Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.')
    const report = new ImportReport()
    const body = readAmendmentBody(lines, report)
    expect(body.points).toHaveLength(MAX_POINTS - 1)
    expect(body.points.at(-1)).toEqual({ action: 'dihapus', units: [[{ kind: 'pasal', number: String(MAX_POINTS - 1) }]] })
    const text = body.bab.textBetween(0, body.bab.content.size, '\n')
    for (let n = MAX_POINTS; n <= MAX_POINTS + 5; n++) expect(text).toContain(`Pasal ${n} dihapus.`)
    const entries = report.entries()
    expect(entries.map((entry) => entry.where)).toEqual(['Pasal I', `Pasal I angka ${MAX_POINTS}`])
    expect(entries[1]!.what).toContain(`${MAX_POINTS + 5}. Pasal ${MAX_POINTS + 5} dihapus.`)
  })

  it('reads the base a judul cites, taking a Perda\'s own region when it cites "Peraturan Daerah Nomor …"', () => {
    const own = { jenis: 'perda-kota', daerah: 'Bandung' } as const
    expect(readBase('PERUBAHAN KEDUA ATAS PERATURAN WALI KOTA BANDUNG NOMOR 5 TAHUN 2019 TENTANG PARKIR', own)).toEqual({
      jenis: 'perwali',
      daerah: 'Bandung',
      nomor: '5',
      tahun: 2019,
      nama: 'PARKIR',
    })
    expect(readBase('PERUBAHAN ATAS PERATURAN DAERAH NOMOR 2 TAHUN 2022 TENTANG RETRIBUSI', own)).toEqual({
      jenis: 'perda-kota',
      daerah: 'Bandung',
      nomor: '2',
      tahun: 2022,
      nama: 'RETRIBUSI',
    })
    expect(readBase('PERUBAHAN ATAS KEBIJAKAN PARKIR', own)).toBeNull()
  })
})
