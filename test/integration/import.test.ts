import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Document, Packer, Paragraph } from 'docx'
import { toProsemirror } from '../../shared/model/ydoc.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, type Person } from '../harness/clients.js'
import { pasalLabels } from '../harness/document.js'

/** Issue 8 (welcome extra): importing an existing Word draft into the structured schema, against the real server. */

const DOC = 'rapergub-spbe'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const MAX_IMPORT_BYTES = 400_000

interface Imported {
  readonly id: string
  readonly title: string
  readonly bab: number
  readonly pasal: number
}

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
      const { id: _id, targets: _targets, ...rest } = value as Record<string, unknown>
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
    server = await startServer({ env: { MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES) } })
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
      [await wordFile('Notulen rapat finalisasi', 'Hadir: semua bidang.'), /"Menimbang" tidak ditemukan/],
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
