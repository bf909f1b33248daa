import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import mammoth from 'mammoth'
import type { User } from '../../shared/accounts.js'
import type { SnapshotMeta } from '../../shared/versions.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, roundTrip, type Person, type TestClient } from '../harness/clients.js'
import { ayatText, insertPasalAfter, pasal } from '../harness/document.js'
import { AKN_XSD, unzip, xmllint } from '../harness/xml.js'

/** Issue 8 against the real server: the draft as DOCX, Akoma Ntoso and print HTML for the Biro Hukum. */

const DOC = 'rapergub-spbe'
const run = promisify(execFile)

interface Download {
  readonly status: number
  readonly headers: Headers
  readonly bytes: Buffer
  readonly text: string
}

/** GET the export of `query` as bytes (the JSON helper would decode binary). */
async function download(server: TestServer, token: string | null, query: string, docId = DOC): Promise<Download> {
  const response = await fetch(`${server.url}/api/docs/${docId}/export${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  const bytes = Buffer.from(await response.arrayBuffer())
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') }
}

async function exported(server: TestServer, token: string, format: 'docx' | 'akn' | 'html', snapshot?: string): Promise<Download> {
  const result = await download(server, token, `?format=${format}${snapshot ? `&snapshot=${encodeURIComponent(snapshot)}` : ''}`)
  expect(result.status, result.text.slice(0, 200)).toBe(200)
  return result
}

/** The lines of a DOCX as Word shows them (mammoth's raw text), blank lines dropped. */
async function docxLines(bytes: Buffer): Promise<string[]> {
  const { value } = await mammoth.extractRawText({ buffer: bytes })
  return value
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
}

/** The `<w:p>` paragraphs of word/document.xml whose text is exactly `text`. */
function paragraphsWithText(documentXml: string, text: string): string[] {
  const paragraphs = documentXml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []
  return paragraphs.filter((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('') === text)
}

let scratch: string

/** xmllint against the official Akoma Ntoso 3.0 schema: the validator's verdict and its messages. */
const validate = (xml: string) => xmllint(xml, AKN_XSD)

/** An XPath number over an AKN file (element names without the namespace prefix). */
async function xpathCount(xml: string, element: string): Promise<number> {
  const file = join(scratch, `count-${Date.now()}-${Math.random().toString(36).slice(2)}.xml`)
  await writeFile(file, xml)
  const { stdout } = await run('xmllint', ['--xpath', `count(//*[local-name()="${element}"])`, file])
  return Number(stdout.trim())
}

/** Every `<ref>` of an AKN document: its target and its words. */
const refsOf = (xml: string) => [...xml.matchAll(/<ref href="([^"]*)">([^<]*)<\/ref>/g)].map((m) => ({ href: m[1]!, text: m[2]! }))
const eIdsOf = (xml: string) => new Set([...xml.matchAll(/ eId="([^"]+)"/g)].map((m) => m[1]!))

/** Text with the tags removed and entities left as they are. */
const withoutTags = (html: string) => html.replace(/<[^>]+>/g, '')

describe('export of the draft', () => {
  let server: TestServer
  let admin: Person
  let rina: Person
  let commenter: Person
  let viewer: Person
  /** Rina's stock client: the edits the exports must show. */
  let rinaClient: TestClient

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rancang-export-'))
    // Dozens of exports a minute by the same people: the export limits have their own test (limits.test.ts).
    server = await startServer({ env: { EXPORTS_PER_MINUTE: '1000', EXPORTS_BURST: '1000', CONCURRENT_EXPORTS: '8' } })
    ;({ admin, rina, commenter, viewer } = await meeting(server))
    rinaClient = connect(server, DOC, rina.token)
    await rinaClient.synced
  })
  afterAll(async () => {
    rinaClient?.destroy()
    await server?.dispose()
    if (scratch) await rm(scratch, { recursive: true, force: true })
  })

  describe('the sample draft as Word (DOCX)', () => {
    let docx: Download
    let lines: string[]
    let files: Map<string, string>

    beforeAll(async () => {
      docx = await exported(server, viewer.token, 'docx')
      lines = await docxLines(docx.bytes)
      files = unzip(docx.bytes)
    })

    it('is a Word file offered as a download named after the draft', () => {
      expect(docx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      expect(docx.headers.get('content-disposition')).toBe(`attachment; filename="${DOC}.docx"`)
      expect(docx.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
      expect(files.has('word/document.xml')).toBe(true)
    })

    it('has the judul, the pembukaan and MEMUTUSKAN in order', () => {
      const order = [
        'RANCANGAN',
        'PERATURAN GUBERNUR KALIMANTAN TIMUR',
        'NOMOR … TAHUN …',
        'TENTANG',
        'PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK',
        'DENGAN RAHMAT TUHAN YANG MAHA ESA',
        'GUBERNUR KALIMANTAN TIMUR,',
      ]
      expect(lines.slice(0, order.length)).toEqual(order)
      const menimbang = lines.findIndex((l) => l.startsWith('Menimbang : a. bahwa'))
      const mengingat = lines.findIndex((l) => l.startsWith('Mengingat : 1. Pasal 18 ayat (6)'))
      const memutuskan = lines.indexOf('MEMUTUSKAN:')
      expect(menimbang).toBeGreaterThan(0)
      expect(mengingat).toBeGreaterThan(menimbang)
      expect(memutuskan).toBeGreaterThan(mengingat)
      expect(lines[memutuskan + 1]).toMatch(/^Menetapkan : PERATURAN GUBERNUR TENTANG /)
      // The closing Menimbang point, a live reference, is written out.
      expect(lines.some((l) => /^c\. bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, /.test(l))).toBe(true)
    })

    it('has BAB I to BAB X and Pasal 1 to Pasal 30, each once and in order', () => {
      const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X']
      const babs = lines.filter((l) => /^BAB [IVXLC]+$/.test(l))
      expect(babs).toEqual(roman.map((r) => `BAB ${r}`))
      expect(lines[lines.indexOf('BAB I') + 1]).toBe('KETENTUAN UMUM')
      const pasals = lines.filter((l) => /^Pasal \d+$/.test(l))
      expect(pasals).toEqual(Array.from({ length: 30 }, (_, i) => `Pasal ${i + 1}`))
    })

    it('numbers ayat "(1)", "(2)" and huruf "a.", "b." at the start of their lines', () => {
      const pasal5 = lines.slice(lines.indexOf('Pasal 5'), lines.indexOf('Pasal 6'))
      expect(pasal5.some((l) => l.startsWith('(1) '))).toBe(true)
      expect(pasal5.some((l) => l.startsWith('(2) '))).toBe(true)
      expect(pasal5.some((l) => l.startsWith('a. '))).toBe(true)
      expect(pasal5.some((l) => l.startsWith('b. '))).toBe(true)
      // Pasal 28 has a single ayat: no "(1)".
      const pasal28 = lines.slice(lines.indexOf('Pasal 28'), lines.indexOf('Pasal 29'))
      expect(pasal28.some((l) => l.startsWith('(1)'))).toBe(false)
    })

    it('writes live references with the current numbers (S13)', () => {
      const text = lines.join('\n')
      expect(text).toContain('Aplikasi Umum sebagaimana dimaksud dalam Pasal 14, Perangkat Daerah dapat membangun Aplikasi Khusus.')
      expect(text).toContain('sebagaimana dimaksud dalam Pasal 14 ayat (4)')
      expect(text).toContain('sebagaimana dimaksud dalam Pasal 6 dan Pasal 7')
      expect(text).toContain('sebagaimana dimaksud dalam Pasal 8 ayat (2)')
      expect(text).not.toContain('rujukan tidak ditemukan')
    })

    it('ends with the signature block: Ditetapkan di Samarinda, the Gubernur, Diundangkan, the Berita Daerah line', () => {
      const ditetapkan = lines.indexOf('Ditetapkan di Samarinda')
      expect(ditetapkan).toBeGreaterThan(lines.indexOf('Pasal 30'))
      expect(lines.slice(ditetapkan, ditetapkan + 3)).toEqual(['Ditetapkan di Samarinda', 'pada tanggal …', 'GUBERNUR KALIMANTAN TIMUR,'])
      const diundangkan = lines.indexOf('Diundangkan di Samarinda')
      expect(diundangkan).toBeGreaterThan(ditetapkan)
      expect(lines[diundangkan + 2]).toBe('SEKRETARIS DAERAH PROVINSI KALIMANTAN TIMUR,')
      expect(lines.at(-1)).toMatch(/^BERITA DAERAH PROVINSI KALIMANTAN TIMUR TAHUN … NOMOR …$/)
    })

    it('lays out A4 pages with the judul, BAB and Pasal headings centred and ayat with hanging indents', () => {
      const xml = files.get('word/document.xml')!
      expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838"/)
      for (const heading of [
        'PERATURAN GUBERNUR KALIMANTAN TIMUR',
        'MEMUTUSKAN:',
        'BAB I',
        'KETENTUAN UMUM',
        'BAB X',
        'Pasal 1',
        'Pasal 14',
        'Pasal 30',
      ]) {
        const found = paragraphsWithText(xml, heading)
        expect(found.length, heading).toBeGreaterThan(0)
        for (const p of found) expect(p, heading).toContain('<w:jc w:val="center"/>')
      }
      // A numbered ayat hangs: "(1)" then a tab, and the text wraps under the text, not the number.
      const ayat = (xml.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? []).filter((p) => /<w:t(?: [^>]*)?>\(1\)<\/w:t>/.test(p))
      expect(ayat.length).toBeGreaterThan(10)
      for (const p of ayat.slice(0, 5)) expect(p).toMatch(/<w:ind [^>]*w:hanging="\d+"/)
    })

    it('has a footer with a PAGE field for page numbers', () => {
      const footers = [...files.entries()].filter(([name]) => /^word\/footer\d*\.xml$/.test(name))
      expect(footers.length).toBeGreaterThan(0)
      expect(
        footers.some(([, xml]) => /<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/.test(xml) || /<w:fldSimple [^>]*w:instr="\s*PAGE/.test(xml)),
      ).toBe(true)
      const rels = files.get('word/_rels/document.xml.rels')!
      expect(rels).toMatch(/relationships\/footer/)
      expect(files.get('word/document.xml')).toMatch(/<w:footerReference [^>]*w:type="default"/)
    })
  })

  describe('the sample draft as Akoma Ntoso 3.0', () => {
    let akn: Download

    beforeAll(async () => {
      akn = await exported(server, viewer.token, 'akn')
    })

    it('validates against the official OASIS schema (xmllint)', async () => {
      expect(akn.headers.get('content-type')).toMatch(/^application\/akn\+xml/)
      expect(akn.headers.get('content-disposition')).toBe(`attachment; filename="${DOC}.akn.xml"`)
      const result = await validate(akn.text)
      expect(result.output).toContain('validates')
      expect(result.valid, result.output).toBe(true)
    })

    it('maps BAB to chapter and Pasal to article: 10 chapters, 30 articles, numbered as in the draft', async () => {
      expect(await xpathCount(akn.text, 'chapter')).toBe(10)
      expect(await xpathCount(akn.text, 'article')).toBe(30)
      expect(akn.text).toContain('<chapter eId="chp_1"')
      expect(akn.text).toMatch(/<chapter eId="chp_10"[^>]*><num>BAB X<\/num><heading>KETENTUAN PENUTUP<\/heading>/)
      expect(akn.text).toMatch(/<article eId="art_30"[^>]*><num>Pasal 30<\/num>/)
      // The Menimbang points are recitals, the Mengingat items citations.
      expect(await xpathCount(akn.text, 'recital')).toBe(3)
      expect(akn.text).toContain('<recital eId="recs__rec_a"><num>a.</num>')
    })

    it('maps ayat to paragraph and huruf to list/point with naming-convention eIds', () => {
      const ids = eIdsOf(akn.text)
      for (const eId of ['art_5', 'art_5__para_1', 'art_5__para_2', 'art_5__para_1__list_1', 'art_5__para_1__list_1__point_a', 'art_1__para_1'])
        expect(ids.has(eId), eId).toBe(true)
      expect(akn.text).toMatch(/<paragraph eId="art_5__para_1"[^>]*><num>\(1\)<\/num>/)
      // eIds are unique.
      const all = [...akn.text.matchAll(/ eId="([^"]+)"/g)].map((m) => m[1])
      expect(new Set(all).size).toBe(all.length)
    })

    it('turns live references into <ref> to the eId of their target, the preposition outside', () => {
      expect(akn.text).toContain('sebagaimana dimaksud dalam <ref href="#art_14">Pasal 14</ref>,')
      expect(akn.text).toContain('dalam <ref href="#art_14__para_4">Pasal 14 ayat (4)</ref>')
      expect(akn.text).toContain('pada <ref href="#art_15__para_1">ayat (1)</ref>')
      const refs = refsOf(akn.text)
      expect(refs.length).toBeGreaterThan(40)
      const ids = eIdsOf(akn.text)
      for (const ref of refs) expect(ids.has(ref.href.slice(1)), `${ref.href} (${ref.text})`).toBe(true)
    })

    it('links each Pasal a reference names to that Pasal: "Pasal 6 dan Pasal 7" does not send Pasal 7 to art_6', () => {
      // A reader (or JDIH) following the link for "Pasal 7" must land on Pasal 7.
      const pointsInto = (href: string, n: string) => href === `#art_${n}` || href.startsWith(`#art_${n}__`)
      const wrong = refsOf(akn.text).filter((ref) => [...ref.text.matchAll(/Pasal (\d+)/g)].some((m) => !pointsInto(ref.href, m[1]!)))
      expect(wrong).toEqual([])
    })

    it('keeps each unit\u2019s stable id as its GUID', () => {
      const pasal14 = pasal(rinaClient.doc, 14).getAttribute('id') as string
      expect(akn.text).toMatch(new RegExp(`<article eId="art_14" GUID="#rancang-${pasal14}">`))
    })
  })

  describe('the sample draft as a print page (HTML)', () => {
    it('is a complete A4 page in the layout, with headings, numbered ayat, resolved references and the signature block', async () => {
      const html = await exported(server, viewer.token, 'html')
      expect(html.headers.get('content-type')).toMatch(/^text\/html/)
      expect(html.headers.get('content-disposition')).toBe(`inline; filename="${DOC}.html"`)
      expect(html.text).toMatch(/^<!doctype html>/i)
      expect(html.text).toMatch(/@page\s*{\s*size:\s*A4/)
      expect(html.text).toContain('<h2>BAB I<br>KETENTUAN UMUM</h2>')
      expect(html.text).toContain('<h4>Pasal 30</h4>')
      expect((html.text.match(/<h4>Pasal \d+<\/h4>/g) ?? []).length).toBe(30)
      expect((html.text.match(/<h2>BAB [IVX]+<br>/g) ?? []).length).toBe(10)
      const text = withoutTags(html.text)
      expect(text).toContain('Aplikasi Umum sebagaimana dimaksud dalam Pasal 14, Perangkat Daerah')
      expect(text).toContain('Menimbang')
      expect(text).toContain('Ditetapkan di Samarinda')
      expect(html.text).toMatch(/<span class="nomor">\(1\)<\/span>/)
    })
  })

  describe('who may export, and bad requests', () => {
    it('a viewer and a commenter may export every format', async () => {
      for (const who of [viewer, commenter])
        for (const format of ['docx', 'akn', 'html'] as const)
          expect((await download(server, who.token, `?format=${format}`)).status, format).toBe(200)
    })

    it('a missing or unknown format is 400, an unknown document or version 404, no token 401', async () => {
      for (const query of ['', '?format=', '?format=pdf', '?format=DOCX', '?format=docx,akn']) {
        const result = await download(server, viewer.token, query)
        expect(result.status, query).toBe(400)
        expect(JSON.parse(result.text)).toHaveProperty('error')
      }
      expect((await download(server, viewer.token, '?format=docx', 'tidak-ada')).status).toBe(404)
      expect((await download(server, viewer.token, '?format=docx&snapshot=00000000-tidakada')).status).toBe(404)
      expect((await download(server, null, '?format=docx')).status).toBe(401)
      expect((await download(server, 'bukan-token', '?format=akn')).status).toBe(401)
    })
  })

  describe('exports follow the live draft', () => {
    const SCRIPT = '<script>alert("x")</script> & \'kutip\''

    it('escapes text in HTML and AKN: a pasal containing <script> stays text, and the AKN still validates', async () => {
      const text = ayatText(pasal(rinaClient.doc, 3))
      text.insert(text.length, ` ${SCRIPT}`)
      await roundTrip(rinaClient)

      const html = (await exported(server, viewer.token, 'html')).text
      expect(html).not.toContain('<script>')
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;kutip&#39;')

      const akn = (await exported(server, viewer.token, 'akn')).text
      expect(akn).not.toContain('<script>')
      expect(akn).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;kutip&apos;')
      const result = await validate(akn)
      expect(result.valid, result.output).toBe(true)

      // In Word it is the same words, as text.
      expect((await docxLines((await exported(server, viewer.token, 'docx')).bytes)).join('\n')).toContain(SCRIPT)
    })

    it("escapes the draft's title too (the HTML <title> and the judul)", async () => {
      const created = await api<{ id: string; title: string }>(server, 'POST', '/api/docs', {
        token: admin.token,
        body: { nama: 'Uji <b>Tebal</b> & "Kutip"' },
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const html = (await download(server, viewer.token, '?format=html', created.body.id)).text
      expect(html).not.toMatch(/<b>|<\/b>/i)
      expect(html).toMatch(/<title>[^<]*&lt;b&gt;[^<]*&lt;\/b&gt; &amp; &quot;[^<]*<\/title>/i)
      const akn = (await download(server, viewer.token, '?format=akn', created.body.id)).text
      const result = await validate(akn)
      expect(result.valid, result.output).toBe(true)
    })

    it('exports a saved version as it was, not the live draft', async () => {
      const saved = await api<SnapshotMeta>(server, 'POST', `/api/docs/${DOC}/snapshots`, {
        token: rina.token,
        body: { name: 'Versi untuk Harmonisasi I' },
      })
      expect(saved.status, JSON.stringify(saved.body)).toBe(201)
      const LATER = 'Kalimat yang ditambahkan sesudah versi disimpan.'
      const text = ayatText(pasal(rinaClient.doc, 2))
      text.insert(text.length, ` ${LATER}`)
      await roundTrip(rinaClient)

      for (const format of ['docx', 'akn', 'html'] as const) {
        const live = await exported(server, viewer.token, format)
        const version = await exported(server, viewer.token, format, saved.body.id)
        const words = async (d: Download) => (format === 'docx' ? (await docxLines(d.bytes)).join('\n') : d.text)
        expect(await words(live), format).toContain(LATER)
        expect(await words(version), format).not.toContain(LATER)
        // The version has what was there when it was saved.
        expect(await words(version), format).toMatch(/&lt;script&gt;|<script>/)
      }
      // A version of one draft is not a version of another.
      const other = (await api<Array<{ id: string }>>(server, 'GET', '/api/docs', { token: viewer.token })).body.find((d) => d.id !== DOC)!
      expect((await download(server, viewer.token, `?format=html&snapshot=${saved.body.id}`, other.id)).status).toBe(404)
      // The version's AKN is dated the day it was saved, and valid.
      const versionAkn = (await exported(server, viewer.token, 'akn', saved.body.id)).text
      expect(versionAkn).toContain(`<FRBRdate date="${saved.body.createdAt.slice(0, 10)}"`)
      expect((await validate(versionAkn)).valid).toBe(true)
    })

    it('after a pasal is inserted before Pasal 14, every format names the old Pasal 14 as Pasal 15 (S13)', async () => {
      insertPasalAfter(pasal(rinaClient.doc, 13), 'pasal-sisipan-ekspor', 'Pasal sisipan sebelum Aplikasi SPBE.')
      await roundTrip(rinaClient)

      const lines = await docxLines((await exported(server, viewer.token, 'docx')).bytes)
      const docxText = lines.join('\n')
      expect(lines.filter((l) => /^Pasal \d+$/.test(l))).toHaveLength(31)
      expect(lines[lines.indexOf('Pasal 14') + 1]).toBe('Pasal sisipan sebelum Aplikasi SPBE.')
      expect(docxText).toContain('Aplikasi Umum sebagaimana dimaksud dalam Pasal 15, Perangkat Daerah dapat membangun Aplikasi Khusus.')
      expect(docxText).toContain('sebagaimana dimaksud dalam Pasal 15 ayat (4)')
      expect(docxText).not.toContain('sebagaimana dimaksud dalam Pasal 14')

      const akn = (await exported(server, viewer.token, 'akn')).text
      expect(await xpathCount(akn, 'article')).toBe(31)
      expect(akn).toContain('sebagaimana dimaksud dalam <ref href="#art_15">Pasal 15</ref>,')
      expect(akn).toContain('<ref href="#art_15__para_4">Pasal 15 ayat (4)</ref>')
      expect(akn).not.toContain('<ref href="#art_14">')
      expect((await validate(akn)).valid).toBe(true)

      const html = withoutTags((await exported(server, viewer.token, 'html')).text)
      expect(html).toContain('Aplikasi Umum sebagaimana dimaksud dalam Pasal 15, Perangkat Daerah')
      expect(html).not.toContain('sebagaimana dimaksud dalam Pasal 14')
    })
  })
})
