import { readFileSync } from 'node:fs'
import type { Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import { createRapergubSpbe } from '../server/documents/rapergub-spbe.js'
import { generateAmendment } from '../shared/amendment/generator.js'
import { applyAmendment } from '../shared/amendment/apply.js'
import { wordPasalI, wordPoint } from '../shared/amendment/wording.js'
import { alignAmendment, type AlignedUnit } from '../shared/amendment/alignment.js'
import { readFixture } from './amendment/fixture.js'
import { prng } from './harness/random.js'
import { randomEdits } from './amendment/edits.js'

/**
 * Issue 17: the amendment generator on random edits of the sample draft. Whatever the team changes
 * in the consolidated text, Pasal I generated from it, applied to the base, gives the consolidated
 * text back, unit for unit and word for word.
 */

const RUNS = 150

describe('amendment generator on random edits of the sample Pergub', () => {
  it('applying the generated Pasal I to the base gives back the consolidated text', () => {
    const base = createRapergubSpbe()
    const counts = new Map<string, number>()
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = prng(seed)
      const { doc: consolidated, edits } = randomEdits(base, random, random.between(1, 6))
      const points = generateAmendment(base, consolidated)
      for (const point of points)
        counts.set(`${point.action} ${point.units[0]!.at(-1)!.kind}`, (counts.get(`${point.action} ${point.units[0]!.at(-1)!.kind}`) ?? 0) + 1)
      expect(points.length, `seed ${seed}: ${edits.join(', ')}`).toBeGreaterThan(0)
      for (const point of points) expect(wordPoint(point)).toMatch(/[:.]$/)
      expect(applyAmendment(base, points).toJSON(), `seed ${seed}: ${edits.join(', ')}`).toEqual(consolidated.toJSON())
    }
    console.log('points generated over', RUNS, 'runs:', Object.fromEntries([...counts].sort()))
    // Every kind of point the edits can call for was generated at least once.
    for (const kind of [
      'diubah pasal',
      'diubah ayat',
      'diubah huruf',
      'disisipkan pasal',
      'disisipkan ayat',
      'disisipkan huruf',
      'dihapus pasal',
      'dihapus ayat',
      'disisipkan bab',
      'ditambahkan bab',
      'disisipkan bagian',
      'ditambahkan lampiran',
      'diubah bab',
    ])
      expect(counts.get(kind) ?? 0, kind).toBeGreaterThan(0)
  }, 120_000)

  it('generates no point when the consolidated text is the base', () => {
    const base = createRapergubSpbe()
    expect(generateAmendment(base, base)).toEqual([])
  })
})

const CASES = [
  'perda-dki-covid19',
  'pergub-dki-psbb',
  'perwali-surabaya-tatanan-normal',
  'permendagri-produk-hukum-daerah',
  'pergub-kaltim-standar-harga',
]

interface Case {
  readonly jenisName: string
  readonly title: string
  readonly gazette: string
}

const fixture = (name: string, file: string) => new URL(`./fixtures/amendments/${name}/${file}`, import.meta.url)

/** Every aligned unit of the consolidated text, in document order. */
function consolidatedUnits(units: readonly AlignedUnit[]): AlignedUnit[] {
  return units.flatMap((unit) => (unit.consolidated ? [unit, ...consolidatedUnits(unit.children)] : []))
}

describe.each(CASES)('amendment of a published regulation: %s', (name) => {
  const base = readFixture(fixture(name, 'base.txt'))
  const consolidated = readFixture(fixture(name, 'consolidated.txt'))
  const meta = JSON.parse(readFileSync(fixture(name, 'case.json'), 'utf8')) as Case
  const points = generateAmendment(base.doc, consolidated.doc)

  it('writes Pasal I as the published amendment does', () => {
    const wording = wordPasalI(points, { title: meta.title, gazette: meta.gazette }, { jenisName: meta.jenisName })
    const expected = readFileSync(fixture(name, 'pasal-i.txt'), 'utf8').trim().split('\n')
    expect([wording.opening, ...wording.points]).toEqual(expected)
  })

  it('numbers the consolidated text as the published one: base numbers kept, new units suffixed, deleted ones kept (S24)', () => {
    const alignment = alignAmendment(base.doc, consolidated.doc)
    const units = [...consolidatedUnits(alignment.bab), ...consolidatedUnits(alignment.lampiran)]
    expect(units.length).toBe(consolidated.numbers.size)
    for (const unit of units)
      expect(unit.number, `${unit.kind} ${String(unit.consolidated!.attrs.id)}`).toBe(consolidated.numbers.get(unit.consolidated!.attrs.id as string))
  })

  it('applied to the base, gives back the consolidated text', () => {
    // Word for word and unit for unit; the ids inside a "Dihapus." Pasal are the fixture's, not the base's.
    const textOf = (doc: Node) => JSON.parse(JSON.stringify(doc.toJSON(), (key, value: unknown) => (key === 'id' ? undefined : value))) as unknown
    expect(textOf(applyAmendment(base.doc, points))).toEqual(textOf(consolidated.doc))
  })
})
