import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { connect as netConnect } from 'node:net'
import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { encodeSyncStep2, encodeUpdate, messageStored } from '../../shared/protocol/messages.js'
import { LevelStorage } from '../../server/storage/leveldb.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api, connect, openRaw, waitFor, type RawOutcome, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, pasal, pasalLabels } from '../harness/document.js'
import { HOSTILE_UPDATES } from '../harness/vectors.js'

const DOC = 'rapergub-spbe'

/** Ids that must never name a document: unknown, path tricks, NUL, and very long. */
const HOSTILE_IDS: Array<[string, string]> = [
  ['an unknown id', 'tidak-ada'],
  ['an encoded ../', '..%2F..%2Fsecret.key'],
  ['an encoded ..\\', '..%5C..%5Cdb'],
  ['a NUL byte', 'rapergub-spbe%00'],
  ['only a NUL byte', '%00'],
  ['upper case', 'RAPERGUB-SPBE'],
  ['10 kB', 'a'.repeat(10_000)],
]

function storedRequest(request: number): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, messageStored)
  encoding.writeVarUint(encoder, request)
  return encoding.toUint8Array(encoder)
}

/** Sends raw bytes over one TCP connection and collects everything until the server closes it, `until` holds, or the timeout. */
function rawHttp(
  server: TestServer,
  request: string | Buffer,
  until: (received: string) => boolean = () => false,
  timeoutMs = 3_000,
): Promise<{ received: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = netConnect(server.port, '127.0.0.1', () => socket.write(request))
    let received = ''
    let done = false
    // Bounds a connection the server neither answers nor closes.
    const timer = setTimeout(() => finish(false), timeoutMs)
    const finish = (closed: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ received, closed })
    }
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      if (until(received)) finish(false)
    })
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
  })
}

/** The CSP as a map of directive → values. */
function cspDirectives(header: string | null): Record<string, string[]> {
  const directives: Record<string, string[]> = {}
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/)
    if (name) directives[name.toLowerCase()] = values
  }
  return directives
}

const looksLikeStack = (text: string) => /\bat [\w.<>]+ \(|\.(?:js|ts):\d+:\d+|node:internal|Error: .*\n\s+at /.test(text)

describe('HTTP API and document admission', () => {
  let server: TestServer
  let token: string

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterAll(() => server?.dispose())

  it('answers /healthz with 200 once it accepts connections', async () => {
    const response = await api(server, 'GET', '/healthz')
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ status: 'ok', documentsOpen: expect.any(Number), connections: expect.any(Number) })
  })

  it('lists rapergub-spbe with its title on GET /api/docs', async () => {
    const response = await api<Array<{ id: string; title: string }>>(server, 'GET', '/api/docs', { token })
    expect(response.status).toBe(200)
    for (const doc of response.body) expect(doc).toMatchObject({ id: expect.any(String), title: expect.any(String) })
    const sample = response.body.find((d) => d.id === DOC)
    expect(sample?.title).toMatch(/^Rancangan Peraturan Gubernur Kalimantan Timur tentang .*Sistem Pemerintahan Berbasis Elektronik$/)
    expect((await api(server, 'GET', `/api/docs/${DOC}`, { token })).body).toMatchObject({ id: DOC, title: sample?.title })
  })

  for (const [what, id] of HOSTILE_IDS) {
    it(`answers 404 with a JSON error on GET /api/docs/:id for ${what}`, async () => {
      const response = await api(server, 'GET', `/api/docs/${id}`, { token })
      expect(response.status).toBe(404)
      expect(response.body).toEqual({ error: expect.any(String) })
    })

    it(`refuses a WebSocket for ${what} with 4404 before sending any byte, and keeps serving`, async () => {
      const raw = openRaw(server, id, token)
      const outcome: RawOutcome = await raw.outcome
      expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.unknownDocument })
      expect(raw.messages).toHaveLength(0)
      const client = connect(server, DOC, token)
      await client.synced
      client.destroy()
    })
  }

  it('answers 400 with a JSON error for malformed or non-object JSON bodies, and 415 for non-JSON', async () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['POST', '/api/login', '{"username": "admin", '],
      ['POST', '/api/login', '{bad json}'],
      ['POST', '/api/login', '[1, 2]'],
      ['POST', '/api/login', '"teks"'],
      ['POST', '/api/login', 'null'],
      ['POST', '/api/login', ''],
      ['POST', '/api/users', '{"username":'],
      ['POST', '/api/docs', '{"nama": }'],
      ['PATCH', `/api/users/${server.admin.username}`, '{,}'],
    ]
    for (const [method, path, body] of cases) {
      const response = await api(server, method, path, { token, body: body ?? '' })
      expect({ method, path, body, status: response.status }).toEqual({ method, path, body, status: 400 })
      expect(response.body).toEqual({ error: expect.any(String) })
      expect(looksLikeStack(JSON.stringify(response.body))).toBe(false)
    }
    const plain = await fetch(`${server.url}/api/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'username=admin' })
    expect(plain.status).toBe(415)
    expect(await plain.json()).toEqual({ error: expect.any(String) })
  })

  it('answers 413 with a JSON error to an oversized body, declared or streamed', async () => {
    const declared = await api(server, 'POST', '/api/login', { body: JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) }) })
    expect(declared.status).toBe(413)
    expect(declared.body).toEqual({ error: expect.any(String) })

    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
    const streamed = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 40; i++) controller.enqueue(chunk)
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(await streamed.json()).toEqual({ error: expect.any(String) })
    expect((await api(server, 'GET', '/healthz')).status).toBe(200)
  })

  it('after a 413 for a streamed oversized body, closes the connection as announced or keeps serving it', async () => {
    const chunk = 'x'.repeat(64 * 1024)
    const body = Array.from({ length: 40 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') + '0\r\n\r\n'
    const request = `POST /api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body}GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n`
    const { received } = await rawHttp(server, request, (text) => /HTTP\/1\.1 200[\s\S]*\r\n\r\n\{"status":"ok"\}/.test(text))
    expect(received).toMatch(/^HTTP\/1\.1 413/)
    const announcedClose = /\r\nConnection: close\r\n/i.test(received.split('\r\n\r\n')[0]!)
    if (!announcedClose) expect(received, 'the connection was kept alive, so the next request must be answered').toMatch(/HTTP\/1\.1 200/)
  })

  it('sends security headers on every response: a CSP without inline scripts that forbids framing, and nosniff', async () => {
    const responses = await Promise.all([
      fetch(`${server.url}/healthz`),
      fetch(`${server.url}/api/docs`),
      fetch(`${server.url}/api/docs`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server.url}/api/tidak-ada`),
      fetch(`${server.url}/`),
      fetch(`${server.url}/dokumen/${DOC}`),
    ])
    for (const response of responses) {
      await response.arrayBuffer()
      const where = `${response.url} (${response.status})`
      const csp = cspDirectives(response.headers.get('content-security-policy'))
      const scripts = csp['script-src'] ?? csp['default-src']
      expect(scripts, `${where}: script-src or default-src`).toBeDefined()
      expect(scripts, where).not.toContain("'unsafe-inline'")
      expect(scripts, where).not.toContain("'unsafe-eval'")
      expect(scripts, where).not.toContain('*')
      expect(csp['frame-ancestors'], `${where}: frame-ancestors`).toBeDefined()
      expect(csp['frame-ancestors'], where).not.toContain('*')
      expect(response.headers.get('x-content-type-options'), where).toBe('nosniff')
    }
  })

  it('answers malformed requests with a 4xx JSON error, never a 5xx or a stack trace', async () => {
    // Requests shaped to reach an unexpected error: lone surrogates, wrong types, bad escapes.
    const probes: Array<[string, string, unknown]> = [
      ['POST', '/api/docs', { nama: '\ud800'.repeat(50) }],
      ['POST', '/api/docs', { nama: 'x'.repeat(5_000) }],
      ['POST', '/api/docs', { nama: ['bukan', 'teks'] }],
      ['POST', '/api/users', { username: 'angka', name: 12, bidang: {}, role: 'viewer', password: 'sandi-acak-12345' }],
      [
        'POST',
        '/api/users',
        {
          username: 'surrogate',
          name: '\udfff',
          bidang: 'X',
          role: 'viewer',
          password: '\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800\ud800',
        },
      ],
      ['PATCH', '/api/users/%E0%A4%A', { role: 'viewer' }],
      ['PATCH', `/api/users/${server.admin.username}`, { role: ['admin'] }],
      ['PATCH', `/api/users/${server.admin.username}`, { name: null, bidang: 5 }],
      ['POST', '/api/login', { username: { toString: 1 }, password: [] }],
      ['GET', '/api/docs/%F0%9F%98%80', undefined],
    ]
    for (const [method, path, body] of probes) {
      const response = await api(server, method, path, { token, body })
      expect(response.status, `${method} ${path}`).toBeGreaterThanOrEqual(400)
      expect(response.status, `${method} ${path}`).toBeLessThan(500)
      expect(response.body, `${method} ${path}`).toEqual({ error: expect.any(String) })
      expect(looksLikeStack(JSON.stringify(response.body))).toBe(false)
    }
    expect((await api(server, 'GET', '/healthz')).status).toBe(200)
  })

  it('creates a draft with POST /api/docs as admin, lists it, and a client can open and edit it', async () => {
    expect((await api(server, 'POST', '/api/docs', { token, body: {} })).status).toBe(400)
    const created = await api<{ id: string; title: string }>(server, 'POST', '/api/docs', { token, body: { nama: 'Pengelolaan Data dan Informasi' } })
    expect(created.status).toBe(201)
    expect(created.body.id).toMatch(/^[a-z0-9-]+$/)
    expect(created.body.title).toBe('Rancangan Peraturan Gubernur Kalimantan Timur tentang Pengelolaan Data dan Informasi')
    const listed = await api<Array<{ id: string }>>(server, 'GET', '/api/docs', { token })
    expect(listed.body.map((d) => d.id)).toContain(created.body.id)
    expect((await api(server, 'GET', `/api/docs/${created.body.id}`, { token })).status).toBe(200)

    const a = connect(server, created.body.id, token)
    const b = connect(server, created.body.id, token)
    await Promise.all([a.synced, b.synced])
    expect(pasalLabels(a.doc)).toEqual(['Pasal 1', 'Pasal 2'])
    expect(JSON.stringify(contentOf(a.doc))).toContain('PENGELOLAAN DATA DAN INFORMASI')
    ayatText(pasal(a.doc, 2)).insert(0, 'Draf baru dapat disunting. ')
    await waitFor(
      () => ayatText(pasal(b.doc, 2)).toString().startsWith('Draf baru dapat disunting. '),
      'the edit in the new draft to reach the other client',
    )
    a.destroy()
    b.destroy()
  })
})

describe('requests that are not valid URLs', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server?.dispose())

  /** /healthz status, or 0 when nothing answers (the process died). */
  const health = () =>
    api(server, 'GET', '/healthz').then(
      (r) => r.status,
      () => 0,
    )

  // A test that brings the server down must not take the next one with it.
  beforeEach(async () => {
    if ((await health()) !== 200) server = await server.restart()
  })

  for (const target of ['//', '//@', '//a:b']) {
    it(`answers GET ${target} (not a valid URL path) with a 4xx and keeps serving`, async () => {
      const { received } = await rawHttp(server, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
      expect(await health(), `the server after GET ${target}`).toBe(200)
      expect(received).toMatch(/^HTTP\/1\.1 4\d\d/)
      expect(looksLikeStack(received)).toBe(false)
    })
  }

  it('refuses a WebSocket upgrade to // and keeps serving', async () => {
    const upgrade = await rawHttp(
      server,
      'GET // HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    )
    expect(await health(), 'the server after a WebSocket upgrade to //').toBe(200)
    expect(upgrade.received).not.toMatch(/^HTTP\/1\.1 101/)
  })
})

describe('hostile Yjs updates (shared/vectors/hostile-yjs-updates.json)', () => {
  let server: TestServer
  let token: string
  let writer: TestClient
  let reader: TestClient

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
    writer = connect(server, DOC, token)
    reader = connect(server, DOC, token)
    await Promise.all([writer.synced, reader.synced])
  })
  afterAll(async () => {
    writer?.destroy()
    reader?.destroy()
    await server?.dispose()
  })

  let edit = 0
  /** /healthz answers and a live edit still goes from one client to another. */
  async function stillServing(after: string) {
    expect((await api(server, 'GET', '/healthz')).status, `healthz after ${after}`).toBe(200)
    const marker = `hidup-${++edit} `
    ayatText(pasal(writer.doc, 11)).insert(0, marker)
    await waitFor(() => ayatText(pasal(reader.doc, 11)).toString().startsWith(marker), `a live edit after ${after}`)
  }

  for (const vector of HOSTILE_UPDATES) {
    for (const [kind, wrap] of [
      ['update', encodeUpdate],
      ['sync step 2', encodeSyncStep2],
    ] as const) {
      it(`answers the ${vector.name} vector sent as a sync ${kind} within bounded time (4400 or ignored) and keeps serving (S8)`, async () => {
        const raw = openRaw(server, DOC, token)
        await raw.opened
        raw.send(wrap(vector.bytes))
        // A round trip behind it: answered means the vector was handled (and ignored).
        raw.send(storedRequest(1))
        let outcome: RawOutcome | 'ignored' | null = null
        void raw.outcome.then((o) => (outcome ??= o))
        await waitFor(() => outcome !== null || raw.messages.some((m) => m[0] === messageStored), `an answer to ${vector.name}`, 5_000)
        outcome ??= 'ignored'
        if (outcome !== 'ignored') expect(outcome).toMatchObject({ kind: 'closed', code: CloseCode.badRequest })
        raw.ws.terminate()
        await stillServing(vector.name)
      })
    }
  }

  it('stored none of the hostile updates, and the document reloads unchanged after a crash and a clean restart', async () => {
    await waitFor(() => JSON.stringify(contentOf(writer.doc)) === JSON.stringify(contentOf(reader.doc)), 'the clients to agree')
    const expected = contentOf(reader.doc)
    const expectedVector = Y.encodeStateVector(reader.doc)
    writer.destroy()
    reader.destroy()
    // A crash leaves the update log as it was written (a clean stop would fold it into the state).
    await server.kill()
    const storage = await LevelStorage.open(join(server.dataDir, 'db'))
    try {
      const stored = await storage.loadDocument(DOC)
      const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
      const vectors = new Map(HOSTILE_UPDATES.map((v) => [hex(v.bytes), v.name]))
      const storedVectors = stored.updates.map((u) => vectors.get(hex(u))).filter((name) => name !== undefined)
      expect(storedVectors, 'hostile vectors found in the update log').toEqual([])
      const check = new Y.Doc()
      for (const update of stored.state ? [stored.state, ...stored.updates] : stored.updates) Y.applyUpdate(check, update)
      expect(check.store.pendingStructs).toBeNull()
      expect(check.store.pendingDs).toBeNull()
      expect(Y.encodeStateVector(check)).toEqual(expectedVector)
    } finally {
      await storage.close()
    }

    server = await server.restart()
    writer = connect(server, DOC, token)
    reader = connect(server, DOC, token)
    await Promise.all([writer.synced, reader.synced])
    expect(contentOf(writer.doc)).toEqual(expected)
    writer.destroy()
    reader.destroy()
    // Folding the log into the state at shutdown must not hang on anything stored.
    expect(await server.stop()).toBe(0)
    server = await server.restart()
    writer = connect(server, DOC, token)
    reader = connect(server, DOC, token)
    await Promise.all([writer.synced, reader.synced])
    expect(contentOf(writer.doc)).toEqual(expected)
  })
})
