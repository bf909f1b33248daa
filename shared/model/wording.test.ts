import { describe, expect, it } from 'vitest'
import { normaliseMeta, type DraftMeta } from '../documents.js'
import { draftTitle, wordingOf } from './wording.js'

const meta = (change: Partial<DraftMeta>) => normaliseMeta(change)
const NAMA = 'Pengelolaan Data'

describe('wording that follows from the metadata', () => {
  it('words a Pergub as the sample has always read (S18)', () => {
    const w = wordingOf(meta({}), 'PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK')
    expect(w).toEqual({
      rancangan: true,
      judulJenis: 'PERATURAN GUBERNUR KALIMANTAN TIMUR',
      judulNomor: 'NOMOR … TAHUN …',
      jabatan: 'GUBERNUR KALIMANTAN TIMUR,',
      persetujuan: null,
      menetapkan: 'PERATURAN GUBERNUR TENTANG PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK.',
      perintahPengundangan:
        'Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Gubernur ini dengan penempatannya dalam Berita Daerah Provinsi Kalimantan Timur.',
      penetapan: { tempat: 'Ditetapkan di Samarinda', tanggal: 'pada tanggal …', jabatan: 'GUBERNUR KALIMANTAN TIMUR,', nama: '…' },
      pengundangan: {
        tempat: 'Diundangkan di Samarinda',
        tanggal: 'pada tanggal …',
        jabatan: 'SEKRETARIS DAERAH PROVINSI KALIMANTAN TIMUR,',
        nama: '…',
      },
      berita: 'BERITA DAERAH PROVINSI KALIMANTAN TIMUR TAHUN … NOMOR …',
      noreg: null,
      penjelasan: [
        'PENJELASAN',
        'ATAS',
        'PERATURAN GUBERNUR KALIMANTAN TIMUR',
        'NOMOR … TAHUN …',
        'TENTANG',
        'PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
      ],
      lampiran: ['PERATURAN GUBERNUR KALIMANTAN TIMUR', 'NOMOR … TAHUN …', 'TENTANG', 'PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK'],
    })
  })

  it('words a Perbup, with its number and year once set, and names no other region (S18)', () => {
    const w = wordingOf(meta({ jenis: 'perbup', daerah: 'Kutai Kartanegara', tempat: 'Tenggarong', nomor: '12', tahun: 2026 }), NAMA)
    expect(w.rancangan).toBe(false)
    expect([w.judulJenis, w.judulNomor, w.jabatan, w.menetapkan]).toEqual([
      'PERATURAN BUPATI KUTAI KARTANEGARA',
      'NOMOR 12 TAHUN 2026',
      'BUPATI KUTAI KARTANEGARA,',
      'PERATURAN BUPATI TENTANG PENGELOLAAN DATA.',
    ])
    expect(w.perintahPengundangan).toBe(
      'Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Bupati ini dengan penempatannya dalam Berita Daerah Kabupaten Kutai Kartanegara.',
    )
    expect(w.penetapan).toMatchObject({ tempat: 'Ditetapkan di Tenggarong', jabatan: 'BUPATI KUTAI KARTANEGARA,' })
    expect(w.pengundangan).toMatchObject({ tempat: 'Diundangkan di Tenggarong', jabatan: 'SEKRETARIS DAERAH KABUPATEN KUTAI KARTANEGARA,' })
    expect(w.berita).toBe('BERITA DAERAH KABUPATEN KUTAI KARTANEGARA TAHUN 2026 NOMOR …')
    expect([w.persetujuan, w.noreg]).toEqual([null, null])
    expect(JSON.stringify(w)).not.toMatch(/KALIMANTAN TIMUR|GUBERNUR|Samarinda/i)
  })

  it('words a Perwali (S18)', () => {
    const w = wordingOf(meta({ jenis: 'perwali', daerah: 'Samarinda', tahun: 2026 }), NAMA)
    expect([w.judulJenis, w.judulNomor, w.jabatan, w.menetapkan, w.berita]).toEqual([
      'PERATURAN WALI KOTA SAMARINDA',
      'NOMOR … TAHUN 2026',
      'WALI KOTA SAMARINDA,',
      'PERATURAN WALI KOTA TENTANG PENGELOLAAN DATA.',
      'BERITA DAERAH KOTA SAMARINDA TAHUN 2026 NOMOR …',
    ])
    expect(w.penetapan.tempat).toBe('Ditetapkan di Samarinda')
    expect(w.pengundangan.jabatan).toBe('SEKRETARIS DAERAH KOTA SAMARINDA,')
    expect(w.perintahPengundangan).toContain('pengundangan Peraturan Wali Kota ini dengan penempatannya dalam Berita Daerah Kota Samarinda.')
  })

  it('words each Perda with the Dengan Persetujuan Bersama block, the Lembaran Daerah and NOREG (S18)', () => {
    const cases = [
      [{ jenis: 'perda-provinsi', daerah: 'Kalimantan Utara', tempat: 'Tanjung Selor' }, 'Provinsi Kalimantan Utara', 'GUBERNUR KALIMANTAN UTARA'],
      [{ jenis: 'perda-kabupaten', daerah: 'Kutai Kartanegara', tempat: 'Tenggarong' }, 'Kabupaten Kutai Kartanegara', 'BUPATI KUTAI KARTANEGARA'],
      [{ jenis: 'perda-kota', daerah: 'Balikpapan' }, 'Kota Balikpapan', 'WALI KOTA BALIKPAPAN'],
    ] as const
    for (const [change, regionName, official] of cases) {
      const region = regionName.toUpperCase()
      const w = wordingOf(meta(change), NAMA)
      expect(w.judulJenis).toBe(`PERATURAN DAERAH ${region}`)
      expect(w.jabatan).toBe(`${official},`)
      expect(w.persetujuan).toEqual(['Dengan Persetujuan Bersama', `DEWAN PERWAKILAN RAKYAT DAERAH ${region}`, 'dan', official])
      expect(w.menetapkan).toBe('PERATURAN DAERAH TENTANG PENGELOLAAN DATA.')
      expect(w.perintahPengundangan).toContain(`pengundangan Peraturan Daerah ini dengan penempatannya dalam Lembaran Daerah ${regionName}.`)
      expect(w.penetapan.jabatan).toBe(`${official},`)
      expect(w.pengundangan.jabatan).toBe(`SEKRETARIS DAERAH ${region},`)
      expect(w.berita).toBe(`LEMBARAN DAERAH ${region} TAHUN … NOMOR …`)
      expect(w.noreg).toBe(`NOREG PERATURAN DAERAH ${region}: (…)`)
    }
  })

  it('prints an unknown place as an ellipsis, and titles a draft by its kind and region', () => {
    expect(wordingOf(meta({ jenis: 'perbup', daerah: 'Paser' }), NAMA).penetapan.tempat).toBe('Ditetapkan di …')
    expect(draftTitle(meta({ jenis: 'perda-kota', daerah: 'Bontang' }), NAMA)).toBe(
      'Rancangan Peraturan Daerah Kota Bontang tentang Pengelolaan Data',
    )
    expect(draftTitle(meta({}), NAMA)).toBe('Rancangan Peraturan Gubernur Kalimantan Timur tentang Pengelolaan Data')
  })
})
