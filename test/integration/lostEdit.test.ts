import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, connect, waitFor, type TestClient } from '../harness/clients.js'
import { takeImage, type DiskImage } from '../harness/disk.js'
import { ayatText, contentOf, insertPasalAfter, pasal } from '../harness/document.js'

/**
 * Issue #18: an edit relayed once it is in LevelDB's log but before the fsync can be lost to a power
 * cut, yet every client that received it still holds it and sends it back on reconnect: the server
 * opens each connection with its own sync step 1 and the stock provider answers with everything the
 * server lacks. A power cut is emulated faithfully: the data directory as it was at the last fsync
 * (copied while the server was stopped cleanly) replaces the live one under a `kill -9`, and the
 * server comes back on the same port, where the stock providers reconnect by themselves.
 */

const DOC = 'rapergub-spbe'
/** Pasal written only by A, only by B, and by both (case c). */
const ONLY_A = 3
const ONLY_B = 4
const SHARED = 5

const textOf = (doc: Y.Doc, number: number) => ayatText(pasal(doc, number)).toString()
/** How often `token` occurs in the whole document (text and attributes). */
const occurrences = (doc: Y.Doc, token: string) => JSON.stringify(contentOf(doc)).split(token).length - 1
const connected = (client: TestClient) => client.provider.wsconnected && client.provider.synced

describe('an edit relayed but lost with the disk (a power cut before the fsync) comes back from the clients that received it', () => {
  let server: TestServer
  let token: string
  const open: TestClient[] = []
  const images: DiskImage[] = []

  const client = () => {
    const c = connect(server, DOC, token)
    open.push(c)
    return c
  }
  const close = (c: TestClient) => {
    open.splice(open.indexOf(c), 1)
    c.destroy()
  }

  /** Two synced clients, and the disk as the last fsync left it with both connected. */
  async function twoClientsAndTheirImage() {
    const a = client()
    const b = client()
    await Promise.all([a.synced, b.synced])
    return { a, b, image: await lastFsync([a, b]) }
  }

  /** Waits until the clients saw the server go, then until they reconnected and synced on their own after `restart`. */
  async function reconnectAcross(clients: readonly TestClient[], restart: () => Promise<void>) {
    await waitFor(() => clients.every((c) => !c.provider.wsconnected), 'the clients to see the server go')
    await restart()
    await waitFor(() => clients.every(connected), 'the clients to reconnect by themselves')
  }

  /** Steps 1–2: SIGTERM, copy the data directory (the disk at the last fsync), start again on it. */
  async function lastFsync(clients: readonly TestClient[]): Promise<DiskImage> {
    expect(await server.stop()).toBe(0)
    const image = await takeImage(server.dataDir)
    images.push(image)
    await reconnectAcross(clients, async () => {
      server = await server.restart()
    })
    return image
  }

  /** Step 4: `kill -9`, the disk as at the last fsync, the server again on the same port. */
  async function powerCut(image: DiskImage, clients: readonly TestClient[]) {
    await server.kill()
    const cut = Date.now()
    await reconnectAcross(clients, async () => {
      await image.restore()
      server = await server.restart()
    })
    console.log(`power cut: ${clients.length} client(s) reconnected and synced ${Date.now() - cut} ms after the kill`)
  }

  /**
   * Step 5: a fresh client reads every token exactly once and the same document as the holders; and
   * after the holders are gone and another `kill -9`, a fresh client reads that document again.
   */
  async function expectComesBack(holders: readonly TestClient[], tokens: readonly string[]) {
    const fresh = client()
    await fresh.synced
    await waitFor(() => tokens.every((t) => occurrences(fresh.doc, t) > 0), 'the lost edits to come back to the server')
    const same = (c: TestClient) => JSON.stringify(contentOf(c.doc)) === JSON.stringify(contentOf(fresh.doc))
    await waitFor(() => holders.every(same), 'the holders and the fresh client to converge')
    for (const t of tokens) expect(occurrences(fresh.doc, t), `${t} once`).toBe(1)
    const expected = contentOf(fresh.doc)
    // Gone before the crash, so nothing can reach the server again but what it stored.
    for (const c of [...open]) close(c)
    await server.kill()
    server = await server.restart()
    const after = client()
    await after.synced
    expect(contentOf(after.doc)).toEqual(expected)
  }

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterEach(async () => {
    for (const c of open.splice(0)) c.destroy()
    for (const image of images.splice(0)) await image.dispose()
  })
  afterAll(() => server?.dispose())

  it('gets back an edit the disk lost after the relay from its author and the client that received it, once (S1)', async () => {
    const { a, b, image } = await twoClientsAndTheirImage()

    ayatText(pasal(a.doc, 1)).insert(0, '«hilang-a» ')
    await waitFor(() => textOf(b.doc, 1).startsWith('«hilang-a» '), 'B to receive the edit (relayed)')
    await powerCut(image, [a, b])

    await expectComesBack([a, b], ['«hilang-a»'])
  })

  it('gets back an edit the disk lost after its author closed the tab, from the one client that received it (S1)', async () => {
    const { a, b, image } = await twoClientsAndTheirImage()

    ayatText(pasal(a.doc, 2)).insert(0, '«hilang-tab-a» ')
    insertPasalAfter(pasal(a.doc, 6), 'pasal-hilang', 'Pasal yang hilang «hilang-pasal».')
    await waitFor(() => textOf(b.doc, 2).startsWith('«hilang-tab-a» ') && textOf(b.doc, 7).includes('«hilang-pasal»'), 'B to receive the edits')
    close(a)
    await powerCut(image, [b])

    await expectComesBack([b], ['«hilang-tab-a»', '«hilang-pasal»'])
  })

  it('gets back every edit of two clients typing through the power cut, those relayed and those in flight, each once (S1)', async () => {
    const { a, b, image } = await twoClientsAndTheirImage()

    const typed: string[] = []
    let n = 0
    const timer = setInterval(() => {
      for (let i = 0; i < 2; i++, n++) {
        const [tA, tB, tS] = [`«a.${n}»`, `«b.${n}»`, `«s.${n}»`]
        const onlyA = ayatText(pasal(a.doc, ONLY_A))
        onlyA.insert(onlyA.length, tA)
        const onlyB = ayatText(pasal(b.doc, ONLY_B))
        onlyB.insert(onlyB.length, tB)
        ayatText(pasal(n % 2 === 0 ? a.doc : b.doc, SHARED)).insert(0, tS)
        typed.push(tA, tB, tS)
      }
    }, 1)
    const relayed = (doc: Y.Doc, pasalNumber: number, writer: string) => textOf(doc, pasalNumber).split(`«${writer}.`).length - 1
    await waitFor(() => relayed(b.doc, ONLY_A, 'a') >= 20 && relayed(a.doc, ONLY_B, 'b') >= 20, 'edits to be relayed both ways')
    const killed = server.kill()
    clearInterval(timer)
    await killed
    const relayedToB = relayed(b.doc, ONLY_A, 'a')
    const relayedToA = relayed(a.doc, ONLY_B, 'b')
    console.log(`typed ${typed.length} tokens; at the kill B had ${relayedToB} of A's own, A had ${relayedToA} of B's own`)
    await powerCut(image, [a, b])

    await expectComesBack([a, b], typed)
  })
})
