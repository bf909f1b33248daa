import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, connect, waitFor, type TestClient } from '../harness/clients.js'
import { ayatText, contentOf, insertPasalAfter, pasal } from '../harness/document.js'

const DOC = 'rapergub-spbe'
/** Pasal written only by client A (appends), only by B (appends), and by both (prepends). */
const ONLY_A = 3
const ONLY_B = 4
const SHARED = 5

const textOf = (doc: Y.Doc, number: number) => ayatText(pasal(doc, number)).toString()
/** The distinct tokens `<writer><round>.<n>;` in `text`; `writer` and `round` are regex sources. */
const tokens = (text: string, writer: string, round = '\\d+') => new Set(text.match(new RegExp(`${writer}${round}\\.\\d+;`, 'g')) ?? [])
const countTokens = (text: string, writer: string, round: number) => tokens(text, writer, String(round)).size

/**
 * Two clients typing as fast as the event loop lets them: A appends `A<round>.<n>;` to its own ayat,
 * B appends `B<round>.<n>;` to its own, and both prepend to a shared one. Returns a stop function.
 */
function keepTyping(a: TestClient, b: TestClient, round: number): () => void {
  let n = 0
  const timer = setInterval(() => {
    for (let i = 0; i < 2; i++, n++) {
      const onlyA = ayatText(pasal(a.doc, ONLY_A))
      onlyA.insert(onlyA.length, `A${round}.${n};`)
      const onlyB = ayatText(pasal(b.doc, ONLY_B))
      onlyB.insert(onlyB.length, `B${round}.${n};`)
      ayatText(pasal(n % 2 === 0 ? a.doc : b.doc, SHARED)).insert(0, `${n % 2 === 0 ? 'SA' : 'SB'}${round}.${n};`)
    }
  }, 1)
  return () => clearInterval(timer)
}

/** What each client had received from the other, read after the server died (nothing more can arrive). */
function received(a: TestClient, b: TestClient) {
  return {
    aByB: textOf(b.doc, ONLY_A),
    bByA: textOf(a.doc, ONLY_B),
    sharedFromA: tokens(textOf(b.doc, SHARED), 'SA'),
    sharedFromB: tokens(textOf(a.doc, SHARED), 'SB'),
    aLocal: textOf(a.doc, ONLY_A),
    bLocal: textOf(b.doc, ONLY_B),
  }
}

/** Asserts that a freshly loaded document holds everything the other client had received, in order. */
function expectHoldsWhatWasRelayed(stored: Y.Doc, seen: ReturnType<typeof received>) {
  const a = textOf(stored, ONLY_A)
  const b = textOf(stored, ONLY_B)
  // Received ⊆ stored ⊆ written: the stored text extends what the other client saw.
  expect(a.startsWith(seen.aByB), 'pasal written by A: stored text extends what B had received').toBe(true)
  expect(seen.aLocal.startsWith(a), 'pasal written by A: nothing stored that A did not write').toBe(true)
  expect(b.startsWith(seen.bByA), 'pasal written by B: stored text extends what A had received').toBe(true)
  expect(seen.bLocal.startsWith(b), 'pasal written by B: nothing stored that B did not write').toBe(true)
  const shared = textOf(stored, SHARED)
  for (const token of seen.sharedFromA) expect(shared, `shared pasal lost ${token}`).toContain(token)
  for (const token of seen.sharedFromB) expect(shared, `shared pasal lost ${token}`).toContain(token)
}

describe('durability: what was relayed survives crashes and restarts', () => {
  let server: TestServer
  let token: string
  const open: TestClient[] = []

  const client = () => {
    const c = connect(server, DOC, token)
    open.push(c)
    return c
  }
  const closeAll = () => {
    for (const c of open.splice(0)) c.destroy()
  }

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterEach(closeAll)
  afterAll(() => server?.dispose())

  it('keeps everything another client had received when the server is killed with SIGKILL right after a relay, five times over', async () => {
    for (let round = 1; round <= 5; round++) {
      const a = client()
      const b = client()
      await Promise.all([a.synced, b.synced])
      const stop = keepTyping(a, b, round)
      await waitFor(
        () => countTokens(textOf(b.doc, ONLY_A), 'A', round) >= 20 && countTokens(textOf(a.doc, ONLY_B), 'B', round) >= 20,
        `round ${round}: edits to flow both ways`,
      )
      const killed = server.kill()
      stop()
      await killed
      const seen = received(a, b)
      // Closed before the restart, so their unsent edits cannot reach the new process and hide a loss.
      closeAll()
      expect(countTokens(seen.aLocal, 'A', round)).toBeGreaterThanOrEqual(countTokens(seen.aByB, 'A', round))

      server = await server.restart()
      const fresh = client()
      await fresh.synced
      expectHoldsWhatWasRelayed(fresh.doc, seen)
      closeAll()
    }
  })

  it('exits 0 on SIGTERM while edits are flowing and keeps everything that was relayed', async () => {
    const a = client()
    const b = client()
    await Promise.all([a.synced, b.synced])
    const stop = keepTyping(a, b, 100)
    await waitFor(
      () => countTokens(textOf(b.doc, ONLY_A), 'A', 100) >= 20 && countTokens(textOf(a.doc, ONLY_B), 'B', 100) >= 20,
      'edits to flow both ways',
    )
    const stopped = server.stop()
    stop()
    const exit = await stopped
    const seen = received(a, b)
    closeAll()
    expect(exit).toBe(0)

    server = await server.restart()
    const fresh = client()
    await fresh.synced
    expectHoldsWhatWasRelayed(fresh.doc, seen)
  })

  it('exits 0 on SIGTERM after edits settle and reloads the document exactly', async () => {
    const a = client()
    const b = client()
    await Promise.all([a.synced, b.synced])
    for (let i = 0; i < 100; i++) {
      ayatText(pasal(a.doc, 1 + (i % 10))).insert(0, `a${i} `)
      ayatText(pasal(b.doc, 1 + ((i * 7) % 10))).insert(0, `b${i} `)
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await waitFor(
      () =>
        textOf(a.doc, 1).includes('b90 ') &&
        textOf(b.doc, 1).includes('a90 ') &&
        JSON.stringify(contentOf(a.doc)) === JSON.stringify(contentOf(b.doc)),
      'the two clients to converge',
    )
    const expected = contentOf(a.doc)
    closeAll()
    expect(await server.stop()).toBe(0)
    server = await server.restart()
    const fresh = client()
    await fresh.synced
    expect(contentOf(fresh.doc)).toEqual(expected)
  })

  it('reloads a document identical after it was unloaded when its last client left, again and again', async () => {
    let expected: unknown = null
    for (let round = 1; round <= 3; round++) {
      const writer = client()
      const reader = client()
      await Promise.all([writer.synced, reader.synced])
      if (expected !== null) expect(contentOf(writer.doc)).toEqual(expected)
      ayatText(pasal(writer.doc, 6)).insert(0, `MUAT-ULANG-${round} `)
      insertPasalAfter(pasal(writer.doc, 8), `muat-ulang-${round}`, `Pasal sisipan ${round}.`)
      await waitFor(() => textOf(reader.doc, 6).startsWith(`MUAT-ULANG-${round} `), 'the relay')
      expected = contentOf(writer.doc)
      closeAll()
      // Unloading is not observable from outside; wait well past ROOM_IDLE_MS (200 ms in the harness).
      const left = Date.now()
      await waitFor(() => Date.now() - left > 600, 'the idle period to pass')
    }
    const check = client()
    await check.synced
    expect(contentOf(check.doc)).toEqual(expected)
    closeAll()
    // Whatever the unloads stored (and compacted) also survives a crash.
    await server.kill()
    server = await server.restart()
    const fresh = client()
    await fresh.synced
    expect(contentOf(fresh.doc)).toEqual(expected)
  })
})

describe('durability with frequent compaction (COMPACT_AFTER_UPDATES=20)', () => {
  let server: TestServer
  let token: string
  const open: TestClient[] = []

  beforeAll(async () => {
    server = await startServer({ env: { COMPACT_AFTER_UPDATES: '20' } })
    token = await adminToken(server)
  })
  afterEach(() => {
    for (const c of open.splice(0)) c.destroy()
  })
  afterAll(() => server?.dispose())

  it('keeps the content identical through many hundreds of edits and alternating SIGTERM and SIGKILL restarts', async () => {
    let random = 42
    const next = (n: number) => {
      random = (Math.imul(random, 1103515245) + 12345) >>> 0
      return random % n
    }
    let edits = 0
    for (let round = 0; round < 4; round++) {
      const a = connect(server, DOC, token)
      const b = connect(server, DOC, token)
      open.push(a, b)
      await Promise.all([a.synced, b.synced])
      for (let i = 0; i < 150; i++) {
        for (const c of [a, b]) {
          const text = ayatText(pasal(c.doc, 1 + next(12)))
          if (text.length > 20 && next(3) === 0) text.delete(next(text.length - 5), 1 + next(4))
          else text.insert(next(text.length + 1), `${c === a ? 'x' : 'y'}${round}.${i} `)
          edits += 1
        }
        if (i % 5 === 0) await new Promise((resolve) => setImmediate(resolve))
      }
      await waitFor(
        () =>
          JSON.stringify(contentOf(a.doc)) === JSON.stringify(contentOf(b.doc)) &&
          Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(),
        `round ${round}: the clients to converge`,
      )
      const expected = contentOf(a.doc)
      for (const c of open.splice(0)) c.destroy()
      if (round % 2 === 0) expect(await server.stop()).toBe(0)
      else await server.kill()
      server = await server.restart()
      const fresh = connect(server, DOC, token)
      open.push(fresh)
      await fresh.synced
      expect(contentOf(fresh.doc)).toEqual(expected)
      for (const c of open.splice(0)) c.destroy()
    }
    expect(edits).toBeGreaterThanOrEqual(1_000)
  })
})
