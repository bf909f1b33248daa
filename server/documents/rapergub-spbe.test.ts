import { describe, it, expect } from 'vitest'
import type { Node } from 'prosemirror-model'
import { numberDocument } from '../../shared/model/numbering.js'
import { unitTypes } from '../../shared/model/schema.js'
import { createRapergubSpbe, RAPERGUB_SPBE_ID, RAPERGUB_SPBE_TITLE } from './rapergub-spbe.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { wordingOf } from '../../shared/model/wording.js'

const BAB_TITLES = [
  'KETENTUAN UMUM',
  'TATA KELOLA SPBE',
  'MANAJEMEN SPBE',
  'AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI',
  'PENYELENGGARA SPBE',
  'PEMANTAUAN, EVALUASI, DAN PELAPORAN',
  'KOORDINASI DENGAN KABUPATEN/KOTA',
  'PENDANAAN',
  'KETENTUAN PERALIHAN',
  'KETENTUAN PENUTUP',
]

const BAGIAN_BAB_II = [
  ['Bagian Kesatu', 'Umum'],
  ['Bagian Kedua', 'Arsitektur dan Peta Rencana SPBE Daerah'],
  ['Bagian Ketiga', 'Rencana dan Anggaran'],
  ['Bagian Keempat', 'Proses Bisnis, Data, dan Informasi'],
  ['Bagian Kelima', 'Infrastruktur SPBE'],
  ['Bagian Keenam', 'Aplikasi SPBE'],
  ['Bagian Ketujuh', 'Keamanan SPBE'],
  ['Bagian Kedelapan', 'Layanan SPBE'],
]

const doc = createRapergubSpbe()
const numbering = numberDocument(doc)

const children = (node: Node, type?: string): Node[] => {
  const out: Node[] = []
  node.forEach((child) => {
    if (!type || child.type.name === type) out.push(child)
  })
  return out
}

const labelOf = (node: Node): string => numbering.byId.get(node.attrs.id as string)?.label ?? ''

const descendants = (root: Node, type: string): Node[] => {
  const out: Node[] = []
  root.descendants((node) => {
    if (node.type.name === type) out.push(node)
  })
  return out
}

const batangTubuh = children(doc, 'batangTubuh')[0]!
const babs = children(batangTubuh, 'bab')
const pasals = descendants(batangTubuh, 'pasal')
const pasalSatu = pasals[0]!
const definisi = children(descendants(pasalSatu, 'rincian')[0]!, 'butir').map((butir) => butir.firstChild!.textContent)

const definedTerm = (definition: string): string =>
  /yang selanjutnya (?:disingkat|disebut) (.+?) adalah /.exec(definition)?.[1] ?? definition.slice(0, definition.indexOf(' adalah '))

const startsWithDefinedTerm = (text: string) => definisi.map(definedTerm).some((term) => text.startsWith(term))

const CONNECTOR = /; (dan|atau|dan\/atau)$/

/** Checks a huruf list against the tabulation rules; `closing` is what its last item must end with. */
function checkTabulation(list: Node, closing: '.' | ';', problems: string[]): void {
  const items = children(list, 'butir')
  items.forEach((item, index) => {
    const text = item.firstChild!.textContent
    const nested = children(item, 'rincian')
    const isLast = index === items.length - 1
    if (!/^[a-z]/.test(text) && !startsWithDefinedTerm(text)) problems.push(`starts upper case: ${text}`)
    if (nested.length > 0) {
      if (!text.endsWith(':')) problems.push(`item with sub-items must end with ":": ${text}`)
      for (const sub of nested) checkTabulation(sub, isLast ? closing : ';', problems)
    } else if (isLast) {
      if (!text.endsWith(closing) || CONNECTOR.test(text)) problems.push(`last item must end with "${closing}": ${text}`)
    } else if (index === items.length - 2) {
      if (!CONNECTOR.test(text)) problems.push(`second-to-last item needs "; dan" or "; atau": ${text}`)
    } else if (!text.endsWith(';') || CONNECTOR.test(text)) {
      problems.push(`item must end with ";": ${text}`)
    }
  })
}

describe('Rancangan Pergub SPBE seed draft', () => {
  it('is identified by a stable id and the full title', () => {
    expect(RAPERGUB_SPBE_ID).toBe('rapergub-spbe')
    expect(RAPERGUB_SPBE_TITLE).toBe('Rancangan Peraturan Gubernur Kalimantan Timur tentang Sistem Pemerintahan Berbasis Elektronik')
  })

  it('is a document the schema accepts', () => {
    expect(() => doc.check()).not.toThrow()
  })

  it('has the judul, three considerations, six legal bases and the order to promulgate', () => {
    const nama = doc.child(0).textContent
    const wording = wordingOf(DEFAULT_META, nama)
    expect([wording.judulJenis, nama]).toEqual(['PERATURAN GUBERNUR KALIMANTAN TIMUR', 'PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK'])
    expect(wording.jabatan).toBe('GUBERNUR KALIMANTAN TIMUR,')
    expect(wording.menetapkan).toBe('PERATURAN GUBERNUR TENTANG PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK.')
    const konsiderans = numbering.labels.filter((l) => l.kind === 'konsiderans').map((l) => l.label)
    const dasarHukum = numbering.labels.filter((l) => l.kind === 'dasarHukum').map((l) => l.label)
    expect(konsiderans).toEqual(['a.', 'b.', 'c.'])
    expect(dasarHukum).toEqual(['1.', '2.', '3.', '4.', '5.', '6.'])
    expect(children(children(doc, 'penutup')[0]!, 'penandatanganan')).toHaveLength(1)
    expect(wording.perintahPengundangan).toBe(
      'Agar setiap orang mengetahuinya, memerintahkan pengundangan Peraturan Gubernur ini dengan penempatannya dalam Berita Daerah Provinsi Kalimantan Timur.',
    )
  })

  it('has ten BAB labelled BAB I to BAB X with the outline titles', () => {
    const entries = numbering.outline.filter((e) => e.kind === 'bab')
    expect(entries.map((e) => e.label)).toEqual(['BAB I', 'BAB II', 'BAB III', 'BAB IV', 'BAB V', 'BAB VI', 'BAB VII', 'BAB VIII', 'BAB IX', 'BAB X'])
    expect(entries.map((e) => e.title)).toEqual(BAB_TITLES)
  })

  it('numbers exactly 30 Pasal continuously from Pasal 1', () => {
    expect(numbering.pasalCount).toBe(30)
    expect(pasals.map(labelOf)).toEqual(Array.from({ length: 30 }, (_, i) => `Pasal ${i + 1}`))
  })

  it('divides BAB II into eight Bagian labelled Kesatu to Kedelapan', () => {
    const bagians = children(babs[1]!, 'bagian')
    expect(bagians.map((b) => [labelOf(b), b.firstChild!.textContent])).toEqual(BAGIAN_BAB_II)
  })

  it('puts Pasal 11, 12 and 13 in Paragraf 1 to 3 of Bagian Kelima', () => {
    const kelima = children(babs[1]!, 'bagian')[4]!
    const paragrafs = children(kelima, 'paragraf')
    expect(paragrafs.map((p) => [labelOf(p), p.firstChild!.textContent, children(p, 'pasal').map(labelOf)])).toEqual([
      ['Paragraf 1', 'Pusat Data', ['Pasal 11']],
      ['Paragraf 2', 'Jaringan Intra', ['Pasal 12']],
      ['Paragraf 3', 'Sistem Penghubung Layanan', ['Pasal 13']],
    ])
  })

  it('defines 20 terms in Pasal 1, numbered 1. to 20., each a capitalised sentence', () => {
    const lists = descendants(pasalSatu, 'rincian')
    expect(lists).toHaveLength(1)
    expect(lists[0]!.attrs.jenis).toBe('angka')
    const items = children(lists[0]!, 'butir')
    expect(items.map(labelOf)).toEqual(Array.from({ length: 20 }, (_, i) => `${i + 1}.`))
    expect(definisi[0]).toBe('Daerah adalah Provinsi Kalimantan Timur.')
    for (const text of definisi) expect(text).toMatch(/^[A-Z].* adalah .*\.$/)
  })

  it('uses every term defined in Pasal 1 elsewhere in the batang tubuh', () => {
    const body = pasals
      .slice(1)
      .map((p) => p.textContent)
      .join(' ')
    const unused = definisi.map(definedTerm).filter((term) => !body.includes(term))
    expect(unused).toEqual([])
  })

  it('gives every unit an id of its own', () => {
    const ids: Array<string | null> = []
    doc.descendants((node) => {
      if (unitTypes.has(node.type.name)) ids.push(node.attrs.id as string | null)
    })
    expect(ids.length).toBeGreaterThan(100)
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('gives fresh ids on every call, so two seeded documents never share a unit id', () => {
    const again = numberDocument(createRapergubSpbe())
    const shared = [...again.byId.keys()].filter((id) => numbering.byId.has(id))
    expect(shared).toEqual([])
  })

  it('never types a derived number into the text', () => {
    const typed = descendants(doc, 'teks')
      .map((t) => t.textContent)
      .filter((text) => /^\(?\d+\)?\.?\s|^[a-z]\.\s|^Pasal \d/.test(text))
    expect(typed).toEqual([])
  })

  it('refers only to Pasal 1 to 30, and only backwards to an earlier Pasal', () => {
    const references: Array<[from: number, to: number]> = []
    pasals.forEach((p, index) => {
      for (const match of p.textContent.matchAll(/\bPasal (\d+)/g)) references.push([index + 1, Number(match[1])])
    })
    expect(references.length).toBeGreaterThanOrEqual(8)
    for (const [from, to] of references) {
      expect(to).toBeGreaterThanOrEqual(1)
      expect(to).toBeLessThanOrEqual(30)
      expect(to, `Pasal ${from} refers to Pasal ${to}`).toBeLessThan(from)
    }
    const dalam = pasals.flatMap((p) => [...p.textContent.matchAll(/dalam Pasal (\d+)/g)].map((m) => Number(m[1])))
    expect(dalam.every((n) => n >= 1 && n <= 30)).toBe(true)
  })

  it('follows the expected cross-references between related Pasal', () => {
    const text = (n: number) => pasals[n - 1]!.textContent
    expect(text(7)).toContain('sebagaimana dimaksud dalam Pasal 6')
    expect(text(15)).toContain('sebagaimana dimaksud dalam Pasal 14')
    expect(text(22)).toContain('sebagaimana dimaksud dalam Pasal 21')
    expect(text(25)).toContain('sebagaimana dimaksud dalam Pasal 24')
  })

  it('refers to an ayat only when the Pasal has that many ayat', () => {
    const problems: string[] = []
    pasals.forEach((p, index) => {
      children(p, 'ayat').forEach((a) => {
        for (const match of a.textContent.matchAll(/pada ayat \((\d+)\)/g)) {
          if (Number(match[1]) > p.childCount) problems.push(`Pasal ${index + 1}: ${match[0]}`)
        }
      })
    })
    expect(problems).toEqual([])
  })

  it('ends every ayat that introduces a list with ":"', () => {
    const problems = descendants(batangTubuh, 'ayat')
      .filter((a) => children(a, 'rincian').length > 0)
      .map((a) => a.firstChild!.textContent)
      .filter((text) => !text.endsWith(':'))
    expect(problems).toEqual([])
  })

  it('punctuates every huruf list by the tabulation rules, with at least one nested level', () => {
    const topLevel = descendants(batangTubuh, 'ayat').flatMap((a) => children(a, 'rincian').filter((r) => r.attrs.jenis === 'huruf'))
    expect(topLevel.length).toBeGreaterThan(20)
    const problems: string[] = []
    for (const list of topLevel) checkTabulation(list, '.', problems)
    expect(problems).toEqual([])
    const nested = topLevel.flatMap((list) => descendants(list, 'rincian'))
    expect(nested.length).toBeGreaterThan(0)
    expect(children(nested[0]!, 'butir').map(labelOf)).toEqual(['1.', '2.', '3.'])
  })

  it('writes numbers in the body as digits followed by words in brackets', () => {
    const bare = pasals
      .slice(1)
      .map((p) => p.textContent.replace(/Pasal \d+|ayat \(\d+\)|\d+ \([a-z ]+\)/g, ''))
      .filter((text) => /\d/.test(text))
    expect(bare).toEqual([])
  })
})
