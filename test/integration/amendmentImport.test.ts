import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { startServer, type TestServer } from '../harness/server.js'
import { api, meeting, type Person } from '../harness/clients.js'
import type { ImportedDocument } from '../../shared/documents.js'
import type { AmendmentArticles } from '../../shared/amendment/articles.js'
import { wordPoint } from '../../shared/amendment/wording.js'
import { corpus } from '../fixtures/regulations/corpus.js'
import { amendments } from '../fixtures/amendments-word/corpus.js'

/**
 * Issue 17, import: a Word file of a real amendment regulation whose base is among the drafts
 * becomes an amendment draft of that base, its consolidated text the base with Pasal I carried
 * out, so that Pasal I generated from it words the points the file holds (SPEC S25). Without its
 * base, it stays a draft of its own with Pasal I as text, and the report says why.
 */

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
type Imported = ImportedDocument & { error?: string }

let server: TestServer
let admin: Person

async function importFile(path: URL): Promise<{ status: number; body: Imported }> {
  const response = await fetch(`${server.url}/api/docs/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': DOCX },
    body: readFileSync(path),
  })
  return { status: response.status, body: (await response.json()) as Imported }
}
const baseFile = (stem: string) => new URL(`../fixtures/regulations/${stem}.clean.docx`, import.meta.url)
const amendmentFile = (stem: string) => new URL(`../fixtures/amendments-word/${stem}.docx`, import.meta.url)

beforeAll(async () => {
  server = await startServer({ env: { IMPORTS_PER_MINUTE: '100', IMPORTS_BURST: '100' } })
  admin = (await meeting(server)).admin
})

afterAll(async () => {
  await server?.dispose()
})

describe('importing an amendment regulation whose base is among the drafts', () => {
  it('keeps Pasal I as text and says in the report that the base was not found, before the base is imported', async () => {
    const reg = amendments.find((r) => r.stem.startsWith('pergub-maluku'))!
    const imported = await importFile(amendmentFile(reg.stem))
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    expect(imported.body.meta.amends).toBeUndefined()
    expect(imported.body.report).toContainEqual({
      where: 'judul',
      what: 'Peraturan Gubernur Maluku Nomor 98 Tahun 2021 yang diubah tidak ditemukan di antara rancangan: naskah terpadu tidak disusun',
      action: 'disimpan sebagai teks',
    })
    const perubahan = await api(server, 'GET', `/api/docs/${imported.body.id}/perubahan`, { token: admin.token })
    expect(perubahan.status).toBe(404)
  })

  /** Imports the base regulation of `stem` and then the amendment regulation; both must be created. */
  async function importPair(stem: string) {
    const reg = amendments.find((r) => r.stem.startsWith(stem))!
    const base = corpus.find((r) => r.meta.jenis === reg.base.jenis && r.meta.nomor === reg.base.nomor && r.meta.tahun === reg.base.tahun)!
    const baseImport = await importFile(baseFile(base.stem))
    expect(baseImport.status, JSON.stringify(baseImport.body)).toBe(201)
    const imported = await importFile(amendmentFile(reg.stem))
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    const perubahan = await api<AmendmentArticles>(server, 'GET', `/api/docs/${imported.body.id}/perubahan`, { token: admin.token })
    return { reg, baseId: baseImport.body.id, imported: imported.body, perubahan }
  }

  it('imports the Sleman amendment as an amendment draft of the imported Perda, and Pasal I generated from it words the points of the file (S25)', async () => {
    const { reg, baseId, imported, perubahan } = await importPair('perda-sleman')
    const { amends, ...own } = imported.meta
    expect(own).toEqual(reg.meta)
    expect(amends).toMatchObject({ documentId: baseId, jenis: reg.base.jenis, nomor: reg.base.nomor, tahun: reg.base.tahun })
    expect(imported.report.filter((entry) => entry.where === 'judul' || entry.where.startsWith('Pasal I'))).toEqual([])
    expect(perubahan.status).toBe(200)
    const generated = perubahan.body.points.map(({ point }) => wordPoint(point))
    // The file names the base's one Lampiran "Lampiran I"; under the base's numbering a lone Lampiran has no number.
    const read = imported.points!.map((point) => wordPoint(point).replaceAll('Lampiran I ', 'Lampiran '))
    console.log(`${reg.stem}: ${generated.length} points generated, ${read.length} read`)
    expect(generated).toEqual(read)
  })

  it('imports the Bogor amendment as an amendment draft: the changed BAB title and the deleted Pasal come out as the file words them', async () => {
    const { baseId, imported, perubahan } = await importPair('perwali-bogor')
    expect(imported.meta.amends?.documentId).toBe(baseId)
    expect(perubahan.status).toBe(200)
    const generated = perubahan.body.points.map(({ point }) => wordPoint(point))
    const read = imported.points!.map((point) => wordPoint(point))
    for (const words of read.filter((w) => w.startsWith('Judul') || w.endsWith('dihapus.'))) expect(generated).toContain(words)
    // The file quotes, as its Pasal 5, the words of the base's Pasal 4 and one more ayat: Pasal 5 reads as restated.
    expect(generated).toContain('Ketentuan Pasal 5 diubah sehingga berbunyi sebagai berikut:')
  })

  it('keeps the Maluku amendment as a draft of its own and names the point whose Pasal the base lacks', async () => {
    const { imported, perubahan } = await importPair('pergub-maluku')
    expect(imported.meta.amends).toBeUndefined()
    expect(perubahan.status).toBe(404)
    expect(imported.report).toContainEqual({
      where: 'Pasal I angka 4',
      what: 'Angka 4 menyebut ketentuan yang tidak ada dalam naskah dasar "Rancangan Peraturan Gubernur Maluku tentang Sistem Pemerintahan Berbasis Elektronik": naskah terpadu tidak disusun',
      action: 'disimpan sebagai teks',
    })
  })

  it('reports a base whose text lacks a unit a point names, and keeps Pasal I as text', async () => {
    const reg = amendments.find((r) => r.stem.startsWith('perwali-surabaya'))!
    // A draft numbered as the base the judul cites, but without the Pasal the points name.
    const created = await api<{ id: string }>(server, 'POST', '/api/docs', {
      token: admin.token,
      body: {
        nama: 'Pedoman Tatanan Normal Baru',
        meta: { jenis: reg.base.jenis, daerah: reg.base.daerah, nomor: reg.base.nomor, tahun: reg.base.tahun },
      },
    })
    expect(created.status).toBe(201)
    const imported = await importFile(amendmentFile(reg.stem))
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    expect(imported.body.meta.amends).toBeUndefined()
    expect(imported.body.report).toContainEqual(
      expect.objectContaining({
        where: expect.stringMatching(/^Pasal I/),
        what: expect.stringMatching(/tidak ada dalam naskah dasar/),
        action: 'disimpan sebagai teks',
      }),
    )
  })
})
