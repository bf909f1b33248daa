import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import mammoth from 'mammoth'
import type { DocumentRecord } from '../../shared/documents.js'
import type { AmendmentArticles } from '../../shared/amendment/articles.js'
import type { StatusRecord } from '../../shared/agreement.js'
import type { Thread } from '../../shared/comments.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, waitFor, type Person } from '../harness/clients.js'
import { AKN_XSD, xmllint } from '../harness/xml.js'
import { ayatText, insertPasalAfter, pasal, pasalElements } from '../harness/document.js'

/**
 * Issue 17 against the real server: an amendment draft ("Rancangan perubahan") created from the
 * sample Pergub, edited by two stock clients at once, and Pasal I written from the difference.
 */

const BASE = 'rapergub-spbe'
const idOf = (element: Y.XmlElement) => element.getAttribute('id') as string

const createAmendment = (server: TestServer, who: Pick<Person, 'token'>, amends: unknown) =>
  api<DocumentRecord & { error?: string }>(server, 'POST', '/api/docs', { token: who.token, body: { amends } })

/** GET an export as bytes. */
async function download(server: TestServer, token: string, docId: string, format: string) {
  const response = await fetch(`${server.url}/api/docs/${docId}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } })
  const bytes = Buffer.from(await response.arrayBuffer())
  return { status: response.status, bytes, text: bytes.toString('utf8') }
}

/** The lines of a DOCX as Word shows them (mammoth's raw text), blank lines dropped. */
async function docxLines(bytes: Buffer): Promise<string[]> {
  const { value } = await mammoth.extractRawText({ buffer: bytes })
  return value
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
}

/** Replaces the whole text of a Y.XmlText. */
function retype(text: Y.XmlText, value: string) {
  text.delete(0, text.length)
  text.insert(0, value)
}

/** The heading text of BAB `index` (0-based) of the sample. */
function babJudul(doc: Y.Doc, index: number): Y.XmlText {
  const batangTubuh = doc
    .getXmlFragment('prosemirror')
    .toArray()
    .find((n) => n instanceof Y.XmlElement && n.nodeName === 'batangTubuh') as Y.XmlElement
  const bab = batangTubuh.toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'bab')[index] as Y.XmlElement
  return (bab.get(0) as Y.XmlElement).get(0) as Y.XmlText
}

describe('amendment drafts against the real server', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let draft: DocumentRecord

  beforeAll(async () => {
    // Several exports a minute by one person: the export limits have their own test (limits.test.ts).
    server = await startServer({ env: { EXPORTS_PER_MINUTE: '1000', EXPORTS_BURST: '1000', CONCURRENT_EXPORTS: '8' } })
    people = await meeting(server)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses a Rancangan perubahan to non-admins, for an unknown base, and with hostile metadata', async () => {
    expect((await createAmendment(server, people.rina, { documentId: BASE })).status).toBe(403)
    expect((await createAmendment(server, people.admin, { documentId: 'tidak-ada' })).status).toBe(404)
    expect((await createAmendment(server, people.admin, { documentId: '../../v1/meta' })).status).toBe(404)
    expect((await createAmendment(server, people.admin, { documentId: BASE, tahun: 20210 })).status).toBe(400)
    expect((await createAmendment(server, people.admin, { documentId: BASE, nama: 'x'.repeat(201) })).status).toBe(400)
    expect((await createAmendment(server, people.admin, { documentId: BASE, nama: 'Data\u0000' })).status).toBe(400)
    expect((await createAmendment(server, people.admin, { documentId: BASE, jenis: 'perpres' })).status).toBe(400)
    expect((await createAmendment(server, people.admin, 'rapergub-spbe')).status).toBe(400)
    // The ids of the base and of its frozen text are the server's, never the request's.
    const forged = await createAmendment(server, people.admin, { documentId: BASE, versionId: 'lain', nama: 'SPBE' })
    expect(forged.status).toBe(201)
    expect(forged.body.meta.amends).toMatchObject({ documentId: BASE, nama: 'SPBE' })
    expect(forged.body.meta.amends!.versionId).not.toBe('lain')
    const patched = await api<DocumentRecord>(server, 'PATCH', `/api/docs/${forged.body.id}`, {
      token: people.rina.token,
      body: { meta: { amends: { documentId: 'lain', versionId: 'lain', nomor: '12' } } },
    })
    expect(patched.status).toBe(200)
    expect(patched.body.meta.amends).toMatchObject({ documentId: BASE, versionId: forged.body.meta.amends!.versionId, nomor: '12' })
    expect(patched.body.title).toBe(
      'Rancangan Peraturan Gubernur Kalimantan Timur tentang Perubahan atas Peraturan Gubernur Nomor 12 Tahun … tentang SPBE',
    )
    const onOrdinary = await api(server, 'PATCH', `/api/docs/${BASE}`, { token: people.rina.token, body: { meta: { amends: { nomor: '1' } } } })
    expect(onOrdinary.status).toBe(400)
    expect((await api(server, 'GET', `/api/docs/${BASE}/perubahan`, { token: people.rina.token })).status).toBe(404)
  })

  it('creates an amendment draft whose text is the base with the same ids, under a judul, Menimbang and Mengingat citing the base', async () => {
    const created = await createAmendment(server, people.admin, { documentId: BASE, nomor: '12', tahun: 2021 })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    draft = created.body
    expect(draft.title).toBe(
      'Rancangan Peraturan Gubernur Kalimantan Timur tentang Perubahan atas Peraturan Gubernur Nomor 12 Tahun 2021 tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik',
    )
    expect(draft.meta).toMatchObject({ jenis: 'pergub', nomor: null, tahun: null })
    expect(draft.meta.amends).toMatchObject({
      documentId: BASE,
      jenis: 'pergub',
      nomor: '12',
      tahun: 2021,
      nama: 'Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik',
    })

    const base = connect(server, BASE, people.rina.token)
    const copy = connect(server, draft.id, people.rina.token)
    try {
      await Promise.all([base.synced, copy.synced])
      expect(pasalElements(copy.doc).map(idOf)).toEqual(pasalElements(base.doc).map(idOf))
      const text = copy.doc.getXmlFragment('prosemirror').toString()
      expect(text).toContain('PERUBAHAN ATAS PERATURAN GUBERNUR NOMOR 12 TAHUN 2021 TENTANG PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK')
      expect(text).toContain(
        'bahwa ketentuan dalam Peraturan Gubernur Kalimantan Timur Nomor 12 Tahun 2021 tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik perlu disesuaikan',
      )
      expect(text).toContain(
        'Peraturan Gubernur Kalimantan Timur Nomor 12 Tahun 2021 tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik (Berita Daerah Provinsi Kalimantan Timur Tahun 2021 Nomor …);',
      )
    } finally {
      base.destroy()
      copy.destroy()
    }
    const versions = await api<SnapshotMeta[]>(server, 'GET', `/api/docs/${draft.id}/snapshots`, { token: people.rina.token })
    expect(versions.body.map((v) => v.id)).toContain(draft.meta.amends!.versionId)
    const untouched = await api<AmendmentArticles>(server, 'GET', `/api/docs/${draft.id}/perubahan`, { token: people.viewer.token })
    expect(untouched.body.points).toEqual([])
  })

  it('writes Pasal I for five kinds of change made by two clients at once, and Pasal II', async () => {
    const rina = connect(server, draft.id, people.rina.token)
    const bayu = connect(server, draft.id, people.bayu.token)
    let insertedId = ''
    try {
      await Promise.all([rina.synced, bayu.synced])
      const deletedId = idOf(pasal(bayu.doc, 11))
      // Both at once: each client's changes are made before either has seen the other's.
      rina.doc.transact(() => {
        retype(ayatText(pasal(rina.doc, 4)), 'Ruang lingkup Peraturan Gubernur ini meliputi seluruh unsur SPBE berikut:')
        retype(ayatText(pasal(rina.doc, 7), 1), 'Peta Rencana SPBE Pemerintah Daerah ditetapkan oleh Gubernur untuk jangka waktu 5 (lima) tahun.')
      })
      bayu.doc.transact(() => {
        insertedId = idOf(insertPasalAfter(pasal(bayu.doc, 8), 'pasal8aamandemen', 'Perangkat Daerah melaporkan belanja SPBE setiap tahun.'))
        const gone = pasalElements(bayu.doc).find((p) => idOf(p) === deletedId)!
        ;(gone.parent as Y.XmlElement).delete((gone.parent as Y.XmlElement).toArray().indexOf(gone), 1)
        retype(babJudul(bayu.doc, 2), 'MANAJEMEN DAN TATA KELOLA SPBE')
      })
      await waitFor(() => Y.encodeStateVector(rina.doc).toString() === Y.encodeStateVector(bayu.doc).toString(), 'both clients converge')

      let articles: AmendmentArticles | undefined
      await waitFor(async () => {
        articles = (await api<AmendmentArticles>(server, 'GET', `/api/docs/${draft.id}/perubahan`, { token: people.viewer.token })).body
        return articles.points.length === 5
      }, 'Pasal I with five points')
      console.log(JSON.stringify(articles, (key, value: unknown) => (key === 'quoted' ? undefined : value), 1))
      expect(articles!.opening).toBe(
        'Beberapa ketentuan dalam Peraturan Gubernur Kalimantan Timur Nomor 12 Tahun 2021 tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik (Berita Daerah Provinsi Kalimantan Timur Tahun 2021 Nomor …) diubah sebagai berikut:',
      )
      expect(articles!.points.map((p) => p.words)).toEqual([
        '1. Ketentuan Pasal 4 diubah sehingga berbunyi sebagai berikut:',
        '2. Ketentuan ayat (2) Pasal 7 diubah sehingga Pasal 7 berbunyi sebagai berikut:',
        '3. Di antara Pasal 8 dan Pasal 9 disisipkan 1 (satu) pasal, yakni Pasal 8A sehingga berbunyi sebagai berikut:',
        '4. Pasal 11 dihapus.',
        '5. Judul BAB III diubah sehingga berbunyi sebagai berikut:',
      ])
      expect(articles!.pasalII).toBe('Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.')
    } finally {
      rina.destroy()
      bayu.destroy()
    }

    // Comments and agreement on the suffixed Pasal 8A work as on any Pasal.
    const thread = await api<Thread>(server, 'POST', `/api/docs/${draft.id}/threads`, {
      token: people.commenter.token,
      body: { anchor: { pasalId: insertedId }, text: 'Pasal 8A perlu memuat tenggat laporan.' },
    })
    expect(thread.status, JSON.stringify(thread.body)).toBe(201)
    const agreed = await api<StatusRecord>(server, 'PUT', `/api/docs/${draft.id}/statuses/${insertedId}`, {
      token: people.rina.token,
      body: { status: 'disepakati' },
    })
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(200)
    const threads = await api<Thread[]>(server, 'GET', `/api/docs/${draft.id}/threads`, { token: people.viewer.token })
    expect(threads.body.map((t) => t.anchor.pasalId)).toContain(insertedId)
    const statuses = await api<StatusRecord[]>(server, 'GET', `/api/docs/${draft.id}/statuses`, { token: people.viewer.token })
    expect(statuses.body.find((s) => s.pasalId === insertedId)?.status).toBe('disepakati')
  })

  it('exports the amendment regulation (Pasal I and II) as DOCX and for print, and the naskah terpadu with the base numbers', async () => {
    const perubahan = await docxLines((await download(server, people.viewer.token, draft.id, 'perubahan')).bytes)
    const at = (text: string) => perubahan.indexOf(text)
    expect(perubahan).toContain(
      'PERUBAHAN ATAS PERATURAN GUBERNUR NOMOR 12 TAHUN 2021 TENTANG PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
    )
    expect(at('Pasal I')).toBeGreaterThan(-1)
    expect(at('Pasal II')).toBeGreaterThan(at('Pasal I'))
    // Each point's words, then the unit it quotes, numbered as the amendment numbers it.
    const inserted = perubahan.findIndex((line) => line.includes('Di antara Pasal 8 dan Pasal 9 disisipkan 1 (satu) pasal, yakni Pasal 8A'))
    expect(inserted).toBeGreaterThan(at('Pasal I'))
    expect(perubahan.slice(inserted + 1, inserted + 4)).toEqual(
      expect.arrayContaining(['Pasal 8A', 'Perangkat Daerah melaporkan belanja SPBE setiap tahun.']),
    )
    expect(perubahan.some((line) => line.includes('Pasal 11 dihapus.'))).toBe(true)
    expect(perubahan).toContain('MANAJEMEN DAN TATA KELOLA SPBE')
    expect(perubahan.some((line) => line.includes('Peraturan Gubernur ini mulai berlaku pada tanggal diundangkan.'))).toBe(true)

    const print = await download(server, people.viewer.token, draft.id, 'perubahan-html')
    expect(print.status).toBe(200)
    expect(print.text.replace(/<[^>]+>/g, '')).toContain('Ketentuan ayat (2) Pasal 7 diubah sehingga Pasal 7 berbunyi sebagai berikut:')

    const terpadu = await docxLines((await download(server, people.viewer.token, draft.id, 'terpadu')).bytes)
    const labels = terpadu.filter((line) => /^Pasal \d+[A-Z]?$/.test(line))
    expect(labels.slice(6, 12)).toEqual(['Pasal 7', 'Pasal 8', 'Pasal 8A', 'Pasal 9', 'Pasal 10', 'Pasal 11'])
    // The core numbers the kept ayat of a deleted Pasal "(1)" (reported): the words are what matter here.
    expect(terpadu[terpadu.indexOf('Pasal 11') + 1]).toMatch(/Dihapus\.$/)
    expect(labels.at(-1)).toBe('Pasal 30')

    expect((await download(server, people.viewer.token, BASE, 'terpadu')).status).toBe(400)
  })

  it('exports the amendment as Akoma Ntoso valid against the schema, the naskah terpadu with passiveModifications, and the tabel perbandingan', async () => {
    const akn = await download(server, people.viewer.token, draft.id, 'perubahan-akn')
    expect(akn.status).toBe(200)
    const verdict = await xmllint(akn.text, AKN_XSD)
    expect(verdict.valid, verdict.output).toBe(true)
    const mods = [...akn.text.matchAll(/<textualMod eId="amod_\d+" type="([a-z]+)">/g)].map((m) => m[1])
    expect(mods).toEqual(['substitution', 'substitution', 'insertion', 'repeal', 'substitution'])
    const work = '/akn/id/act/pergub/kalimantan-timur/2021/12/!main'
    expect(akn.text).toContain(`<destination href="${work}#art_8" pos="after"/>`)
    expect(akn.text).toContain(`<destination href="${work}#art_11"/>`)
    expect(akn.text).toContain('<num>Pasal 8A</num>')

    const terpadu = await download(server, people.viewer.token, draft.id, 'akn')
    const consolidated = await xmllint(terpadu.text, AKN_XSD)
    expect(consolidated.valid, consolidated.output).toBe(true)
    expect(terpadu.text.match(/<textualMod eId="pmod_\d+"/g)).toHaveLength(5)
    expect(terpadu.text).toContain('<destination href="#art_8A"/>')

    const table = await docxLines((await download(server, people.viewer.token, draft.id, 'perbandingan')).bytes)
    expect(table.slice(0, 6)).toEqual(expect.arrayContaining(['KETENTUAN LAMA', 'KETENTUAN BARU']))
    expect(table.filter((line) => /^\d+\. /.test(line))).toHaveLength(5)
    expect(table).toContain('MANAJEMEN DAN TATA KELOLA SPBE')
  })
})
