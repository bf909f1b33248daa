import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Socket } from 'node:net'
import * as Y from 'yjs'
import mammoth from 'mammoth'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { encodeStored, encodeSyncStep1, encodeSyncStep2, encodeUpdate, messageStored } from '../../shared/protocol/messages.js'
import { startServer, type TestServer } from '../harness/server.js'
import {
  adminToken,
  api,
  awarenessMessage,
  closeCodes,
  connect,
  createAccount,
  openRaw,
  roundTrip,
  waitFor,
  type RawOutcome,
  type RawSocket,
  type TestClient,
} from '../harness/clients.js'
import { ayatText, contentOf, pasal } from '../harness/document.js'
import { HOSTILE_UPDATES } from '../harness/vectors.js'

/**
 * Issue 6 "Resource limits" against the real server process: each limit is set small through its
 * environment variable (docs/configuration.md) for one server, then breached by one connection
 * while others must keep working. THREAT_MODEL.md P5 and P11.
 */

const DOC = 'rapergub-spbe'
const textOf = (doc: Y.Doc, number: number) => ayatText(pasal(doc, number)).toString()

/** A server with `env`, an admin token, and stock clients that are cleaned up after each test. */
function serverWith(env: Record<string, string>) {
  const context = {
    server: undefined as unknown as TestServer,
    token: '',
    open: [] as TestClient[],
    raws: [] as RawSocket[],
    client(): TestClient {
      const c = connect(context.server, DOC, context.token)
      context.open.push(c)
      return c
    },
    raw(options: { localAddress?: string } = {}): RawSocket {
      const r = openRaw(context.server, DOC, context.token, options)
      context.raws.push(r)
      return r
    },
  }
  beforeAll(async () => {
    context.server = await startServer({ env })
    context.token = await adminToken(context.server)
  })
  afterEach(() => {
    for (const c of context.open.splice(0)) c.destroy()
    for (const r of context.raws.splice(0)) r.ws.terminate()
  })
  afterAll(() => context.server?.dispose())
  return context
}

let marker = 0
/** A fresh edit goes from `writer` to `reader` through the server, and /healthz answers. */
async function expectStillServing(server: TestServer, writer: TestClient, reader: TestClient, after: string) {
  expect((await api(server, 'GET', '/healthz')).status, `/healthz after ${after}`).toBe(200)
  const text = `masih-jalan-${++marker} `
  ayatText(pasal(writer.doc, 11)).insert(0, text)
  await waitFor(() => textOf(reader.doc, 11).startsWith(text), `a live edit after ${after}`)
}

/** An update (as a stock client would send it) inserting `text` at the start of Pasal `number`. */
function updateInserting(base: Y.Doc, number: number, text: string): Uint8Array {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
  const before = Y.encodeStateVector(doc)
  ayatText(pasal(doc, number)).insert(0, text)
  const update = Y.encodeStateAsUpdate(doc, before)
  doc.destroy()
  return update
}

/** A valid update that is slow and memory-hungry to apply: `items` separate text items in a root type of its own. */
function manyItemsUpdate(items: number): Uint8Array {
  const doc = new Y.Doc()
  const text = doc.getText('besar')
  // Inserting alternately at both ends keeps Yjs from merging the items.
  doc.transact(() => {
    for (let i = 0; i < items; i++) text.insert(i % 2 ? 0 : text.length, 'ab')
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** A valid update carrying one string of `bytes` characters in a root type of its own. */
function hugeTextUpdate(bytes: number): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('besar').insert(0, 'x'.repeat(bytes))
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

describe('frames and presence (MAX_MESSAGE_BYTES=65536, MAX_AWARENESS_BYTES=1024, MAX_AWARENESS_CLIENTS=2)', () => {
  const ctx = serverWith({ MAX_MESSAGE_BYTES: '65536', MAX_AWARENESS_BYTES: '1024', MAX_AWARENESS_CLIENTS: '2' })
  let writer: TestClient
  let reader: TestClient
  beforeAll(async () => {
    writer = connect(ctx.server, DOC, ctx.token)
    reader = connect(ctx.server, DOC, ctx.token)
    await Promise.all([writer.synced, reader.synced])
  })
  afterAll(() => {
    writer?.destroy()
    reader?.destroy()
  })

  it('closes a connection whose frame is over MAX_MESSAGE_BYTES with 1009, whole or in fragments, and the others keep editing', async () => {
    const whole = ctx.raw()
    await whole.opened
    whole.send(encodeUpdate(new Uint8Array(70_000)))
    expect(await whole.outcome).toMatchObject({ kind: 'closed', code: CloseCode.messageTooBig })

    // Three 30 kB fragments of one message: each is small, the message is not.
    const fragmented = ctx.raw()
    await fragmented.opened
    const part = new Uint8Array(30_000)
    fragmented.ws.send(part, { fin: false })
    fragmented.ws.send(part, { fin: false })
    fragmented.ws.send(part, { fin: true })
    expect(await fragmented.outcome).toMatchObject({ kind: 'closed', code: CloseCode.messageTooBig })
    await expectStillServing(ctx.server, writer, reader, 'oversized frames')
  })

  it('accepts, stores and relays a valid update just under MAX_MESSAGE_BYTES', async () => {
    const raw = ctx.raw()
    await raw.opened
    const text = `BESAR ${'kata '.repeat(12_000)}`
    raw.send(encodeUpdate(updateInserting(reader.doc, 12, text)))
    await waitFor(() => textOf(reader.doc, 12).startsWith(text), 'the large update to be relayed')
    raw.send(encodeStored(1))
    await waitFor(() => raw.messages.some((m) => m[0] === messageStored), 'the large update to be stored')
    expect(raw.ws.readyState).toBe(raw.ws.OPEN)
  })

  it('closes a connection that sends a text frame with 1003, and the others keep editing', async () => {
    const raw = ctx.raw()
    await raw.opened
    raw.ws.send('{"type":"sync"}')
    expect(await raw.outcome).toMatchObject({ kind: 'closed', code: CloseCode.unsupportedData })
    await expectStillServing(ctx.server, writer, reader, 'a text frame')
  })

  it('closes a connection that publishes a presence state over MAX_AWARENESS_BYTES with 4400, and relays one under it', async () => {
    const small = ctx.raw()
    await small.opened
    small.send(awarenessMessage([{ clientId: 0x7a00_0001, clock: 1, state: { catatan: 'k'.repeat(900) } }]))
    await waitFor(() => reader.provider.awareness.getStates().has(0x7a00_0001), 'a state under the limit to be relayed')

    const huge = ctx.raw()
    await huge.opened
    huge.send(awarenessMessage([{ clientId: 0x7a00_0002, clock: 1, state: { catatan: 'k'.repeat(2_000) } }]))
    expect(await huge.outcome).toMatchObject({ kind: 'closed', code: CloseCode.badRequest })
    expect(reader.provider.awareness.getStates().has(0x7a00_0002)).toBe(false)
    await expectStillServing(ctx.server, writer, reader, 'a huge presence state')
  })

  it('closes a connection that claims more presence ids than MAX_AWARENESS_CLIENTS with 4400, and keeps the ids of one within it', async () => {
    const within = ctx.raw()
    await within.opened
    within.send(
      awarenessMessage([
        { clientId: 0x7b00_0001, clock: 1, state: { ke: 1 } },
        { clientId: 0x7b00_0002, clock: 1, state: { ke: 2 } },
      ]),
    )
    await waitFor(
      () => reader.provider.awareness.getStates().has(0x7b00_0001) && reader.provider.awareness.getStates().has(0x7b00_0002),
      'two ids to be accepted',
    )

    const greedy = ctx.raw()
    await greedy.opened
    greedy.send(
      awarenessMessage([
        { clientId: 0x7c00_0001, clock: 1, state: { ke: 1 } },
        { clientId: 0x7c00_0002, clock: 1, state: { ke: 2 } },
      ]),
    )
    // The third id comes in a later message: the limit is per connection, not per message.
    greedy.send(awarenessMessage([{ clientId: 0x7c00_0003, clock: 1, state: { ke: 3 } }]))
    expect(await greedy.outcome).toMatchObject({ kind: 'closed', code: CloseCode.badRequest })
    expect(reader.provider.awareness.getStates().has(0x7c00_0003)).toBe(false)
    expect(within.ws.readyState).toBe(within.ws.OPEN)
    await expectStillServing(ctx.server, writer, reader, 'too many presence ids')
  })
})

describe('message and byte rates (MAX_MESSAGES_PER_SECOND=20, MAX_BYTES_PER_SECOND=16384, MAX_MESSAGE_BYTES=16384)', () => {
  const ctx = serverWith({ MAX_MESSAGES_PER_SECOND: '20', MAX_BYTES_PER_SECOND: '16384', MAX_MESSAGE_BYTES: '16384' })

  it('closes a connection that sends a burst of 100 messages with 1013 "rate limit", while a stock client beside it keeps editing', async () => {
    const writer = ctx.client()
    const reader = ctx.client()
    const writerCodes = closeCodes(writer)
    await Promise.all([writer.synced, reader.synced])
    const flood = ctx.raw()
    await flood.opened
    for (let i = 1; i <= 100; i++) flood.send(encodeStored(i))
    expect(await flood.outcome).toEqual({ kind: 'closed', code: CloseCode.tryAgainLater, reason: 'rate limit' })
    await expectStillServing(ctx.server, writer, reader, 'a message flood')
    expect(writerCodes).toEqual([])
  })

  it('lets a connection send 15 messages a second for 3 seconds (more than the burst allowance in all, under the rate)', async () => {
    const steady = ctx.raw()
    await steady.opened
    for (let i = 1; i <= 45; i++) {
      steady.send(encodeStored(i))
      await new Promise((resolve) => setTimeout(resolve, 1000 / 15))
    }
    await waitFor(() => steady.messages.filter((m) => m[0] === messageStored).length === 45, 'every request to be answered')
    expect(steady.ws.readyState).toBe(steady.ws.OPEN)
  })

  it('closes a connection that sends more bytes at once than the byte allowance with 1013, though few messages', async () => {
    const writer = ctx.client()
    const reader = ctx.client()
    await Promise.all([writer.synced, reader.synced])
    const heavy = ctx.raw()
    await heavy.opened
    // Six 9 kB presence states: well under the message count, over 2 × 16 kB of bytes.
    for (let clock = 1; clock <= 6; clock++) heavy.send(awarenessMessage([{ clientId: 0x7d00_0001, clock, state: { isi: 'b'.repeat(9_000) } }]))
    expect(await heavy.outcome).toEqual({ kind: 'closed', code: CloseCode.tryAgainLater, reason: 'rate limit' })
    await expectStillServing(ctx.server, writer, reader, 'a byte flood')
  })
})

describe('connections per address (MAX_CONNECTIONS_PER_ADDRESS=3)', () => {
  const ctx = serverWith({ MAX_CONNECTIONS_PER_ADDRESS: '3' })

  /** Opens a socket and says whether it was accepted (true) or refused over HTTP (its status). */
  async function attempt(options: { localAddress?: string } = {}): Promise<RawSocket | number> {
    const raw = ctx.raw(options)
    const result = await Promise.race([raw.opened.then(() => raw), raw.outcome])
    if (result === raw) return raw
    const outcome = result as RawOutcome
    return outcome.kind === 'http' ? outcome.status : -outcome.code
  }

  it('answers the 4th WebSocket upgrade from one address with HTTP 429, serves HTTP and other addresses meanwhile, and accepts again once one closes', async () => {
    const first = await Promise.all([attempt(), attempt(), attempt()])
    for (const socket of first) expect(typeof socket, 'the first three are accepted').toBe('object')
    expect(await attempt()).toBe(429)
    expect((await api(ctx.server, 'GET', '/healthz')).status).toBe(200)
    const elsewhere = await attempt({ localAddress: '127.0.0.2' })
    expect(typeof elsewhere, 'a socket from another address').toBe('object')

    const closing = first[0] as RawSocket
    closing.ws.close()
    await closing.outcome
    let again: RawSocket | number = 0
    await waitFor(async () => typeof (again = await attempt()) === 'object', 'a new socket to be accepted after one closed')
    expect(await attempt(), 'the limit holds again').toBe(429)
    expect(typeof again).toBe('object')
  })
})

describe('a slow reader (MAX_BUFFERED_BYTES=65536)', () => {
  const ctx = serverWith({ MAX_BUFFERED_BYTES: '65536', MAX_BYTES_PER_SECOND: String(64 * 1024 * 1024) })

  it('disconnects a client that stops reading while another writes megabytes, and the writer keeps reaching a third client', async () => {
    const writer = ctx.client()
    const third = ctx.client()
    const writerCodes = closeCodes(writer)
    await Promise.all([writer.synced, third.synced])
    const slow = ctx.raw()
    await slow.opened
    const socket = (slow.ws as unknown as { _socket: Socket })._socket
    socket.pause()

    // 12 MB in 100 kB edits: far beyond what the kernel buffers for a socket nobody reads.
    const chunk = 'lambat '.repeat(100_000 / 7)
    const target = () => ayatText(pasal(writer.doc, 20), 0)
    for (let i = 0; i < 120; i++) {
      target().insert(0, chunk)
      if (i % 10 === 9) await roundTrip(writer, 30_000)
    }
    const expectedLength = target().length
    await waitFor(() => ayatText(pasal(third.doc, 20), 0).length === expectedLength, 'the third client to receive every edit', 60_000)
    expect((await api(ctx.server, 'GET', '/healthz')).status).toBe(200)

    socket.resume()
    let ended: RawOutcome | null = null
    void slow.outcome.then((o) => (ended = o))
    await waitFor(() => ended !== null, 'the slow reader to be disconnected once it reads again', 30_000)
    const outcome = ended as unknown as RawOutcome
    // 1013 once it reads the close frame queued behind its backlog; 1006 if the server gave up on it.
    expect([CloseCode.tryAgainLater, 1006], `the slow reader ended with ${JSON.stringify(outcome)}`).toContain(
      outcome.kind === 'closed' ? outcome.code : outcome.status,
    )
    const received = slow.messages.reduce((sum, m) => sum + m.byteLength, 0)
    expect(received, 'the slow reader was cut off, not served everything').toBeLessThan(120 * chunk.length)

    ayatText(pasal(writer.doc, 3)).insert(0, 'SESUDAH-LAMBAT ')
    await waitFor(() => textOf(third.doc, 3).startsWith('SESUDAH-LAMBAT '), 'the writer to keep reaching the third client')
    expect(writerCodes).toEqual([])
  }, 120_000)
})

/**
 * The validation budget: `hostile` is refused (4400) and stored nowhere while a stock client keeps
 * typing beside it, every keystroke of which must go through.
 */
function validationBudget(env: Record<string, string>, hostile: () => Uint8Array, what: string) {
  const ctx = serverWith(env)

  it(`refuses ${what} with 4400 and stores nothing of it, while small edits from another client keep going through and /healthz answers (S8)`, async () => {
    const writer = ctx.client()
    const reader = ctx.client()
    const writerCodes = closeCodes(writer)
    await Promise.all([writer.synced, reader.synced])
    const update = hostile()

    let typed = 0
    const typing = setInterval(() => ayatText(pasal(writer.doc, 5)).insert(0, `k${typed++};`), 20)
    try {
      const attacker = ctx.raw()
      await attacker.opened
      attacker.send(encodeUpdate(update))
      const health = api(ctx.server, 'GET', '/healthz')
      expect(await attacker.outcome).toMatchObject({ kind: 'closed', code: CloseCode.badRequest })
      expect((await health).status).toBe(200)
      // Keep typing for a while after the refusal, when the validator has been replaced.
      const refusedAt = typed
      await waitFor(() => typed >= refusedAt + 50, 'more typing after the refusal')
    } finally {
      clearInterval(typing)
    }
    expect(writerCodes, 'the typing client, whose edits are small and valid, was never disconnected').toEqual([])
    await waitFor(() => textOf(reader.doc, 5) === textOf(writer.doc, 5), 'every keystroke to reach the reader', 20_000)
    expect(reader.doc.getText('besar').length).toBe(0)

    const expected = contentOf(reader.doc)
    for (const c of ctx.open.splice(0)) c.destroy()
    expect(await ctx.server.stop()).toBe(0)
    ctx.server = await ctx.server.restart()
    const fresh = ctx.client()
    await fresh.synced
    expect(fresh.doc.getText('besar').length, 'nothing of the refused update is stored').toBe(0)
    expect(contentOf(fresh.doc)).toEqual(expected)
  })

  it('refuses or ignores every hostile vector sent at once as sync step 2 and as update through the budgeted validator, stores none, and keeps every concurrent edit', async () => {
    const writer = ctx.client()
    const reader = ctx.client()
    const writerCodes = closeCodes(writer)
    await Promise.all([writer.synced, reader.synced])
    const sockets = HOSTILE_UPDATES.flatMap((vector) =>
      ([encodeUpdate, encodeSyncStep2] as const).map((wrap) => ({ name: vector.name, raw: ctx.raw(), message: wrap(vector.bytes) })),
    )
    await Promise.all(sockets.map((s) => s.raw.opened))
    // All in flight together, interleaved with a client's edits: the validator pipeline is shared.
    sockets.forEach(({ raw, message }, i) => {
      raw.send(message)
      raw.send(encodeStored(1))
      ayatText(pasal(writer.doc, 6)).insert(0, `v${i};`)
    })
    const outcomes = await Promise.all(
      sockets.map(async ({ name, raw }) => {
        let outcome: RawOutcome | 'ignored' | null = null
        void raw.outcome.then((o) => (outcome ??= o))
        await waitFor(() => outcome !== null || raw.messages.some((m) => m[0] === messageStored), `an answer to ${name}`, 15_000)
        return { name, outcome: outcome ?? 'ignored' }
      }),
    )
    for (const { name, outcome } of outcomes) {
      if (outcome !== 'ignored') expect(outcome, name).toMatchObject({ kind: 'closed', code: CloseCode.badRequest })
    }
    await roundTrip(writer)
    await waitFor(() => textOf(reader.doc, 6) === textOf(writer.doc, 6), 'every concurrent edit to reach the reader')
    expect(writerCodes).toEqual([])

    const expected = contentOf(reader.doc)
    const expectedVector = Y.encodeStateVector(reader.doc)
    for (const c of ctx.open.splice(0)) c.destroy()
    // A crash keeps the update log as written; a fresh load must equal what the clients had.
    await ctx.server.kill()
    ctx.server = await ctx.server.restart()
    const fresh = ctx.client()
    await fresh.synced
    expect(contentOf(fresh.doc)).toEqual(expected)
    expect(Y.encodeStateVector(fresh.doc)).toEqual(expectedVector)
  })
}

describe('validation time budget (VALIDATION_TIMEOUT_MS=10)', () => {
  validationBudget(
    { VALIDATION_TIMEOUT_MS: '10' },
    () => manyItemsUpdate(100_000),
    'a valid 1.2 MB update of 100 000 items that takes far longer to validate',
  )
})

describe('validation memory budget (VALIDATION_MEMORY_MB=16)', () => {
  validationBudget(
    { VALIDATION_MEMORY_MB: '16', VALIDATION_TIMEOUT_MS: '60000' },
    () => hugeTextUpdate(12 * 1024 * 1024),
    'a valid 12 MB update that needs more memory to validate',
  )
})

/** Milliseconds /healthz takes to answer now (printed, never asserted: the machine is shared). */
async function healthLatency(server: TestServer): Promise<number> {
  const started = performance.now()
  expect((await api(server, 'GET', '/healthz')).status).toBe(200)
  return Math.round(performance.now() - started)
}

describe('sync step 1 answers (MAX_SYNC_ANSWERS_PER_MINUTE default 6)', () => {
  const ctx = serverWith({})

  it('serves a viewer that sends 300 sync step 1 messages with a non-empty state vector a few answers, then closes it with 1013, while edits keep flowing to others', async () => {
    const writer = ctx.client()
    const reader = ctx.client()
    await Promise.all([writer.synced, reader.synced])
    const fullState = Y.encodeStateAsUpdate(reader.doc).byteLength
    const viewer = await createAccount(ctx.server, 'viewer', 'Inspektorat', ctx.token)
    const flood = openRaw(ctx.server, DOC, viewer.token)
    await flood.opened
    let ended: RawOutcome | null = null
    void flood.outcome.then((o) => (ended = o))

    // 8 bytes each: a writer the server has never seen, so every answer is the whole document.
    const message = encodeSyncStep1(Y.encodeStateVector(new Map([[123_456_789, 1]])))
    for (let i = 0; i < 300; i++) flood.send(message)
    flood.send(encodeStored(1))
    const latency = await healthLatency(ctx.server)

    ayatText(pasal(writer.doc, 4)).insert(0, 'SELAMA-BANJIR ')
    await waitFor(() => textOf(reader.doc, 4).startsWith('SELAMA-BANJIR '), 'an edit to reach the reader during the flood')
    // Processed in order: the flood is over once the server closed the socket or answered the barrier.
    await waitFor(() => ended !== null || flood.messages.some((m) => m[0] === messageStored), 'the server to get through the flood', 30_000)
    const received = flood.messages.reduce((sum, m) => sum + m.byteLength, 0)
    console.log(
      `sync flood: ${300 * message.byteLength} bytes sent, ${received} bytes answered (full state ${fullState} bytes); /healthz in ${latency} ms`,
    )
    expect(received, 'bytes the server sent the flooding viewer').toBeLessThan(8 * fullState)
    await waitFor(() => ended !== null, 'the flooding connection to be closed')
    expect(ended).toMatchObject({ kind: 'closed', code: CloseCode.tryAgainLater, reason: 'sync rate limit' })

    // A stock viewer opening the document afterwards is served as ever.
    const late = connect(ctx.server, DOC, viewer.token)
    ctx.open.push(late)
    await late.synced
    expect(textOf(late.doc, 4)).toBe(textOf(reader.doc, 4))
  }, 60_000)
})

/** `count` requests to `path` by `token` at once; their statuses, Retry-After headers and bodies. */
async function concurrently(server: TestServer, token: string, path: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
      const bytes = Buffer.from(await response.arrayBuffer())
      return { status: response.status, retryAfter: response.headers.get('retry-after'), bytes }
    }),
  )
}

describe('expensive requests (the defaults: exports 10 a minute, 3 at once per account, 2 running; comparisons 30 a minute, 10 at once)', () => {
  const ctx = serverWith({})

  it('answers some of 20 concurrent DOCX exports by one viewer with 429 and Retry-After, the rest with valid files, and /healthz meanwhile', async () => {
    const viewer = await createAccount(ctx.server, 'viewer', 'Inspektorat', ctx.token)
    const started = performance.now()
    const exports = concurrently(ctx.server, viewer.token, `/api/docs/${DOC}/export?format=docx`, 20)
    const latency = await healthLatency(ctx.server)
    const results = await exports
    const refused = results.filter((r) => r.status === 429)
    const served = results.filter((r) => r.status === 200)
    console.log(`20 concurrent exports: ${served.length} served, ${refused.length} refused; /healthz in ${latency} ms`)
    expect(served.length + refused.length).toBe(20)
    expect(served.length).toBeGreaterThan(0)
    // At most the per-account allowance (plus what refills during the test) is ever served.
    const refilled = Math.floor((performance.now() - started) / 6000)
    expect(served.length, 'the burst of 3, and one more per 6 s the test took').toBeLessThanOrEqual(3 + refilled)
    for (const r of refused) {
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1)
      expect(JSON.parse(r.bytes.toString()).error).toMatch(/coba lagi dalam \d+ detik/)
    }
    for (const r of served) {
      expect(r.bytes.subarray(0, 2).toString()).toBe('PK')
      expect((await mammoth.extractRawText({ buffer: r.bytes })).value).toContain('Pasal 1')
    }
    // Another account is not held back by the viewer's spent allowance.
    const other = await createAccount(ctx.server, 'viewer', 'Biro Hukum', ctx.token)
    await waitFor(
      async () => (await concurrently(ctx.server, other.token, `/api/docs/${DOC}/export?format=akn`, 1))[0]!.status === 200,
      'another account to export',
    )
  }, 60_000)

  it('answers comparisons over 30 a minute by one account with 429 and Retry-After', async () => {
    const admin = ctx.token
    const snapshot = await api<{ id: string }>(ctx.server, 'POST', `/api/docs/${DOC}/snapshots`, { token: admin, body: { name: 'Versi uji' } })
    expect(snapshot.status).toBe(201)
    const viewer = await createAccount(ctx.server, 'viewer', 'Inspektorat', admin)
    const results = await concurrently(ctx.server, viewer.token, `/api/docs/${DOC}/compare?from=${snapshot.body.id}`, 40)
    const refused = results.filter((r) => r.status === 429)
    console.log(`40 concurrent comparisons: ${results.length - refused.length} served, ${refused.length} refused`)
    expect(refused.length).toBeGreaterThanOrEqual(20)
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true)
    for (const r of refused) expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1)
  }, 60_000)
})
