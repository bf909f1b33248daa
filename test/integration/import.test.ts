import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { readFileSync } from 'node:fs'
import { createDeflateRaw, crc32 } from 'node:zlib'
import { Document, Packer, Paragraph } from 'docx'
import { toProsemirror } from '../../shared/model/ydoc.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, createAccount, meeting, waitFor, type Person } from '../harness/clients.js'
import { pasalLabels } from '../harness/document.js'
import mammoth from 'mammoth'
import type { ImportedDocument } from '../../shared/documents.js'
import { corpus } from '../fixtures/regulations/corpus.js'
import { countsOf } from '../fixtures/regulations/regulationText.js'
import { amendments } from '../fixtures/amendments-word/corpus.js'

/** Issue 8 (welcome extra): importing an existing Word draft into the structured schema, against the real server. */

const DOC = 'rapergub-spbe'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const MAX_IMPORT_BYTES = 400_000

type Imported = ImportedDocument

async function importFile(server: TestServer, token: string, bytes: Uint8Array, type = DOCX) {
  const response = await fetch(`${server.url}/api/docs/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: Buffer.from(bytes),
  })
  return { status: response.status, body: (await response.json()) as Imported & { error?: string } }
}

/** The document's structure and text, without ids (fresh on import) and reference targets (ids too). */
function shape(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(shape)
  if (typeof json !== 'object' || json === null) return json
  return Object.fromEntries(
    Object.entries(json).map(([key, value]) => {
      if (key !== 'attrs') return [key, shape(value)]
      // Ids are fresh on every import; what a reference or a Penjelasan entry is bound to is checked by its labels (test/regulations.test.ts).
      const { id: _id, targets: _targets, pasal: _pasal, ...rest } = value as Record<string, unknown>
      return [key, rest]
    }),
  )
}

/** The live content of a document, as a stock y-websocket client receives it. */
async function liveContent(server: TestServer, who: Person, docId: string) {
  const client = connect(server, docId, who.token)
  try {
    await client.synced
    return { json: toProsemirror(client.doc).toJSON() as unknown, labels: pasalLabels(client.doc) }
  } finally {
    client.destroy()
  }
}

const wordFile = (...paragraphs: string[]) =>
  Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph({ text })) }] })).then((b) => new Uint8Array(b))

describe('importing a Word draft (POST /api/docs/import)', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  let sampleDocx: Uint8Array

  beforeAll(async () => {
    // Many imports in a minute here, and a 2.1M-character file that compresses like a bomb: the
    // cost limits have their own tests below.
    server = await startServer({
      env: { MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES), IMPORTS_PER_MINUTE: '100', IMPORTS_BURST: '100', MAX_IMPORT_RATIO: '5000' },
    })
    people = await meeting(server)
    const response = await fetch(`${server.url}/api/docs/${DOC}/export?format=docx`, { headers: { authorization: `Bearer ${people.admin.token}` } })
    expect(response.status).toBe(200)
    sampleDocx = new Uint8Array(await response.arrayBuffer())
  })
  afterAll(() => server?.dispose())

  it('turns the sample draft exported as Word back into the same structured draft, listed for everyone, with live references', async () => {
    const imported = await importFile(server, people.admin.token, sampleDocx)
    expect(imported.status, JSON.stringify(imported.body)).toBe(201)
    expect(imported.body).toMatchObject({
      title: 'Rancangan Peraturan Gubernur Kalimantan Timur tentang Penyelenggaraan Sistem Pemerintahan Berbasis Elektronik',
      bab: 10,
      pasal: 30,
    })
    expect(imported.body.id).not.toBe(DOC)
    const listed = await api<Array<{ id: string }>>(server, 'GET', '/api/docs', { token: people.viewer.token })
    expect(listed.body.map((d) => d.id)).toContain(imported.body.id)

    const [original, copy] = await Promise.all([liveContent(server, people.rina, DOC), liveContent(server, people.rina, imported.body.id)])
    expect(copy.labels).toEqual(original.labels)
    expect(shape(copy.json)).toEqual(shape(original.json))
    expect(JSON.stringify(copy.json)).toContain('"type":"rujukan"')
  })

  it('refuses every role but admin, before reading the file', async () => {
    for (const who of [people.rina, people.commenter, people.viewer]) {
      expect((await importFile(server, who.token, sampleDocx)).status).toBe(403)
    }
  })

  it('explains in Indonesian what is wrong with a file that is not a Pergub draft in .docx, and creates nothing', async () => {
    const before = (await api<unknown[]>(server, 'GET', '/api/docs', { token: people.admin.token })).body.length
    const cases: Array<[Uint8Array, RegExp]> = [
      [new TextEncoder().encode('Menimbang : a. bahwa ini bukan berkas Word;'), /bukan dokumen Word/],
      [new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /\.doc \(Word 97–2003\) belum didukung/],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]), /tidak dapat dibaca sebagai dokumen Word/],
      [await wordFile('Notulen rapat finalisasi', 'Hadir: semua bidang.'), /^Tidak ditemukan "Menimbang"/],
      [
        await wordFile(
          'PERATURAN GUBERNUR',
          'TENTANG',
          'UJI',
          'Menimbang : a. bahwa uji;',
          'Mengingat : 1. UUD;',
          'Menetapkan : UJI.',
          'BAB I',
          'Pasal 1',
          'Isi.',
        ),
        /BAB I tidak memiliki judul/,
      ],
      // Compresses to a few kB; read in the worker, refused before recognition.
      [await wordFile('a'.repeat(2_100_000)), /terlalu panjang/],
    ]
    for (const [bytes, message] of cases) {
      const refused = await importFile(server, people.admin.token, bytes)
      expect(refused.status).toBe(422)
      expect(refused.body.error).toMatch(message)
    }
    expect((await api<unknown[]>(server, 'GET', '/api/docs', { token: people.admin.token })).body).toHaveLength(before)
    expect((await api(server, 'GET', '/healthz')).status).toBe(200)
  })

  it('answers 413 for a file over MAX_IMPORT_BYTES and 415 for a body that is not a file', async () => {
    const big = new Uint8Array(MAX_IMPORT_BYTES + 1)
    big.set([0x50, 0x4b, 0x03, 0x04])
    expect((await importFile(server, people.admin.token, big)).status).toBe(413)
    expect((await importFile(server, people.admin.token, sampleDocx, 'application/json')).status).toBe(415)
  })
})

/** Issue 14: Word files of real regional regulations (test/fixtures/regulations), clean and messy. */
describe('importing real regional regulations from their Word files', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>

  beforeAll(async () => {
    server = await startServer({ env: { IMPORTS_PER_MINUTE: '100', IMPORTS_BURST: '100', EXPORTS_PER_MINUTE: '100', EXPORTS_BURST: '20' } })
    people = await meeting(server)
  })
  afterAll(() => server?.dispose())

  const fixture = (stem: string, variant: string) =>
    new Uint8Array(readFileSync(new URL(`../fixtures/regulations/${stem}.${variant}.docx`, import.meta.url)))
  const exportDocx = async (id: string) => {
    const response = await fetch(`${server.url}/api/docs/${id}/export?format=docx`, { headers: { authorization: `Bearer ${people.admin.token}` } })
    expect(response.status).toBe(200)
    return new Uint8Array(await response.arrayBuffer())
  }
  const wordText = async (bytes: Uint8Array) => (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value

  for (const reg of corpus) {
    for (const variant of ['clean', 'messy'] as const) {
      it(`creates ${reg.stem}.${variant}.docx as a draft with its counts, metadata and report, and its export reads back the same`, async () => {
        const imported = await importFile(server, people.admin.token, fixture(reg.stem, variant))
        expect(imported.status, JSON.stringify(imported.body)).toBe(201)
        const { bab, pasal, ayat, rincian } = imported.body
        expect({ bab, pasal, ayat, rincian }).toEqual(countsOf(reg))
        expect(imported.body.meta).toEqual(reg.meta)
        expect(imported.body.report).toContainEqual({
          where: 'penutup',
          what: expect.stringContaining(reg.signature.nama),
          action: 'diganti dengan blok tanda tangan dari data naskah',
        })
        const stored = await api<ImportedDocument>(server, 'GET', `/api/docs/${imported.body.id}`, { token: people.viewer.token })
        expect(stored.body.meta).toEqual(reg.meta)

        const exported = await exportDocx(imported.body.id)
        const text = await wordText(exported)
        // One signature block, the draft's own, from the metadata; no live reference left unresolved.
        expect(text.match(/Ditetapkan di/g)).toHaveLength(1)
        expect(text).toContain(`Ditetapkan di ${reg.meta.tempat}`)
        expect(text).not.toContain('rujukan tidak ditemukan')
        expect(text).toContain('sebagaimana dimaksud dalam huruf a dan huruf b')
        expect(text.match(/Dengan Persetujuan Bersama/g) ?? []).toHaveLength(reg.persetujuan ? 1 : 0)

        const again = await importFile(server, people.admin.token, exported)
        expect(again.status, JSON.stringify(again.body)).toBe(201)
        expect(again.body.meta).toMatchObject({ jenis: reg.meta.jenis, daerah: reg.meta.daerah, pejabat: reg.meta.pejabat, tempat: reg.meta.tempat })
        const [first, second] = await Promise.all([
          liveContent(server, people.rina, imported.body.id),
          liveContent(server, people.rina, again.body.id),
        ])
        expect(second.labels).toEqual(first.labels)
        expect(shape(second.json)).toEqual(shape(first.json))
      })
    }
  }

  it('imports each real amendment regulation (Perubahan atas …) as a draft keeping Pasal I and II, and answers its base and points', async () => {
    for (const reg of amendments) {
      const bytes = new Uint8Array(readFileSync(new URL(`../fixtures/amendments-word/${reg.stem}.docx`, import.meta.url)))
      const imported = await importFile(server, people.admin.token, bytes)
      expect(imported.status, JSON.stringify(imported.body)).toBe(201)
      // The bases imported above make some of them amendment drafts of their base (test/integration/amendmentImport.test.ts).
      const { amends, ...own } = imported.body.meta
      expect(own).toEqual(reg.meta)
      expect(imported.body.base).toEqual(reg.base)
      expect(imported.body.points!.map(({ action, units }) => ({ action, units }))).toEqual(
        reg.points.map(({ expected: { action, units } }) => ({ action, units })),
      )
      if (amends) continue
      const text = await wordText(await exportDocx(imported.body.id))
      for (const point of reg.points) expect(text).toContain(point.instruction)
    }
  })

  it('reads the messy Perbup: three Menimbang points from Word numbering, the closing one a live reference, and the renumbered rincian reported', async () => {
    const reg = corpus.find((r) => r.stem.startsWith('perbup'))!
    const imported = await importFile(server, people.admin.token, fixture(reg.stem, 'messy'))
    expect(imported.body.report).toContainEqual({
      where: 'Pasal 6',
      what: 'Rincian "1)" di bawah "a." ditulis "1."',
      action: 'dinomori ulang menurut Lampiran II',
    })
    const { json } = await liveContent(server, people.rina, imported.body.id)
    // The Lampiran is stored in the draft, its table as a table, so the report no longer lists it.
    const lastPart = (json as { content: Array<{ type: string }> }).content.at(-1)!
    expect(lastPart.type).toBe('lampiran')
    expect(JSON.stringify(lastPart)).toContain('"type":"table_cell"')
    expect(imported.body.report).not.toContainEqual(expect.objectContaining({ where: 'Lampiran' }))
    const menimbang = (json as { content: Array<{ content: Array<{ type: string; content: Array<{ type: string; content?: unknown[] }> }> }> })
      .content[1]!.content[0]!
    expect(menimbang.content).toHaveLength(3)
    expect(JSON.stringify(menimbang.content[2])).toContain('"mode":"konsiderans"')
    expect(JSON.stringify(json)).not.toMatch(/danterpercaya|RepublikIndonesia|BUPATI PULANG PISAU PROVINSI/)
  })

  it('refuses a Perbup without BAB naming the Perbup it found, never a Pergub', async () => {
    const refused = await importFile(
      server,
      people.admin.token,
      await wordFile(
        'BUPATI PULANG PISAU',
        'PROVINSI KALIMANTAN TENGAH',
        'PERATURAN BUPATI PULANG PISAU',
        'NOMOR 3 TAHUN 2020',
        'TENTANG',
        'JAM KERJA',
        'Menimbang : bahwa perlu;',
        'Mengingat : Undang-Undang Nomor 23 Tahun 2014;',
        'Menetapkan : PERATURAN BUPATI TENTANG JAM KERJA.',
        'Pasal 1',
        'Jam kerja diatur.',
      ),
    )
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatch(/^Berkas ini tampak seperti Peraturan Bupati Pulang Pisau tentang Jam Kerja, tetapi tidak memuat BAB/)
    expect(refused.body.error).not.toMatch(/gubernur/i)
  })
})

interface ZipEntry {
  readonly name: string
  /** 0 stored, 8 deflated. */
  readonly method: 0 | 8
  readonly data: Buffer
  readonly crc: number
  /** The uncompressed size written in the local header and the central directory: the truth, or a lie. */
  readonly declaredSize: number
}

/** A zip archive written field by field, so that its directory can say what a test wants it to. */
function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(entry.method, 8)
    local.writeUInt32LE(entry.crc, 14)
    local.writeUInt32LE(entry.data.length, 18)
    local.writeUInt32LE(entry.declaredSize, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(entry.method, 10)
    central.writeUInt32LE(entry.crc, 16)
    central.writeUInt32LE(entry.data.length, 20)
    central.writeUInt32LE(entry.declaredSize, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, entry.data)
    centrals.push(central, name)
    offset += local.length + name.length + entry.data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

const stored = (name: string, text: string): ZipEntry => {
  const data = Buffer.from(text)
  return { name, method: 0, data, crc: crc32(data), declaredSize: data.length }
}

/** `size` bytes of spaces, deflated as a stream (never held whole): about a thousand to one. */
async function deflatedSpaces(size: number): Promise<{ data: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 })
  const out: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => out.push(chunk))
  const ended = new Promise((resolve) => deflate.on('end', resolve))
  const chunk = Buffer.alloc(1024 * 1024, 0x20)
  let crc = 0
  for (let written = 0; written < size; written += chunk.length) {
    crc = crc32(chunk, crc)
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await ended
  return { data: Buffer.concat(out), crc }
}

/** A Word file around `document` (word/document.xml), with the parts Word itself writes first. */
const wordArchive = (document: ZipEntry) =>
  zipArchive([
    stored(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    stored(
      '_rels/.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    document,
  ])

/** The server process's resident memory (MiB), from /proc. */
function residentMiB(server: TestServer): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.process.pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : 0
}

/** Runs `work` while sampling the server's resident memory every 10 ms; the work's result and the peak. */
async function peakResident<T>(server: TestServer, work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peakMiB = residentMiB(server)
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, residentMiB(server))), 10)
  try {
    const result = await work()
    return { result, peakMiB: Math.max(peakMiB, residentMiB(server)) }
  } finally {
    clearInterval(sampler)
  }
}

const GiB = 1024 * 1024 * 1024

describe('import cost limits (MAX_IMPORT_INFLATED_BYTES, IMPORTS_PER_MINUTE, one import at a time: the defaults)', () => {
  let server: TestServer
  let people: Awaited<ReturnType<typeof meeting>>
  /** 1 GiB of spaces as word/document.xml: about 1 MB deflated. */
  let bomb: { data: Buffer; crc: number }

  beforeAll(async () => {
    server = await startServer()
    people = await meeting(server)
    bomb = await deflatedSpaces(GiB)
  }, 120_000)
  afterAll(() => server?.dispose())

  /** Starts an import whose upload stops halfway (sent to the server), so it keeps running until `finish`. */
  async function heldImport(token: string, bytes: Buffer) {
    const upload = request(`${server.url}/api/docs/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': DOCX, 'content-length': bytes.length },
    })
    const held = {
      status: null as number | null,
      answered: new Promise<number>((resolve, reject) => {
        upload.on('response', (answer) => {
          answer.resume()
          held.status = answer.statusCode ?? 0
          resolve(held.status)
        })
        upload.on('error', reject)
      }),
      finish: () => upload.end(bytes.subarray(bytes.length >> 1)),
    }
    await new Promise<void>((resolve) => upload.write(bytes.subarray(0, bytes.length >> 1), () => resolve()))
    return held
  }

  /** Imports `bytes` while sampling memory and asking /healthz; the refusal, the peak and the health status. */
  async function importSampled(bytes: Uint8Array) {
    const { result, peakMiB } = await peakResident(server, async () => {
      const importing = importFile(server, people.admin.token, bytes)
      const health = await api(server, 'GET', '/healthz')
      return { ...(await importing), health: health.status }
    })
    return { ...result, peakMiB }
  }

  it('refuses a 1 MB .docx whose document.xml declares 1 GiB, before inflating it, and the server stays small and serving', async () => {
    const file = wordArchive({ name: 'word/document.xml', method: 8, ...bomb, declaredSize: GiB })
    const refused = await importSampled(file)
    console.log(`zip bomb (${file.length} bytes, declares 1 GiB): ${refused.status}, server peak ${Math.round(refused.peakMiB)} MiB`)
    expect(refused.peakMiB, 'server resident memory during the import (MiB)').toBeLessThan(400)
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatch(/terlalu besar setelah dibuka/)
    expect(refused.health).toBe(200)
  }, 60_000)

  it('refuses a .docx whose directory says document.xml is 1 kB when it inflates to 1 GiB, at the first byte past the lie', async () => {
    const file = wordArchive({ name: 'word/document.xml', method: 8, ...bomb, declaredSize: 1000 })
    const refused = await importSampled(file)
    console.log(`lying zip (${file.length} bytes, declares 1000 bytes): ${refused.status}, server peak ${Math.round(refused.peakMiB)} MiB`)
    expect(refused.peakMiB, 'server resident memory during the import (MiB)').toBeLessThan(400)
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatch(/tidak sesuai dengan ukuran yang tercatat/)
    expect(refused.health).toBe(200)
  }, 60_000)

  it('refuses a .docx compressed far beyond any Word file (2 MiB of spaces in 2 kB) before inflating it', async () => {
    const small = await deflatedSpaces(2 * 1024 * 1024)
    const refused = await importFile(
      server,
      people.admin.token,
      wordArchive({ name: 'word/document.xml', method: 8, ...small, declaredSize: 2 * 1024 * 1024 }),
    )
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatch(/dimampatkan secara tidak wajar/)
  })

  it('runs one import at a time: a second admin importing meanwhile gets 429 with Retry-After, and is admitted once the first is done', async () => {
    const response = await fetch(`${server.url}/api/docs/${DOC}/export?format=docx`, { headers: { authorization: `Bearer ${people.admin.token}` } })
    const sample = Buffer.from(await response.arrayBuffer())
    const other = await createAccount(server, 'admin', 'Biro Hukum', people.admin.token)

    const junk = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4])
    let held = await heldImport(people.admin.token, sample)
    let busy: { status: number; retryAfter: string | null; error: string } | null = null
    await waitFor(async () => {
      const attempt = await fetch(`${server.url}/api/docs/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${other.token}`, 'content-type': DOCX },
        body: junk,
      })
      const answer = {
        status: attempt.status,
        retryAfter: attempt.headers.get('retry-after'),
        error: ((await attempt.json()) as { error: string }).error,
      }
      if (answer.status === 429) busy = answer
      // Admitted first, this one made the held upload wait its turn: hold another and try again.
      else if (held.status !== null) held = await heldImport(people.admin.token, sample)
      return busy !== null
    }, 'a concurrent import to be refused while the first is running')
    expect(busy).toMatchObject({ status: 429, error: expect.stringMatching(/impor lain/) })
    expect(Number(busy!.retryAfter)).toBeGreaterThanOrEqual(1)

    held.finish()
    expect(await held.answered).toBe(201)
    const after = await importFile(server, other.token, junk)
    expect(after.status, 'admitted once the first import is done').toBe(422)
  }, 60_000)
})
