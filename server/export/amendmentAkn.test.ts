import { describe, expect, it } from 'vitest'
import type { AmendmentPoint } from '../../shared/amendment/points.js'
import { normaliseMeta } from '../../shared/documents.js'
import { bab, lampiran, pasal, regulation, table } from '../../shared/model/builders.js'
import { AKN_XSD, xmllint } from '../../test/harness/xml.js'
import { addressTarget, passiveModifications, toAmendmentAkn } from './amendmentAkn.js'
import { toRegulation } from './regulation.js'

const meta = normaliseMeta({
  jenis: 'pergub',
  daerah: 'Kalimantan Timur',
  pejabat: 'Gubernur Kalimantan Timur',
  tempat: 'Samarinda',
  nomor: '7',
  tahun: 2026,
})
const base = { jenis: 'pergub', daerah: 'Kalimantan Timur', nomor: '12', tahun: 2021, nama: 'SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK' } as const
const amendment = regulation({
  nama: 'PERUBAHAN ATAS PERATURAN GUBERNUR KALIMANTAN TIMUR NOMOR 12 TAHUN 2021 TENTANG SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
  menimbang: ['bahwa perlu mengubah Peraturan Gubernur Nomor 12 Tahun 2021;'],
  mengingat: ['Peraturan Gubernur Kalimantan Timur Nomor 12 Tahun 2021;'],
  batangTubuh: [bab('', pasal('Pasal I'), pasal('Pasal II'))],
  lampiran: [
    lampiran(
      'DAFTAR APLIKASI',
      table([
        ['No', 'Aplikasi'],
        ['1', 'SRIKANDI'],
      ]),
    ),
  ],
})
const points: AmendmentPoint[] = [
  {
    action: 'diubah',
    units: [
      [
        { kind: 'pasal', number: '5' },
        { kind: 'ayat', number: '2' },
      ],
    ],
    quoted: [{ address: [{ kind: 'pasal', number: '5' }], node: pasal('Satu.', 'Dua <diubah> & "kutip".').toJSON() }],
  },
  {
    action: 'disisipkan',
    units: [[{ kind: 'bab', number: 'VA' }]],
    between: [[{ kind: 'bab', number: 'V' }], [{ kind: 'bab', number: 'VI' }]],
    quoted: [{ address: [{ kind: 'bab', number: 'VA' }], node: bab('KEBERATAN', pasal('Keberatan diajukan tertulis.')).toJSON() }],
  },
  {
    action: 'ditambahkan',
    units: [
      [
        { kind: 'pasal', number: '1' },
        { kind: 'angka', number: '12' },
      ],
    ],
    quoted: [{ address: [{ kind: 'pasal', number: '1' }], node: pasal('Definisi.').toJSON() }],
  },
  { action: 'dihapus', units: [[{ kind: 'pasal', number: '11' }], [{ kind: 'pasal', number: '12' }]] },
  {
    action: 'diubah',
    units: [[{ kind: 'lampiran', number: 'I' }]],
    quoted: [{ address: [{ kind: 'lampiran', number: 'I' }], node: lampiran('DAFTAR APLIKASI').toJSON() }],
  },
]
const worded = points.map((point, i) => ({ point, instruction: `Instruksi angka ${i + 1}:` }))

describe('Akoma Ntoso of an amendment', () => {
  it('names units of the base by the eIds its AKN export gives them', () => {
    expect(
      addressTarget([
        { kind: 'pasal', number: '7' },
        { kind: 'ayat', number: '2' },
        { kind: 'huruf', number: 'c' },
      ]),
    ).toEqual({ component: 'main', eId: 'art_7__para_2__list_1__point_c' })
    expect(
      addressTarget([
        { kind: 'pasal', number: '1' },
        { kind: 'angka', number: '4' },
      ]),
    ).toEqual({ component: 'main', eId: 'art_1__para_1__list_1__point_4' })
    expect(
      addressTarget([
        { kind: 'bab', number: 'IV' },
        { kind: 'bagian', number: 'Kedua' },
      ]),
    ).toEqual({ component: 'main', eId: 'chp_4__sec_2' })
    expect(addressTarget([{ kind: 'bab', number: 'VA' }])).toEqual({ component: 'main', eId: 'chp_5A' })
    expect(addressTarget([{ kind: 'lampiran', number: 'II' }])).toEqual({ component: 'lampiran_2', eId: '' })
  })

  it('writes Pasal I as mods with quotedStructures and activeModifications that substitute, insert and repeal, and validates', async () => {
    const xml = toAmendmentAkn(
      {
        regulation: toRegulation(amendment, meta),
        base,
        intro: 'Beberapa ketentuan diubah sebagai berikut:',
        points: worded,
        pasalII: ['Mulai berlaku pada tanggal diundangkan.'],
      },
      { docId: 'perubahan', date: '2026-11-30' },
    )
    const verdict = await xmllint(xml, AKN_XSD)
    expect(verdict.valid, verdict.output).toBe(true)
    const work = '/akn/id/act/pergub/kalimantan-timur/2021/12/!main'
    const mod = (n: number) => `art_I__para_1__list_1__point_${n}__mod_1`
    expect(xml).toContain(
      `<textualMod eId="amod_1" type="substitution"><source href="#${mod(1)}"/><destination href="${work}#art_5__para_2"/><new href="#${mod(1)}__qstr_1"/></textualMod>`,
    )
    expect(xml).toContain(`<textualMod eId="amod_2" type="insertion"><source href="#${mod(2)}"/><destination href="${work}#chp_5" pos="after"/>`)
    expect(xml).toContain(`<destination href="${work}#art_1__para_1__list_1" pos="end"/>`)
    expect(xml).toContain(
      `<textualMod eId="amod_4" type="repeal"><source href="#${mod(4)}"/><destination href="${work}#art_11"/><destination href="${work}#art_12"/></textualMod>`,
    )
    expect(xml).toContain('<new href="/akn/id/act/pergub/kalimantan-timur/2026/7/!lampiran_1"/>')
    expect(xml).toContain(`<article eId="${mod(1)}__qstr_1__art_5"`)
    expect(xml).toContain('<num>Pasal 5</num>')
    expect(xml).toContain(`<chapter eId="${mod(2)}__qstr_1__chp_5A"`)
    expect(xml).toContain('<num>BAB VA</num><heading>KEBERATAN</heading>')
    expect(xml).toContain('Dua &lt;diubah&gt; &amp; &quot;kutip&quot;.')
    expect(xml).toContain('<num>Pasal II</num>')
  })

  it('gives the consolidated text passiveModifications pointing at the amendment, one per point', () => {
    const analysis = passiveModifications(points, '/akn/id/act/pergub/kalimantan-timur/2026/7')
    expect(analysis.match(/<textualMod /g)).toHaveLength(points.length)
    expect(analysis).toContain(
      '<textualMod eId="pmod_2" type="insertion"><source href="/akn/id/act/pergub/kalimantan-timur/2026/7/!main#art_I__para_1__list_1__point_2__mod_1"/><destination href="#chp_5A"/></textualMod>',
    )
    expect(analysis).toContain('<destination href="#lampiran_1"/>')
    expect(passiveModifications([], '/akn')).toBe('')
  })
})
