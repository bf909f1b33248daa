import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Node } from 'prosemirror-model'
import {
  ayat as ayatNode,
  bab,
  lampiran,
  pasal as pasalNode,
  pasalIds,
  penjelasan,
  penjelasanPasal,
  regulation,
  table,
  type ButirSpec,
  type RincianSpec,
} from '../shared/model/builders.js'
import { explainedPasal, numberDocument } from '../shared/model/numbering.js'
import { recogniseDraft, type RecognisedDraft } from '../server/import/recognise.js'
import { readDocxEntries } from '../server/import/docxArchive.js'
import { findWordParts, readWordDocument } from '../server/import/wordDocument.js'
import { toDocx } from '../server/export/docx.js'
import { toRegulation } from '../server/export/regulation.js'
import { corpus } from './fixtures/regulations/corpus.js'
import { countsOf, type Item, type RegulationText } from './fixtures/regulations/regulationText.js'

/**
 * Issue 14: the import on Word files made from real published regulations (test/fixtures/regulations),
 * each in a clean and a messy variant. What the import must find is computed from the same
 * regulation text the files were written from, never from the recogniser.
 */

const LIMITS = { maxEntries: 1000, maxInflatedBytes: 64 * 1024 * 1024, maxRatio: 100 }

async function recognise(bytes: Uint8Array): Promise<RecognisedDraft> {
  return recogniseDraft(readWordDocument(findWordParts(await readDocxEntries(bytes, LIMITS))!))
}

const fixture = (reg: RegulationText, variant: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/regulations/${reg.stem}.${variant}.docx`, import.meta.url)))

/** Structure and text without ids, which are fresh on every import: a Penjelasan entry shows the Pasal it is bound to by its number. */
function shape(doc: Node): unknown {
  const numbering = numberDocument(doc)
  const strip = (json: unknown): unknown => {
    if (Array.isArray(json)) return json.map(strip)
    if (typeof json !== 'object' || json === null) return json
    return Object.fromEntries(
      Object.entries(json).map(([key, value]) => {
        if (key !== 'attrs') return [key, strip(value)]
        const { id: _id, pasal, ...rest } = value as Record<string, unknown>
        const bound = typeof pasal === 'string' ? numbering.byId.get(pasal)?.label : undefined
        return [key, pasal === undefined ? rest : { ...rest, pasal: bound ?? null }]
      }),
    )
  }
  return strip(doc.toJSON())
}

const butir = (item: Item): ButirSpec => (typeof item === 'string' ? item : [item.text, { items: item.items.map(butir) }])

/** The draft the regulation should become: its text in our schema; the judul's kind, jabatan, Menetapkan, order to promulgate and signature come from the metadata. */
function expectedDoc(reg: RegulationText): Node {
  const body = expectedBody(reg)
  const ids = pasalIds(body)
  const annexes = [
    ...(reg.penjelasan
      ? [
          penjelasan(
            reg.penjelasan.umum,
            reg.penjelasan.pasal.map(([heading, text]) => penjelasanPasal(ids[Number(heading.replace('Pasal ', '')) - 1]!, text)),
          ),
        ]
      : []),
    ...(reg.lampiran ? [lampiran(reg.lampiran.paragraphs[0]!, ...reg.lampiran.paragraphs.slice(1), table(reg.lampiran.table))] : []),
  ]
  return body.type.create(null, [...body.children, ...annexes])
}

function expectedBody(reg: RegulationText): Node {
  return regulation({
    nama: reg.nama,
    menimbang: reg.menimbang,
    mengingat: reg.mengingat,
    batangTubuh: reg.bab.map((b) =>
      bab(
        b.title,
        ...b.pasal.map((p) =>
          pasalNode(
            ...p.map((a) => {
              const list: RincianSpec | undefined = a.items && {
                jenis: /yang dimaksud dengan:$/.test(a.text) ? 'angka' : 'huruf',
                items: a.items.map(butir),
              }
              return ayatNode(a.text, list, a.closing)
            }),
          ),
        ),
      ),
    ),
  })
}

describe('the import on Word files of real regional regulations (clean and messy variants)', () => {
  for (const reg of corpus) {
    for (const variant of ['clean', 'messy'] as const) {
      describe(`${reg.stem}.${variant}.docx`, () => {
        it('finds every BAB, Pasal, ayat and rincian with its text, and no word glued to the next', async () => {
          const draft = await recognise(fixture(reg, variant))
          expect(draft.counts).toEqual(countsOf(reg))
          expect(shape(draft.doc)).toEqual(shape(expectedDoc(reg)))
          expect(draft.jenis).toBe(reg.jenis)
          expect(draft.nama).toBe(reg.nama)
        })

        it('recognises the metadata: jenis, daerah, pejabat, tempat, nomor and tahun', async () => {
          expect((await recognise(fixture(reg, variant))).meta).toEqual(reg.meta)
        })

        it('lists in the report what it did not take over as it stood, and nothing else', async () => {
          const draft = await recognise(fixture(reg, variant))
          const expected = [
            { where: 'penutup', what: expect.stringContaining(reg.signature.nama), action: 'diganti dengan blok tanda tangan dari data naskah' },
          ]
          if (variant === 'messy' && reg.stem.startsWith('perbup')) {
            expected.push({ where: 'Pasal 6', what: 'Rincian "1)" di bawah "a." ditulis "1."', action: 'dinomori ulang menurut Lampiran II' })
          }
          if (reg.penjelasan) {
            // The Penjelasan and Lampiran are stored; only the supplement's gazette line is not.
            expected.push({ where: 'Penjelasan', what: expect.stringMatching(/^TAMBAHAN LEMBARAN DAERAH /), action: 'tidak diimpor' })
          }
          expect(draft.report).toEqual(expect.arrayContaining(expected))
          expect(draft.report).toHaveLength(expected.length)
        })

        if (reg.penjelasan || reg.lampiran) {
          it('stores the Penjelasan bound to the imported Pasal and the Lampiran with its table, and keeps them out of the last Pasal', async () => {
            const { annexes, doc } = await recognise(fixture(reg, variant))
            if (reg.penjelasan) {
              expect(annexes.penjelasan?.umum).toEqual(reg.penjelasan.umum)
              expect(annexes.penjelasan?.pasal.map((p) => [p.heading, p.text.join(' ')])).toEqual(reg.penjelasan.pasal)
              const numbering = numberDocument(doc)
              const entries: Array<[string | undefined, string]> = []
              doc.forEach((part) =>
                part.forEach((node) => {
                  if (node.type.name === 'penjelasanPasal')
                    entries.push([explainedPasal(node, numbering)?.label, node.textBetween(0, node.content.size, ' ')])
                }),
              )
              expect(entries).toEqual(reg.penjelasan.pasal)
            }
            if (reg.lampiran) {
              expect(annexes.lampiran).toHaveLength(1)
              expect(annexes.lampiran[0]!.heading).toEqual(reg.lampiran.heading)
              expect(annexes.lampiran[0]!.signature).toEqual([reg.signature.pejabat, 'ttd.', reg.signature.nama])
              const stored = doc.lastChild!
              expect(stored.type.name).toBe('lampiran')
              expect(stored.firstChild!.textContent).toBe(reg.lampiran.paragraphs[0])
              const cells: string[][] = []
              stored.lastChild!.forEach((row) => {
                const texts: string[] = []
                row.forEach((cell) => texts.push(cell.textContent))
                cells.push(texts)
              })
              expect(cells).toEqual(reg.lampiran.table)
            }
            const body = doc.child(2).textContent + doc.child(3).textContent
            expect(body).not.toMatch(/PENJELASAN|LAMPIRAN|Cukup jelas|Ditetapkan di|ttd\./)
          })
        }

        it('reads our own DOCX export of the imported draft back to the same structure and text', async () => {
          const first = await recognise(fixture(reg, variant))
          const again = await recognise(await toDocx(toRegulation(first.doc, first.meta)))
          expect(shape(again.doc)).toEqual(shape(first.doc))
          expect(again.counts).toEqual(first.counts)
        })
      })
    }
  }
})
