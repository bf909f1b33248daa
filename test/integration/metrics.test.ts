import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { join } from 'node:path'
import * as Y from 'yjs'
import { LevelStorage } from '../../server/storage/leveldb.js'
import type { AuditEntry } from '../../shared/audit.js'
import type { ImportedDocument } from '../../shared/documents.js'
import { startServer, type TestServer } from '../harness/server.js'
import { api, connect, meeting, roundTrip, waitFor } from '../harness/clients.js'
import { ayatText, pasal } from '../harness/document.js'

/** Issue 16: GET /metrics against the real server: Prometheus text, counters that move, and who may read it. */

const DOC = 'rapergub-spbe'

interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*'
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (-?(?:\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?|[nN]a[nN]|[+-]?[iI]nf))$`)
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`)

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line is a HELP
 * or TYPE comment or a sample; anything else fails the test. Values are floats as Go's ParseFloat
 * reads them, which takes NaN and Inf in any case (prom-client writes "Nan").
 */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = []
  const types = new Map<string, string>()
  for (const line of text.split('\n')) {
    if (line === '') continue
    const comment = COMMENT.exec(line)
    if (comment) {
      if (comment[1] === 'TYPE') types.set(comment[2]!, comment[3]!)
      continue
    }
    const match = SAMPLE.exec(line)
    if (!match) throw new Error(`not a Prometheus exposition line: ${JSON.stringify(line)}`)
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]))
    samples.push({ name: match[1]!, labels, value: /^[nN]a[nN]$/.test(match[3]!) ? NaN : Number(match[3]) })
  }
  return { samples, types }
}

/** GET /metrics over a socket bound to `localAddress`, optionally with a bearer token. */
function scrape(
  server: TestServer,
  options: { localAddress?: string; token?: string } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/metrics', server.url)
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        localAddress: options.localAddress,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode!, type: String(response.headers['content-type']), body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}

async function metrics(server: TestServer) {
  const response = await scrape(server)
  expect(response.status).toBe(200)
  return parseExposition(response.body)
}

/** The value of one sample (0 when absent). */
function value(parsed: { samples: Sample[] }, name: string, labels: Record<string, string> = {}): number {
  const found = parsed.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  return found?.value ?? 0
}

describe('metrics (GET /metrics)', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server?.dispose())

  it('serves Prometheus text to this machine, every name starting with rancang_, with event-loop lag among them', async () => {
    const response = await scrape(server)
    expect(response.status).toBe(200)
    expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/)
    const parsed = parseExposition(response.body)
    expect(parsed.samples.length).toBeGreaterThan(20)
    for (const sample of parsed.samples) expect(sample.name).toMatch(/^rancang_/)
    for (const name of parsed.types.keys()) expect(name).toMatch(/^rancang_/)
    for (const name of [
      'rancang_connections',
      'rancang_documents_open',
      'rancang_documents_built',
      'rancang_updates_received_total',
      'rancang_updates_refused_total',
      'rancang_updates_stored_total',
      'rancang_store_latency_seconds',
      'rancang_store_batch_write_seconds',
      'rancang_update_validation_seconds',
      'rancang_relay_delay_seconds',
      'rancang_relay_queue_bytes',
      'rancang_logins_total',
      'rancang_exports_total',
      'rancang_nodejs_eventloop_lag_seconds',
      'rancang_sync_writes',
    ])
      expect(parsed.types.has(name), name).toBe(true)
    expect(value(parsed, 'rancang_sync_writes')).toBe(1)
  })

  it('moves the counters with sign-ins, edits, refused edits and exports, and the gauges with connections', async () => {
    const before = await metrics(server)
    const people = await meeting(server)
    expect((await api(server, 'POST', '/api/login', { body: { username: 'siapa', password: 'salah-sekali' } })).status).toBe(401)

    const editor = connect(server, DOC, people.rina.token)
    const viewer = connect(server, DOC, people.viewer.token)
    await Promise.all([editor.synced, viewer.synced])
    for (let i = 0; i < 5; i++) {
      ayatText(pasal(editor.doc, 3)).insert(0, `ubah ${i} `)
      await roundTrip(editor)
    }
    ayatText(pasal(viewer.doc, 4)).insert(0, 'tidak boleh ')
    await roundTrip(viewer)
    const exported = await fetch(`${server.url}/api/docs/${DOC}/export?format=html`, { headers: { authorization: `Bearer ${people.rina.token}` } })
    expect(exported.status).toBe(200)

    const during = await metrics(server)
    const moved = (name: string, labels?: Record<string, string>) => value(during, name, labels) - value(before, name, labels)
    console.log(
      `metrics after 5 edits: received +${moved('rancang_updates_received_total')}, stored +${moved('rancang_updates_stored_total')},` +
        ` batches +${moved('rancang_store_batches_total')}, store latency sum ${value(during, 'rancang_store_latency_seconds_sum').toFixed(4)} s,` +
        ` batch write sum ${value(during, 'rancang_store_batch_write_seconds_sum').toFixed(4)} s, validation sum ${value(during, 'rancang_update_validation_seconds_sum').toFixed(4)} s`,
    )
    expect(moved('rancang_logins_total', { outcome: 'succeeded' })).toBe(5)
    expect(moved('rancang_logins_total', { outcome: 'failed' })).toBe(1)
    expect(moved('rancang_updates_received_total')).toBe(6)
    expect(moved('rancang_updates_refused_total', { reason: 'read-only' })).toBe(1)
    expect(moved('rancang_updates_stored_total')).toBe(5)
    expect(moved('rancang_store_latency_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(moved('rancang_store_batch_write_seconds_count')).toBe(moved('rancang_store_batches_total'))
    expect(moved('rancang_update_validation_seconds_count')).toBe(5)
    // Each stored edit relayed once (to the viewer), within a second of its arrival; the refused one never.
    expect(moved('rancang_relay_delay_seconds_count')).toBe(5)
    expect(moved('rancang_relay_delay_seconds_bucket', { le: '1' })).toBe(5)
    expect(moved('rancang_relay_delay_seconds_sum')).toBeGreaterThan(0)
    expect(moved('rancang_exports_total', { format: 'html' })).toBe(1)
    expect(value(during, 'rancang_connections')).toBe(2)
    expect(value(during, 'rancang_documents_open')).toBe(1)

    editor.destroy()
    viewer.destroy()
    await waitFor(async () => value(await metrics(server), 'rancang_connections') === 0, 'connections gauge back to 0')
  })
})

describe('optional parts loaded on first use', () => {
  it('starts idle without the validation worker, the export builders, the Word import, the JWT library or PostgreSQL, and loads each when first needed', async () => {
    const server = await startServer()
    try {
      const idle = await metrics(server)
      expect(value(idle, 'rancang_validation_worker_running')).toBe(0)
      for (const module of ['export', 'import', 'jose', 'postgres']) {
        expect(idle.samples.some((s) => s.name === 'rancang_module_loaded' && s.labels.module === module)).toBe(true)
        expect(value(idle, 'rancang_module_loaded', { module })).toBe(0)
      }

      // The first sign-in loads the JWT library; the tokens it issued are then accepted.
      const people = await meeting(server)
      expect(value(await metrics(server), 'rancang_module_loaded', { module: 'jose' })).toBe(1)
      const editor = connect(server, DOC, people.rina.token)
      await editor.synced
      ayatText(pasal(editor.doc, 3)).insert(0, 'ketikan ')
      await roundTrip(editor)
      // A keystroke is proven on the main thread: still no worker.
      expect(value(await metrics(server), 'rancang_validation_worker_running')).toBe(0)
      // Over 64 KiB: only the worker may validate it.
      const paste = 'tempelan panjang '.repeat(5000)
      ayatText(pasal(editor.doc, 4)).insert(0, paste)
      await roundTrip(editor)
      const reader = connect(server, DOC, people.viewer.token)
      await reader.synced
      expect(ayatText(pasal(reader.doc, 4)).toString().startsWith(paste)).toBe(true)
      expect(value(await metrics(server), 'rancang_validation_worker_running')).toBe(1)

      const exported = await fetch(`${server.url}/api/docs/${DOC}/export?format=docx`, { headers: { authorization: `Bearer ${people.rina.token}` } })
      expect(exported.status).toBe(200)
      const docx = new Uint8Array(await exported.arrayBuffer())
      expect(docx.subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]))
      const after = await metrics(server)
      expect(value(after, 'rancang_module_loaded', { module: 'export' })).toBe(1)
      expect(value(after, 'rancang_module_loaded', { module: 'import' })).toBe(0)
      expect(value(after, 'rancang_module_loaded', { module: 'postgres' })).toBe(0)

      // The first Word import loads the import code and reads the file just exported as a new draft.
      const imported = await fetch(`${server.url}/api/docs/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${people.admin.token}`, 'content-type': 'application/octet-stream' },
        body: docx,
      })
      expect(imported.status).toBe(201)
      expect(((await imported.json()) as ImportedDocument).pasal).toBeGreaterThan(0)
      expect(value(await metrics(server), 'rancang_module_loaded', { module: 'import' })).toBe(1)
      for (const client of [editor, reader]) client.destroy()
    } finally {
      await server.dispose()
    }
  })
})

describe('documents served from their stored bytes', () => {
  it('builds no Y.Doc for a draft people only open and read, and builds it once someone edits', async () => {
    const server = await startServer()
    try {
      const people = await meeting(server)
      const readers = [connect(server, DOC, people.viewer.token), connect(server, DOC, people.bayu.token)]
      await Promise.all(readers.map((reader) => reader.synced))
      await Promise.all(readers.map((reader) => roundTrip(reader)))
      expect(pasal(readers[0]!.doc, 3)).toBeTruthy()
      const reading = await metrics(server)
      expect(value(reading, 'rancang_documents_open')).toBe(1)
      expect(value(reading, 'rancang_documents_built')).toBe(0)

      const editor = connect(server, DOC, people.rina.token)
      await editor.synced
      ayatText(pasal(editor.doc, 3)).insert(0, 'diubah ')
      await roundTrip(editor)
      await waitFor(() => ayatText(pasal(readers[0]!.doc, 3)).toString().startsWith('diubah '), 'the edit relayed to a reader')
      expect(value(await metrics(server), 'rancang_documents_built')).toBe(1)
      for (const client of [...readers, editor]) client.destroy()
    } finally {
      await server.dispose()
    }
  })

  it('reopens an edited draft after a restart from the state and the state vector stored with it on shutdown, building nothing', async () => {
    const server = await startServer()
    try {
      const people = await meeting(server)
      const editor = connect(server, DOC, people.rina.token)
      await editor.synced
      ayatText(pasal(editor.doc, 3)).insert(0, 'diubah ')
      await roundTrip(editor)
      editor.destroy()

      const restarted = await server.restart()
      const reader = connect(restarted, DOC, people.viewer.token)
      await reader.synced
      await roundTrip(reader)
      expect(ayatText(pasal(reader.doc, 3)).toString()).toMatch(/^diubah /)
      expect(value(await metrics(restarted), 'rancang_documents_built')).toBe(0)
      reader.destroy()
      expect(await restarted.stop()).toBe(0)

      const storage = await LevelStorage.open(join(server.dataDir, 'db'))
      try {
        const stored = await storage.loadDocument(DOC)
        expect(stored.updates).toEqual([])
        expect(stored.stateVector).toEqual(Y.encodeStateVectorFromUpdate(stored.state!))
        expect(stored.stateVector).toEqual(Y.encodeStateVector(reader.doc))
      } finally {
        await storage.close()
      }
    } finally {
      await server.dispose()
    }
  })
})

describe('who may read /metrics', () => {
  it('refuses a peer that is not this machine (127.0.0.2) without a token, and the server sees that address', async () => {
    const server = await startServer()
    try {
      const refused = await scrape(server, { localAddress: '127.0.0.2' })
      expect(refused.status).toBe(403)
      expect(refused.body).not.toContain('rancang_')
      expect((await scrape(server, { localAddress: '127.0.0.2', token: 'tebakan' })).status).toBe(403)
      // The address the server saw for that peer, as the audit log records it.
      const failed = await new Promise<number>((resolve, reject) => {
        const url = new URL('/api/login', server.url)
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            localAddress: '127.0.0.2',
            headers: { 'content-type': 'application/json' },
          },
          (response) => {
            response.resume()
            response.on('end', () => resolve(response.statusCode!))
          },
        )
        req.on('error', reject)
        req.end(JSON.stringify({ username: 'dari-luar', password: 'salah-sekali' }))
      })
      expect(failed).toBe(401)
      const { admin } = await meeting(server)
      const [entry] = (await api<AuditEntry[]>(server, 'GET', '/api/audit?action=login.failed&limit=1', { token: admin.token })).body
      expect(entry).toMatchObject({ actor: 'dari-luar', address: '127.0.0.2' })
    } finally {
      await server.dispose()
    }
  })

  it('answers any peer that bears METRICS_TOKEN, and no other (P29)', async () => {
    const token = 'token-metrik-yang-panjang-dan-acak'
    const server = await startServer({ env: { METRICS_TOKEN: token } })
    try {
      const allowed = await scrape(server, { localAddress: '127.0.0.2', token })
      expect(allowed.status).toBe(200)
      expect(parseExposition(allowed.body).samples.some((s) => s.name === 'rancang_connections')).toBe(true)
      expect((await scrape(server, { localAddress: '127.0.0.2', token: `${token}x` })).status).toBe(403)
      expect((await scrape(server, { localAddress: '127.0.0.2' })).status).toBe(403)
      expect((await scrape(server)).status).toBe(200)
    } finally {
      await server.dispose()
    }
  })
})
