import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import mammoth from 'mammoth'
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import type { DocumentRecord, DraftMeta } from '../../shared/documents.js'
import { messageDraftMeta, readDraftMeta } from '../../shared/protocol/messages.js'
import { FRAGMENT } from '../../shared/model/ydoc.js'
import { schema } from '../../shared/model/schema.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, roundTrip, waitFor, type Person, type TestClient } from '../harness/clients.js'
import { AKN_XSD, xmllint } from '../harness/xml.js'

/** Issue 14, draft metadata against the real server: a Perbup of Kutai Kartanegara, made, changed and exported (SPEC S18). */

const PERBUP = { jenis: 'perbup', daerah: 'Kutai Kartanegara', tempat: 'Tenggarong' }
const SAMPLE = 'rapergub-spbe'

async function download(server: TestServer, token: string, docId: string, format: 'docx' | 'akn' | 'html'): Promise<Buffer> {
  const response = await fetch(`${server.url}/api/docs/${docId}/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  return Buffer.from(await response.arrayBuffer())
}

/** Every export's words: the DOCX as Word shows it, the HTML and AKN without tags, whitespace folded. */
async function exportedWords(server: TestServer, token: string, docId: string): Promise<{ docx: string; html: string; akn: string; xml: string }> {
  const fold = (text: string) => text.replace(/\s+/g, ' ').trim()
  const docx = (await mammoth.extractRawText({ buffer: await download(server, token, docId, 'docx') })).value
  const html = (await download(server, token, docId, 'html')).toString('utf8')
  const xml = (await download(server, token, docId, 'akn')).toString('utf8')
  const text = (markup: string) => fold(markup.replace(/<br>/g, ' ').replace(/<[^>]+>/g, ' '))
  return { docx: fold(docx), html: text(html.slice(html.indexOf('<body>'))), akn: text(xml.slice(xml.indexOf('<preface>'))), xml }
}

/** The pushes of message 105 a stock client receives once a round trip opted it in to the extensions. */
function metaPushes(client: TestClient): DraftMeta[] {
  const pushes: DraftMeta[] = []
  client.provider.messageHandlers[messageDraftMeta] = (_encoder, decoder) => {
    pushes.push(readDraftMeta(decoder))
  }
  return pushes
}

describe('draft metadata', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let admin: Person
  let perbup: DocumentRecord

  beforeAll(async () => {
    server = await startServer()
    people = await meeting(server)
    admin = people.admin
  })
  afterAll(async () => {
    await server?.dispose()
  })

  it('creates a Perbup of Kutai Kartanegara with the metadata given and defaults for the rest', async () => {
    const created = await api<DocumentRecord>(server, 'POST', '/api/docs', { token: admin.token, body: { nama: 'Pengelolaan Data', meta: PERBUP } })
    expect(created.status).toBe(201)
    perbup = created.body
    const expected = { ...PERBUP, pejabat: 'Bupati Kutai Kartanegara', nomor: null, tahun: null }
    expect(perbup.meta).toEqual(expected)
    expect(perbup.title).toBe('Rancangan Peraturan Bupati Kutai Kartanegara tentang Pengelolaan Data')
    expect((await api<DocumentRecord>(server, 'GET', `/api/docs/${perbup.id}`, { token: people.viewer.token })).body.meta).toEqual(expected)
  })

  it('exports the Perbup with its own region, official, place and gazette, and no word of Kalimantan Timur (S18)', async () => {
    const words = await exportedWords(server, admin.token, perbup.id)
    for (const [format, text] of Object.entries({ docx: words.docx, html: words.html, akn: words.akn })) {
      expect(text, format).toContain('PERATURAN BUPATI KUTAI KARTANEGARA')
      expect(text, format).toContain('BUPATI KUTAI KARTANEGARA,')
      expect(text, format).toContain('PERATURAN BUPATI TENTANG PENGELOLAAN DATA.')
      expect(text, format).toContain('Dalam Peraturan Bupati ini yang dimaksud dengan:')
      expect(text, format).toContain('penempatannya dalam Berita Daerah Kabupaten Kutai Kartanegara.')
      expect(text, format).toContain('Ditetapkan di Tenggarong')
      expect(text, format).toContain('Diundangkan di Tenggarong')
      expect(text, format).toContain('SEKRETARIS DAERAH KABUPATEN KUTAI KARTANEGARA,')
      expect(text, format).toContain('BERITA DAERAH KABUPATEN KUTAI KARTANEGARA TAHUN … NOMOR …')
      expect(text, format).not.toMatch(/KALIMANTAN TIMUR|GUBERNUR|Samarinda/i)
    }
    expect(words.xml).not.toMatch(/KALIMANTAN TIMUR|kalimantan-timur|GUBERNUR|Samarinda/i)
    expect(words.xml).toContain('<act name="perbup"')
    expect(words.xml).toContain('<FRBRauthor href="#pemerintah-kabupaten-kutai-kartanegara"/><FRBRcountry value="id"/><FRBRsubtype value="perbup"/>')
    expect(words.xml).toContain('<TLCOrganization eId="pemerintah-kabupaten-kutai-kartanegara"')
    const verdict = await xmllint(words.xml, AKN_XSD)
    expect(verdict.output).toContain('validates')
  })

  it('changes the metadata by PATCH, pushes it to open editors, and every export follows (S18)', async () => {
    const editor = connect(server, perbup.id, people.rina.token)
    const pushes = metaPushes(editor)
    await editor.synced
    await roundTrip(editor)

    const change = { jenis: 'perda-kabupaten', nomor: '7', tahun: 2026 }
    const patched = await api<DocumentRecord>(server, 'PATCH', `/api/docs/${perbup.id}`, { token: people.rina.token, body: { meta: change } })
    expect(patched.status).toBe(200)
    const meta = { ...PERBUP, ...change, pejabat: 'Bupati Kutai Kartanegara' }
    expect(patched.body.meta).toEqual(meta)
    expect(patched.body.title).toBe('Rancangan Peraturan Daerah Kabupaten Kutai Kartanegara tentang Pengelolaan Data')
    await waitFor(() => pushes.length > 0, 'the metadata pushed to the open editor')
    expect(pushes).toEqual([meta])
    editor.destroy()

    // Each account may export three files at once (EXPORTS burst): this round is Bayu's.
    const words = await exportedWords(server, people.bayu.token, perbup.id)
    for (const [format, text] of Object.entries({ docx: words.docx, html: words.html, akn: words.akn })) {
      expect(text, format).toContain('PERATURAN DAERAH KABUPATEN KUTAI KARTANEGARA NOMOR 7 TAHUN 2026')
      expect(text, format).toMatch(
        /Dengan Persetujuan Bersama DEWAN PERWAKILAN RAKYAT DAERAH KABUPATEN KUTAI KARTANEGARA dan BUPATI KUTAI KARTANEGARA MEMUTUSKAN:/,
      )
      expect(text, format).toContain('PERATURAN DAERAH TENTANG PENGELOLAAN DATA.')
      expect(text, format).toContain('penempatannya dalam Lembaran Daerah Kabupaten Kutai Kartanegara.')
      expect(text, format).toContain('LEMBARAN DAERAH KABUPATEN KUTAI KARTANEGARA TAHUN 2026 NOMOR …')
      expect(text, format).toContain('NOREG PERATURAN DAERAH KABUPATEN KUTAI KARTANEGARA: (…)')
      expect(text, format).not.toContain('BERITA DAERAH')
    }
    expect(words.xml).toContain('<act name="perda-kabupaten"')
    expect(words.xml).toContain('<FRBRdate date="2026-01-01" name="tahun"/>')
    expect(words.xml).toContain('<FRBRnumber value="7"/>')
    expect((await xmllint(words.xml, AKN_XSD)).output).toContain('validates')
  })

  it('refuses a viewer and a commenter (403), invalid metadata (400, naming the field), and an unknown draft (404)', async () => {
    for (const who of [people.viewer, people.commenter]) {
      expect((await api(server, 'PATCH', `/api/docs/${perbup.id}`, { token: who.token, body: { meta: { daerah: 'Paser' } } })).status).toBe(403)
    }
    const bad = await api<{ error: string }>(server, 'PATCH', `/api/docs/${perbup.id}`, {
      token: admin.token,
      body: { meta: { jenis: 'perpres' } },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toContain('Jenis peraturan')
    expect((await api(server, 'PATCH', `/api/docs/${perbup.id}`, { token: admin.token, body: { meta: { tahun: 20260 } } })).status).toBe(400)
    expect((await api(server, 'PATCH', `/api/docs/${perbup.id}`, { token: admin.token, body: { meta: { daerah: 'Kutai\u0007' } } })).status).toBe(400)
    expect((await api(server, 'PATCH', `/api/docs/${perbup.id}`, { token: admin.token, body: {} })).status).toBe(400)
    expect((await api(server, 'PATCH', '/api/docs/tidak-ada', { token: admin.token, body: { meta: {} } })).status).toBe(404)
    expect((await api(server, 'POST', '/api/docs', { token: admin.token, body: { nama: 'X', meta: { jenis: 'raja' } } })).status).toBe(400)
    expect((await api(server, 'POST', '/api/docs', { token: people.rina.token, body: { nama: 'X', meta: PERBUP } })).status).toBe(403)
    expect((await api<DocumentRecord>(server, 'GET', `/api/docs/${perbup.id}`, { token: admin.token })).body.meta.daerah).toBe('Kutai Kartanegara')
  })

  it('keeps the metadata across a restart', async () => {
    server = await server.restart()
    const record = (await api<DocumentRecord>(server, 'GET', `/api/docs/${perbup.id}`, { token: admin.token })).body
    expect(record.meta).toMatchObject({ jenis: 'perda-kabupaten', nomor: '7', tahun: 2026 })
  })

  it('leaves the sample a Pergub of Kalimantan Timur, its stored text free of the drawn parts', async () => {
    const record = (await api<DocumentRecord>(server, 'GET', `/api/docs/${SAMPLE}`, { token: admin.token })).body
    expect(record.meta).toEqual({
      jenis: 'pergub',
      daerah: 'Kalimantan Timur',
      pejabat: 'Gubernur Kalimantan Timur',
      tempat: 'Samarinda',
      nomor: null,
      tahun: null,
    })
    const client = connect(server, SAMPLE, admin.token)
    await client.synced
    const doc = yXmlFragmentToProseMirrorRootNode(client.doc.getXmlFragment(FRAGMENT), schema)
    expect(doc.child(0).textContent).toBe('PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK')
    client.destroy()
    const words = await exportedWords(server, people.viewer.token, SAMPLE)
    expect(words.docx).toContain(
      'RANCANGAN PERATURAN GUBERNUR KALIMANTAN TIMUR NOMOR … TAHUN … TENTANG PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
    )
    expect(words.docx).toContain('BERITA DAERAH PROVINSI KALIMANTAN TIMUR TAHUN … NOMOR …')
  })
})
