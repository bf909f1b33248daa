import { describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
import type { AmendmentPoint } from '../../shared/amendment/points.js'
import { ayat, bab, lampiran, pasal, regulation, table } from '../../shared/model/builders.js'
import { BARU, citation, DIHAPUS, findUnit, NOT_IN_BASE, perbandinganRows, toPerbandingan } from './perbandingan.js'

const base = regulation({
  nama: 'PENGELOLAAN DATA',
  menimbang: ['bahwa data perlu dikelola;'],
  mengingat: ['Undang-Undang Dasar Negara Republik Indonesia Tahun 1945;'],
  batangTubuh: [
    bab('KETENTUAN UMUM', pasal('Data dikelola oleh Dinas.')),
    bab(
      'PENYELENGGARAAN',
      pasal('Data dibagipakaikan.', ayat('Data dikecualikan bila:', { items: ['rahasia negara;', 'data pribadi.'] })),
      pasal('Forum Data dibentuk.', 'Forum Data diketuai Sekretaris Daerah.', 'Forum Data ditetapkan Gubernur.'),
    ),
  ],
  lampiran: [
    lampiran(
      'DAFTAR DATA',
      table([
        ['No', 'Data'],
        ['1', 'Penduduk'],
      ]),
    ),
  ],
})

const text = (lines: readonly { text: string }[]) => lines.map((line) => line.text)

describe('the tabel perbandingan of an amendment', () => {
  it('finds units of the base by the base numbering, and nothing for a suffixed or missing number', () => {
    expect(
      findUnit(base, [
        { kind: 'pasal', number: '2' },
        { kind: 'ayat', number: '2' },
        { kind: 'huruf', number: 'b' },
      ])?.textContent,
    ).toBe('data pribadi.')
    expect(findUnit(base, [{ kind: 'bab', number: 'II' }])?.firstChild?.textContent).toBe('PENYELENGGARAAN')
    expect(findUnit(base, [{ kind: 'pasal', number: '2A' }])).toBeNull()
    expect(findUnit(base, [{ kind: 'pasal', number: '9' }])).toBeNull()
    expect(
      citation([
        { kind: 'pasal', number: '3' },
        { kind: 'ayat', number: '2a' },
        { kind: 'huruf', number: 'c' },
      ]),
    ).toBe('Pasal 3 ayat (2a) huruf c')
  })

  it('puts the base text left and the new text right, one row per point, "(baru)" and "Dihapus" where a side is empty', () => {
    const newPasal = pasal('Pusat data dikelola oleh Dinas.')
    const quotedPasal3 = pasal(
      'Forum Data dibentuk.',
      'Forum Data diketuai Sekretaris Daerah.',
      'Sekretariat Forum berada di Dinas.',
      'Forum Data ditetapkan Gubernur.',
    )
    const points: AmendmentPoint[] = [
      {
        action: 'diubah',
        units: [[{ kind: 'bab', number: 'II' }]],
        aspect: 'judul',
        quoted: [{ address: [{ kind: 'bab', number: 'II' }], node: bab('PENYELENGGARAAN DATA').toJSON() }],
      },
      {
        action: 'disisipkan',
        units: [[{ kind: 'pasal', number: '1A' }]],
        between: [[{ kind: 'pasal', number: '1' }], [{ kind: 'pasal', number: '2' }]],
        quoted: [{ address: [{ kind: 'pasal', number: '1A' }], node: newPasal.toJSON() }],
      },
      {
        action: 'disisipkan',
        units: [
          [
            { kind: 'pasal', number: '3' },
            { kind: 'ayat', number: '2a' },
          ],
        ],
        between: [
          [
            { kind: 'pasal', number: '3' },
            { kind: 'ayat', number: '2' },
          ],
          [
            { kind: 'pasal', number: '3' },
            { kind: 'ayat', number: '3' },
          ],
        ],
        quoted: [{ address: [{ kind: 'pasal', number: '3' }], node: quotedPasal3.toJSON() }],
      },
      { action: 'dihapus', units: [[{ kind: 'pasal', number: '1' }]] },
      { action: 'dihapus', units: [[{ kind: 'pasal', number: '7' }]] },
    ]
    const rows = perbandinganRows(base, points)
    expect(rows.map((row) => row.unit)).toEqual(['BAB II', 'Pasal 1A', 'Pasal 3 ayat (2a)', 'Pasal 1', 'Pasal 7'])
    expect(text(rows[0]!.lama)).toEqual(['BAB II', 'PENYELENGGARAAN'])
    expect(text(rows[0]!.baru)).toEqual(['BAB II', 'PENYELENGGARAAN DATA'])
    expect(text(rows[1]!.lama)).toEqual([BARU])
    expect(text(rows[1]!.baru)).toEqual(['Pasal 1A', 'Pusat data dikelola oleh Dinas.'])
    expect(text(rows[2]!.lama)).toEqual([
      'Pasal 3',
      '(1) Forum Data dibentuk.',
      '(2) Forum Data diketuai Sekretaris Daerah.',
      '(3) Forum Data ditetapkan Gubernur.',
    ])
    expect(text(rows[2]!.baru)).toEqual([
      'Pasal 3',
      '(1) Forum Data dibentuk.',
      '(2) Forum Data diketuai Sekretaris Daerah.',
      '(2a) Sekretariat Forum berada di Dinas.',
      '(3) Forum Data ditetapkan Gubernur.',
    ])
    expect(text(rows[3]!.lama)).toEqual(['Pasal 1', 'Data dikelola oleh Dinas.'])
    expect(text(rows[3]!.baru)).toEqual([DIHAPUS])
    expect(text(rows[4]!.lama)).toEqual([NOT_IN_BASE])
  })

  it('writes the rows as a Word file with the two columns, the rincian markers and both texts', async () => {
    const points: AmendmentPoint[] = [
      {
        action: 'diubah',
        units: [[{ kind: 'pasal', number: '2' }]],
        quoted: [{ address: [{ kind: 'pasal', number: '2' }], node: pasal('Data dibagipakaikan antarinstansi.').toJSON() }],
      },
    ]
    const { value } = await mammoth.extractRawText({
      buffer: Buffer.from(await toPerbandingan(perbandinganRows(base, points), 'Perubahan atas Peraturan Gubernur Nomor 1 Tahun 2024')),
    })
    for (const expected of [
      'TABEL PERBANDINGAN',
      'KETENTUAN LAMA',
      'KETENTUAN BARU',
      '1. Pasal 2',
      '(2) Data dikecualikan bila:',
      'b. data pribadi.',
      'Data dibagipakaikan antarinstansi.',
    ]) {
      expect(value).toContain(expected)
    }
  })
})
