import { readFileSync } from 'node:fs'
import { Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import { schema } from '../shared/model/schema.js'
import { recogniseDraft, type RecognisedDraft } from '../server/import/recognise.js'
import { readDocxEntries } from '../server/import/docxArchive.js'
import { findWordParts, readWordDocument } from '../server/import/wordDocument.js'
import { toRegulation } from '../server/export/regulation.js'
import { toAkn, workOf } from '../server/export/akn.js'
import { passiveModifications, toAmendmentAkn } from '../server/export/amendmentAkn.js'
import { amendments } from './fixtures/amendments-word/corpus.js'
import { buildAmendmentDocx } from './fixtures/amendments-word/build.js'
import type { AmendmentText } from './fixtures/amendments-word/amendmentText.js'
import { pergubMalukuPerubahan } from './fixtures/amendments-word/pergub-maluku-perubahan-spbe.js'
import { AKN_XSD, xmllint } from './harness/xml.js'

/**
 * Issue 17: the Word import of real amendment regulations ("Perubahan atas …",
 * test/fixtures/amendments-word) and the Akoma Ntoso of what it reads. What the import must find is
 * written in the same data the files were made from, never taken from the recogniser.
 */

const LIMITS = { maxEntries: 1000, maxInflatedBytes: 64 * 1024 * 1024, maxRatio: 100 }

async function recognise(bytes: Uint8Array): Promise<RecognisedDraft> {
  return recogniseDraft(readWordDocument(findWordParts(await readDocxEntries(bytes, LIMITS))!))
}
const fixture = (reg: AmendmentText) => new Uint8Array(readFileSync(new URL(`./fixtures/amendments-word/${reg.stem}.docx`, import.meta.url)))

/** The text of a quoted unit as its lines give it: headings ("Pasal 5", "BAB VA") and labels left out. */
const quotedText = (lines: readonly string[]) =>
  lines.filter((line) => !/^(Pasal|BAB)\s+\S+$/.test(line)).map((line) => line.replace(/^(\(\d+[a-z]?\)|[a-z]\.|\d+\.)\s+/, ''))
/** The text of every textblock of a node, in order. */
function textblocks(json: unknown): string[] {
  const texts: string[] = []
  Node.fromJSON(schema, json).descendants((node) => {
    if (node.isTextblock) texts.push(node.textContent)
    return !node.isTextblock
  })
  return texts
}
const draftText = (draft: RecognisedDraft) => draft.doc.textBetween(0, draft.doc.content.size, '\n', ' ')

describe('the import of real amendment regulations (Perubahan atas …) from Word', () => {
  for (const reg of amendments) {
    describe(`${reg.stem}.docx`, () => {
      it('reads the metadata and the base regulation the judul cites: jenis, daerah, nomor, tahun and title', async () => {
        const draft = await recognise(fixture(reg))
        expect(draft.meta).toEqual(reg.meta)
        expect(draft.amendment?.base).toEqual(reg.base)
      })

      it("reads every point of Pasal I: action, units with suffix numbers, between, aspect, and the quoted unit's text", async () => {
        const draft = await recognise(fixture(reg))
        const points = draft.amendment!.points
        expect(
          points.map(({ quoted, ...point }) => ({ ...point, ...(quoted ? { quoted: quoted.map(({ address }) => ({ address })) } : {}) })),
        ).toEqual(reg.points.map((p) => p.expected))
        reg.points.forEach((p, i) => {
          const quoted = points[i]!.quoted?.[0]
          if (p.quoted) expect(textblocks(quoted!.node)).toEqual(quotedText(p.quoted))
          else if (quoted) {
            const node = Node.fromJSON(schema, quoted.node)
            expect(node.type.name).toBe('lampiran')
            const rows: string[][] = []
            node.descendants((child) => {
              if (child.type.name === 'table_row') rows.push(textblocks(child.toJSON()))
              return child.type.name !== 'table_row'
            })
            expect(rows).toEqual(reg.lampiran!.table)
          }
        })
        expect(draft.report.filter((entry) => entry.where.startsWith('Pasal I'))).toEqual([])
      })

      it('keeps Pasal I and Pasal II in the draft with every line of every point (S25)', async () => {
        const draft = await recognise(fixture(reg))
        const text = draftText(draft)
        for (const point of reg.points) {
          expect(text).toContain(point.instruction)
          for (const line of point.quoted ?? []) expect(text).toContain(line.replace(/^[“"]|[”"]$/g, ''))
        }
        for (const line of reg.pasalII) expect(text).toContain(line)
        expect(draft.counts.pasal).toBe(2)
      })

      it('exports the amendment as Akoma Ntoso that validates, with a mod per point and its textualMod', async () => {
        const draft = await recognise(fixture(reg))
        const xml = toAmendmentAkn(
          {
            regulation: toRegulation(draft.doc, draft.meta),
            base: draft.amendment!.base!,
            intro: reg.intro,
            points: draft.amendment!.points.map((point, i) => ({ point, instruction: reg.points[i]!.instruction })),
            pasalII: reg.pasalII,
          },
          { docId: reg.stem, date: '2026-11-30' },
        )
        const verdict = await xmllint(xml, AKN_XSD)
        expect(verdict.valid, verdict.output).toBe(true)
        expect(xml.match(/<mod eId=/g)).toHaveLength(reg.points.length)
        expect(xml.match(/<textualMod /g)).toHaveLength(reg.points.length)
        const quotes = reg.points.filter((p) => p.quoted).length
        expect(xml.match(/<quotedStructure /g)).toHaveLength(quotes)
      })
    })
  }

  it('reports a point it cannot read with its whole text, and keeps that text in the draft', async () => {
    const unreadable: AmendmentText = {
      ...pergubMalukuPerubahan,
      points: [
        ...pergubMalukuPerubahan.points,
        {
          instruction: 'Di antara Pasal 9 dan Pasal 10 disisipkan 2 (dua) pasal, yakni Pasal 9A dan Pasal 9B sehingga berbunyi sebagai berikut:',
          quoted: ['Pasal 9A', 'Katalog Layanan SPBE ditetapkan oleh Gubernur.', 'Pasal 9B', 'Katalog Layanan SPBE dimutakhirkan setiap tahun.'],
          expected: { action: 'disisipkan', units: [] },
        },
        { instruction: 'Ketentuan Pasal 13 diganti seluruhnya oleh Lampiran.', expected: { action: 'diubah', units: [] } },
      ],
    }
    const draft = await recognise(new Uint8Array(await buildAmendmentDocx(unreadable)))
    expect(draft.amendment!.points).toHaveLength(4)
    const entries = draft.report.filter((entry) => entry.where.startsWith('Pasal I'))
    expect(entries.map((entry) => entry.where)).toEqual(['Pasal I angka 5', 'Pasal I angka 6'])
    expect(entries[0]!.what).toContain('Pasal 9A dan Pasal 9B')
    expect(entries[0]!.what).toContain('Katalog Layanan SPBE dimutakhirkan setiap tahun.')
    expect(entries[1]!.what).toContain('Ketentuan Pasal 13 diganti seluruhnya oleh Lampiran.')
    const text = draftText(draft)
    for (const point of unreadable.points.slice(4)) {
      expect(text).toContain(point.instruction)
      for (const line of point.quoted ?? []) expect(text).toContain(line)
    }
  })

  it("gives the consolidated base text passiveModifications that point at the amendment's mods, and it validates", async () => {
    const draft = await recognise(fixture(pergubMalukuPerubahan))
    const base = await recognise(new Uint8Array(readFileSync(new URL('./fixtures/regulations/pergub-maluku-spbe.clean.docx', import.meta.url))))
    const amendmentWork = workOf(draft.meta, { docId: 'perubahan', date: '2026-11-30' })
    const analysis = passiveModifications(draft.amendment!.points, amendmentWork)
    const xml = toAkn(toRegulation(base.doc, base.meta), { docId: 'konsolidasi', date: '2026-11-30', analysis, contains: 'singleVersion' })
    const verdict = await xmllint(xml, AKN_XSD)
    expect(verdict.valid, verdict.output).toBe(true)
    expect(analysis).toContain(
      `<textualMod eId="pmod_3" type="insertion"><source href="${amendmentWork}/!main#art_I__para_1__list_1__point_3__mod_1"/><destination href="#art_8A"/>`,
    )
    expect(analysis).toContain('<textualMod eId="pmod_4" type="repeal">')
  })
})
