import { describe, expect, it } from 'vitest'
import { DEFAULT_META, MetaError, decodeMeta, defaultPejabat, normaliseAmends, normaliseMeta, withMeta, type DraftMeta } from './documents.js'

const KUKAR: DraftMeta = {
  jenis: 'perbup',
  daerah: 'Kutai Kartanegara',
  pejabat: 'Bupati Kutai Kartanegara',
  tempat: 'Tenggarong',
  nomor: null,
  tahun: null,
}

const fieldOf = (work: () => unknown) => {
  try {
    work()
  } catch (error) {
    return error instanceof MetaError ? error.field : 'not a MetaError'
  }
  return 'accepted'
}

describe('draft metadata', () => {
  it('defaults to the sample: a Pergub of Kalimantan Timur enacted in Samarinda, without number or year', () => {
    expect(normaliseMeta(undefined)).toEqual({
      jenis: 'pergub',
      daerah: 'Kalimantan Timur',
      pejabat: 'Gubernur Kalimantan Timur',
      tempat: 'Samarinda',
      nomor: null,
      tahun: null,
    })
    expect(normaliseMeta({})).toEqual(DEFAULT_META)
  })

  it('derives the signing official from jenis and daerah unless one is typed', () => {
    expect(defaultPejabat('perbup', 'Kutai Kartanegara')).toBe('Bupati Kutai Kartanegara')
    expect(defaultPejabat('perda-kota', 'Samarinda')).toBe('Wali Kota Samarinda')
    expect(defaultPejabat('perda-provinsi', 'Kalimantan Utara')).toBe('Gubernur Kalimantan Utara')
    expect(normaliseMeta({ jenis: 'perbup', daerah: 'Kutai Kartanegara', tempat: 'Tenggarong' })).toEqual(KUKAR)
    expect(normaliseMeta({ jenis: 'perwali', daerah: 'Samarinda' })).toMatchObject({ pejabat: 'Wali Kota Samarinda', tempat: 'Samarinda' })
    expect(normaliseMeta({ jenis: 'perbup', daerah: 'Paser', pejabat: 'Pj. Bupati Paser' }).pejabat).toBe('Pj. Bupati Paser')
  })

  it('keeps fields left out of a change, re-derives a derived official, and keeps one typed by hand', () => {
    expect(normaliseMeta({ nomor: '12', tahun: 2026 }, KUKAR)).toEqual({ ...KUKAR, nomor: '12', tahun: 2026 })
    expect(normaliseMeta({ jenis: 'perda-kabupaten' }, KUKAR).pejabat).toBe('Bupati Kutai Kartanegara')
    expect(normaliseMeta({ daerah: 'Paser', tempat: 'Tana Paser' }, KUKAR)).toMatchObject({ pejabat: 'Bupati Paser', tempat: 'Tana Paser' })
    const actingRegent = { ...KUKAR, pejabat: 'Penjabat Bupati Kutai Kartanegara' }
    expect(normaliseMeta({ daerah: 'Paser' }, actingRegent)).toMatchObject({ pejabat: 'Penjabat Bupati Kutai Kartanegara', tempat: '' })
    expect(normaliseMeta({ nomor: null, tahun: null }, { ...KUKAR, nomor: '3', tahun: 2025 })).toEqual(KUKAR)
  })

  it('trims and collapses white space, and reads a number or year typed as text', () => {
    expect(normaliseMeta({ jenis: 'perbup', daerah: '  Kutai \n Kartanegara ', tempat: '\tTenggarong', nomor: ' 7 ', tahun: ' 2026 ' })).toEqual({
      ...KUKAR,
      nomor: '7',
      tahun: 2026,
    })
    expect(normaliseMeta({ nomor: 12, tahun: '' }, KUKAR)).toEqual({ ...KUKAR, nomor: '12', tahun: null })
    expect(normaliseMeta({ nomor: '   ' }, KUKAR).nomor).toBeNull()
  })

  it('refuses, naming the field, a jenis not in the list, control characters, overlong text and implausible years', () => {
    expect(fieldOf(() => normaliseMeta({ jenis: 'perpres' }))).toBe('jenis')
    expect(fieldOf(() => normaliseMeta('pergub'))).toBe('jenis')
    expect(fieldOf(() => normaliseMeta({ daerah: '' }))).toBe('daerah')
    expect(fieldOf(() => normaliseMeta({ daerah: 7 }))).toBe('daerah')
    expect(fieldOf(() => normaliseMeta({ daerah: 'Kutai\u0000Kartanegara' }))).toBe('daerah')
    expect(fieldOf(() => normaliseMeta({ pejabat: 'B'.repeat(151) }))).toBe('pejabat')
    expect(fieldOf(() => normaliseMeta({ tempat: '\ud800' }))).toBe('tempat')
    expect(fieldOf(() => normaliseMeta({ nomor: { toString: 'x' } }))).toBe('nomor')
    for (const tahun of [1944, 2101, 2026.5, '20x6', true])
      expect(
        fieldOf(() => normaliseMeta({ tahun })),
        String(tahun),
      ).toBe('tahun')
    expect(fieldOf(() => normaliseMeta({ tahun: 1945 }))).toBe('accepted')
  })

  it('reads a record stored before metadata existed as the sample defaults', () => {
    const old = { id: 'd', title: 'Rancangan', createdAt: '2026-01-01T00:00:00.000Z', epoch: 'e' }
    expect(withMeta(old)).toEqual({ ...old, meta: DEFAULT_META })
    expect(withMeta({ ...old, meta: KUKAR }).meta).toEqual(KUKAR)
    expect(withMeta({ ...old, meta: { jenis: 'raja' } }).meta).toEqual(DEFAULT_META)
  })
})

describe('the citation of an amendment draft', () => {
  const cited = { documentId: 'rapergub-spbe', versionId: '0abc-123456', jenis: 'pergub', nomor: '12', tahun: 2021, nama: 'SPBE' } as const

  it('corrects jenis, nomor, tahun and nama, never the ids', () => {
    expect(normaliseAmends({ documentId: 'lain', versionId: 'lain', nomor: ' 7 ', tahun: '2020', nama: '  Data \n Daerah ' }, cited)).toEqual({
      ...cited,
      nomor: '7',
      tahun: 2020,
      nama: 'Data Daerah',
    })
  })

  it('refuses hostile citations on the field amends', () => {
    for (const change of [
      { jenis: 'perpres' },
      { tahun: 1800 },
      { nama: '' },
      { nama: 'x'.repeat(201) },
      { nama: 'a\u0007b' },
      { nomor: {} },
      'pergub',
      null,
    ]) {
      expect(
        fieldOf(() => normaliseAmends(change, cited)),
        JSON.stringify(change),
      ).toBe('amends')
    }
    // Read back whole (storage, a push), the ids must be ids.
    expect(fieldOf(() => normaliseAmends({ ...cited, documentId: '../x' }))).toBe('amends')
    expect(normaliseAmends({ ...cited })).toEqual(cited)
  })

  it('is added only at creation: metadata of an ordinary draft refuses it, an amendment draft keeps it through changes and reads', () => {
    expect(fieldOf(() => normaliseMeta({ amends: { nomor: '1' } }))).toBe('amends')
    const meta = { ...DEFAULT_META, amends: cited }
    expect(normaliseMeta({ tahun: 2026 }, meta).amends).toEqual(cited)
    expect(decodeMeta(JSON.parse(JSON.stringify(meta)))).toEqual(meta)
    expect(withMeta({ id: 'x', title: 'x', createdAt: '', epoch: '', meta }).meta).toEqual(meta)
  })
})
