import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as Y from 'yjs'
import { CloseCode } from '../../shared/protocol/closeCodes.js'
import { LevelStorage } from '../../server/storage/leveldb.js'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, api, closeCodes, connect, holdsFor, roundTrip, storageStatuses, waitFor, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, insertPasalAfter, pasal, pasalElements } from '../harness/document.js'
import { pause, prng, type Random } from '../harness/random.js'

/**
 * Issue 6 "Faults" against the real server process: `kill -9` at random moments of heavy editing
 * (also during compaction), SIGTERM, and a failing disk injected beneath the storage interface
 * (FAULT_INJECTION_FILE). THREAT_MODEL.md P1–P4; SPEC.md S1–S3. Replay with FAULTS_SEED=<seed>.
 */

const DOC = 'rapergub-spbe'
const SEED = Number(process.env.FAULTS_SEED ?? 20_260_806)

/** Tokens typed by the crash tests: «cycle.writer.n», each unique, never deleted. */
const TOKEN = /«(\d+)\.(\d+)\.(\d+)»/g
const tokensOf = (doc: Y.Doc) => new Set(JSON.stringify(contentOf(doc)).match(TOKEN) ?? [])
const writerOf = (token: string) => Number(/^«\d+\.(\d+)\./.exec(token)![1])
const stateVectorOf = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc))
const pasalIdsOf = (doc: Y.Doc) => new Set(pasalElements(doc).map((p) => p.getAttribute('id') as string))
const textOf = (doc: Y.Doc, number: number) => ayatText(pasal(doc, number)).toString()

/** What one client had received from the others when the server died. */
interface Received {
  readonly who: string
  /** Clock per Yjs client id of everyone else: only the server can have sent these. */
  readonly clocks: ReadonlyArray<readonly [number, number]>
  readonly tokens: readonly string[]
  readonly pasalIds: readonly string[]
}

function receivedBy(client: TestClient, writer: number, cycle: number, insertedBy: ReadonlyMap<string, number>): Received {
  const own = client.doc.clientID
  return {
    who: `cycle ${cycle} client ${writer}`,
    clocks: [...stateVectorOf(client.doc)].filter(([id]) => id !== own),
    tokens: [...tokensOf(client.doc)].filter((token) => writerOf(token) !== writer),
    pasalIds: [...pasalIdsOf(client.doc)].filter((id) => insertedBy.has(id) && insertedBy.get(id) !== writer),
  }
}

/** Asserts that `stored` holds everything each client had received from the others. */
function expectHoldsEverythingReceived(stored: Y.Doc, received: readonly Received[], where: string) {
  const clocks = stateVectorOf(stored)
  const tokens = tokensOf(stored)
  const ids = pasalIdsOf(stored)
  const missing: string[] = []
  for (const r of received) {
    for (const [client, clock] of r.clocks) {
      if ((clocks.get(client) ?? 0) < clock) missing.push(`${r.who}: Yjs client ${client} up to clock ${clock}, stored ${clocks.get(client) ?? 0}`)
    }
    for (const token of r.tokens) if (!tokens.has(token)) missing.push(`${r.who}: text ${token}`)
    for (const id of r.pasalIds) if (!ids.has(id)) missing.push(`${r.who}: pasal ${id}`)
  }
  expect(missing, `${where}: received by a client but not stored`).toEqual([])
}

/** Spans of the typed tokens in `text`, so deletions never touch them. */
function tokenSpans(text: string): Array<[number, number]> {
  return [...text.matchAll(TOKEN)].map((m) => [m.index, m.index + m[0].length])
}

/**
 * Several clients editing as fast as the event loop lets them: typing unique tokens at token
 * boundaries of random ayat, deleting bits of the original text, and inserting Pasal.
 * Returns a stop function and the ids of the inserted Pasal with their writer.
 */
function editHeavily(clients: readonly TestClient[], cycle: number, random: Random) {
  let n = 0
  const insertedBy = new Map<string, number>()
  const timer = setInterval(() => {
    clients.forEach((client, writer) => {
      const pasals = pasalElements(client.doc)
      if (pasals.length < 20) return // not synced yet
      for (let i = 0; i < 2; i++, n++) {
        const target = pasals[random.int(15)]!
        const text = ayatText(target, random.int(target.length))
        const roll = random.next()
        if (roll < 0.04) {
          const id = `crash${cycle}w${writer}n${n}`
          insertPasalAfter(target, id, `Pasal sisipan «${cycle}.${writer}.${n}».`)
          insertedBy.set(id, writer)
        } else if (roll < 0.2 && text.length > 10) {
          const at = random.int(text.length - 3)
          const length = 1 + random.int(3)
          if (tokenSpans(text.toString()).every(([from, to]) => at + length <= from || at >= to)) text.delete(at, length)
        } else {
          const s = text.toString()
          const boundaries = [0, s.length, ...tokenSpans(s).map(([, to]) => to)]
          text.insert(random.pick(boundaries), `«${cycle}.${writer}.${n}»`)
        }
      }
    })
  }, 1)
  return { stop: () => clearInterval(timer), insertedBy }
}

/** A stored document as the server would load it, read directly from LevelDB while the server is down. */
async function loadStored(server: TestServer): Promise<{ doc: Y.Doc; stateClock: number }> {
  const storage = await LevelStorage.open(join(server.dataDir, 'db'))
  try {
    const stored = await storage.loadDocument(DOC)
    const doc = new Y.Doc()
    for (const update of stored.state ? [stored.state, ...stored.updates] : stored.updates) Y.applyUpdate(doc, update)
    return { doc, stateClock: stored.stateClock }
  } finally {
    await storage.close()
  }
}

describe('crashes (kill -9) at random moments of heavy editing', () => {
  const open: TestClient[] = []
  let server: TestServer | undefined
  afterEach(async () => {
    for (const c of open.splice(0)) c.destroy()
    await server?.dispose()
    server = undefined
  })

  /**
   * Runs `cycles` crash cycles: three clients edit heavily, the server is killed at a seeded random
   * moment, and after the restart the document must hold everything any client had received from
   * another. `onDisk` also gets the database as read directly while the server is down.
   */
  async function crashCycles(
    env: Record<string, string>,
    cycles: number,
    seed: number,
    onDisk?: (stored: Awaited<ReturnType<typeof loadStored>>, received: Received[], cycle: number) => void,
  ) {
    let running = await startServer({ env })
    server = running
    const token = await adminToken(running)
    const random = prng(seed)
    const typing = prng(seed + 1)
    let relayed = 0
    let previous: Received[] = []
    for (let cycle = 0; cycle < cycles; cycle++) {
      const clients = [0, 1, 2].map(() => connect(running, DOC, token))
      open.push(...clients)
      await Promise.all(clients.map((c) => c.synced))
      // The database reopened after the last crash and holds what was received before it.
      expectHoldsEverythingReceived(clients[0]!.doc, previous, `after crash ${cycle - 1}`)
      expect((await api(running, 'GET', '/healthz')).status).toBe(200)

      const editing = editHeavily(clients, cycle, typing)
      // The crash moment: anywhere from the first relayed keystrokes to well into the editing. Counted
      // from the first relay, not from the start: on a slow machine the first 100 ms can pass before
      // the server has stored anything, and a crash there tests an idle server (and no compaction).
      await waitFor(
        () => [...tokensOf(clients[0]!.doc)].some((t) => t.startsWith(`«${cycle}.`) && writerOf(t) !== 0),
        `cycle ${cycle}: a first edit relayed`,
      )
      await pause(random.between(5, 400))
      await running.kill()
      editing.stop()
      // Everything the dead server had sent is read before looking at what arrived.
      await waitFor(() => clients.every((c) => !c.provider.wsconnected), 'the clients to see the connection drop')
      previous = clients.map((c, writer) => receivedBy(c, writer, cycle, editing.insertedBy))
      relayed += previous.reduce((sum, r) => sum + r.tokens.length, 0)
      // Gone before the restart, so their unsent edits cannot reach the new process and hide a loss.
      for (const c of open.splice(0)) c.destroy()

      if (onDisk) onDisk(await loadStored(running), previous, cycle)
      running = await running.restart()
      server = running
    }
    const fresh = connect(running, DOC, token)
    open.push(fresh)
    await fresh.synced
    expectHoldsEverythingReceived(fresh.doc, previous, `after crash ${cycles - 1}`)
    // The crashes hit real traffic, not idle moments only.
    expect(relayed, 'edits relayed between clients across all crashes').toBeGreaterThan(cycles * 10)
  }

  it(`keeps everything any client had received from another through 20 kill -9 at random moments of heavy editing by three clients, and the database reopens every time (P1, S1; seed ${SEED})`, async () => {
    await crashCycles({}, 20, SEED)
  })

  it(`loses nothing relayed when kill -9 hits during compaction (COMPACT_AFTER_UPDATES=3), and the state plus log on disk are always complete (P3, S3; seed ${SEED + 7})`, async () => {
    const stateClocks: number[] = []
    await crashCycles({ COMPACT_AFTER_UPDATES: '3' }, 8, SEED + 7, (stored, received, cycle) => {
      // A crash leaves the folded state or the log, each complete: nothing waits for a missing struct.
      expect(stored.doc.store.pendingStructs).toBeNull()
      expect(stored.doc.store.pendingDs).toBeNull()
      expect(pasalElements(stored.doc).length).toBeGreaterThanOrEqual(30)
      expectHoldsEverythingReceived(stored.doc, received, `database right after crash ${cycle}`)
      stateClocks.push(stored.stateClock)
    })
    // Compaction really ran under the editing (the state's clock moved), so crashes could hit it.
    expect(new Set(stateClocks).size, `state clocks after each crash: ${stateClocks.join(', ')}`).toBeGreaterThan(stateClocks.length / 2)
  })
})

describe('SIGTERM', () => {
  let server: TestServer
  let token: string
  const open: TestClient[] = []

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterEach(() => {
    for (const c of open.splice(0)) c.destroy()
  })
  afterAll(() => server?.dispose())

  it('stores every edit the server acknowledged or relayed right before SIGTERM, closes sockets with 1001 and exits 0 (P4)', async () => {
    const writer = connect(server, DOC, token)
    const watcher = connect(server, DOC, token)
    open.push(writer, watcher)
    const codes = closeCodes(writer)
    await Promise.all([writer.synced, watcher.synced])
    const text = () => ayatText(pasal(writer.doc, 2))
    for (let i = 0; i < 200; i++) text().insert(text().length, ` diakui-${i};`)
    await roundTrip(writer)
    // A second burst and its "stored?" request are on the wire when the signal arrives.
    for (let i = 0; i < 200; i++) text().insert(0, `akhir-${i}; `)
    let acknowledged = false
    roundTrip(writer, 5_000).then(
      () => (acknowledged = true),
      () => {},
    )
    await new Promise((resolve) => setImmediate(resolve))
    const exit = await server.stop()
    await waitFor(() => !writer.provider.wsconnected && !watcher.provider.wsconnected, 'the clients to see the shutdown')
    expect(exit).toBe(0)
    expect(codes).toContain(CloseCode.goingAway)
    const relayed = textOf(watcher.doc, 2)
    const written = textOf(writer.doc, 2)
    for (const c of open.splice(0)) c.destroy()

    server = await server.restart()
    const fresh = connect(server, DOC, token)
    open.push(fresh)
    await fresh.synced
    const stored = textOf(fresh.doc, 2)
    for (let i = 0; i < 200; i++) expect(stored).toContain(` diakui-${i};`)
    if (acknowledged) expect(stored, 'the second burst was acknowledged, so all of it is stored').toBe(written)
    for (const token of relayed.match(/akhir-\d+;/g) ?? []) expect(stored, 'relayed to the watcher').toContain(token)
  })
})

describe('a failing disk (FAULT_INJECTION_FILE)', () => {
  let server: TestServer
  let token: string
  let faultDir: string
  let faultFile: string
  const open: TestClient[] = []
  const client = () => {
    const c = connect(server, DOC, token)
    open.push(c)
    return c
  }

  beforeAll(async () => {
    faultDir = await mkdtemp(join(tmpdir(), 'rancang-fault-'))
    faultFile = join(faultDir, 'disk-fails')
    server = await startServer({ env: { FAULT_INJECTION_FILE: faultFile, SHUTDOWN_TIMEOUT_MS: '1500' } })
    token = await adminToken(server)
  })
  afterEach(async () => {
    for (const c of open.splice(0)) c.destroy()
    await rm(faultFile, { force: true })
  })
  afterAll(async () => {
    await server?.dispose()
    await rm(faultDir, { recursive: true, force: true })
  })

  const failDisk = () => writeFile(faultFile, '')
  const healDisk = () => rm(faultFile, { force: true })

  it('holds an edit while writes fail: not relayed, not acknowledged, not sent to a newcomer, and reports "not saved" (101 = 0) to Rancang clients only (P2, S2)', async () => {
    const writer = client()
    const reader = client()
    const writerStatus = storageStatuses(writer)
    const readerStatus = storageStatuses(reader)
    await Promise.all([writer.synced, reader.synced])
    await roundTrip(writer) // the writer now speaks the Rancang extensions
    expect(writerStatus).toEqual([])

    await failDisk()
    ayatText(pasal(writer.doc, 7)).insert(0, 'TERTAHAN ')
    let acknowledged = false
    const ack = roundTrip(writer, 30_000).then(() => (acknowledged = true))
    await waitFor(() => writerStatus.includes(0), 'the writer to be told that storage fails (101 = 0)')
    // A stock client's edit is held the same way.
    ayatText(pasal(reader.doc, 8)).insert(0, 'JUGA-TERTAHAN ')
    const newcomer = client()
    await newcomer.synced
    // Several retries (200, 400, 800 ms apart) fail in this window; nothing may leak meanwhile.
    await holdsFor(
      () =>
        !acknowledged &&
        !textOf(reader.doc, 7).startsWith('TERTAHAN') &&
        !textOf(newcomer.doc, 7).startsWith('TERTAHAN') &&
        !textOf(writer.doc, 8).startsWith('JUGA-TERTAHAN') &&
        !textOf(newcomer.doc, 8).startsWith('JUGA-TERTAHAN'),
      'the unsaved edits stay unrelayed and unacknowledged',
      2_000,
    )
    expect(new Set(writerStatus), 'only "not saved" while failing').toEqual(new Set([0]))

    await healDisk()
    await ack
    await waitFor(
      () =>
        textOf(reader.doc, 7).startsWith('TERTAHAN ') &&
        textOf(newcomer.doc, 7).startsWith('TERTAHAN ') &&
        textOf(writer.doc, 8).startsWith('JUGA-TERTAHAN ') &&
        textOf(newcomer.doc, 8).startsWith('JUGA-TERTAHAN '),
      'the retried write to be relayed to everyone',
    )
    await waitFor(() => writerStatus.at(-1) === 1, 'the writer to be told that storage recovered (101 = 1)')
    expect(readerStatus, 'a stock client never gets extension messages').toEqual([])

    const expected = contentOf(reader.doc)
    for (const c of open.splice(0)) c.destroy()
    expect(await server.stop()).toBe(0)
    server = await server.restart()
    const fresh = client()
    await fresh.synced
    expect(contentOf(fresh.doc)).toEqual(expected)
  })

  it('does not acknowledge a comment while writes fail: answers 5xx with a JSON error and lists no such thread (P2)', async () => {
    const viewer = client()
    await viewer.synced
    const anchor = { pasalId: pasal(viewer.doc, 3).getAttribute('id') as string }
    await failDisk()
    const refused = await api(server, 'POST', `/api/docs/${DOC}/threads`, { token, body: { anchor, text: 'Tidak boleh hilang diam-diam.' } })
    expect(refused.status).toBeGreaterThanOrEqual(500)
    expect(refused.body).toEqual({ error: expect.any(String) })
    // The person is told the draft could not be saved, not how the server failed.
    expect(JSON.stringify(refused.body)).not.toMatch(/InjectedFault|injected|\.[jt]s:\d+|\n\s+at /)
    await healDisk()
    const listed = await api<Array<{ messages: Array<{ text: string }> }>>(server, 'GET', `/api/docs/${DOC}/threads`, { token })
    expect(listed.body.flatMap((t) => t.messages.map((m) => m.text))).not.toContain('Tidak boleh hilang diam-diam.')
  })

  it('exits non-zero within SHUTDOWN_TIMEOUT_MS on SIGTERM while the disk keeps failing; after healing and a restart nothing relayed is lost and the held edit comes back from its client (P4)', async () => {
    const writer = client()
    const reader = client()
    const writerStatus = storageStatuses(writer)
    await Promise.all([writer.synced, reader.synced])
    await roundTrip(writer)
    ayatText(pasal(writer.doc, 9)).insert(0, 'TERSIMPAN ')
    await waitFor(() => textOf(reader.doc, 9).startsWith('TERSIMPAN '), 'a stored edit to be relayed')

    await failDisk()
    ayatText(pasal(writer.doc, 10)).insert(0, 'BELUM-TERSIMPAN ')
    await waitFor(() => writerStatus.includes(0), 'the writer to be told that storage fails')
    const started = Date.now()
    const exit = await server.stop()
    const took = Date.now() - started
    expect(exit, 'a shutdown that could not store everything').not.toBe(0)
    expect(exit).not.toBeNull()
    expect(took, 'SIGTERM to exit with SHUTDOWN_TIMEOUT_MS=1500').toBeLessThan(1_500 + 3_000)
    // Keep the writer's document (with its unsaved edit) but stop it reconnecting by itself.
    writer.provider.disconnect()
    const received = contentOf(reader.doc)
    expect(textOf(reader.doc, 10).startsWith('BELUM-TERSIMPAN')).toBe(false)
    reader.destroy()

    await healDisk()
    server = await server.restart()
    const fresh = client()
    await fresh.synced
    expect(contentOf(fresh.doc), 'everything the reader had received').toEqual(received)
    // Nothing unstored was acknowledged; the client still holds the edit and sends it on reconnect.
    writer.provider.connect()
    await waitFor(() => textOf(fresh.doc, 10).startsWith('BELUM-TERSIMPAN '), 'the held edit to arrive when its client reconnects')
    await roundTrip(writer)
  })
})
