import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startServer, type TestServer } from '../harness/server.js'
import { adminToken, connect, waitFor, type TestClient } from '../harness/clients.js'
import { contentOf, insertPasalAfter, pasalElements } from '../harness/document.js'

/**
 * A seeded random test in the style of Yjs `applyRandomTests`: several stock y-websocket clients
 * make random edits against the real server while randomly dropping and re-opening their
 * connections, then everyone must converge to one document, which must also be what the server
 * stored. Reproduce a failure with FUZZ_SEED=<seed> (printed in the test name).
 */

const DOC = 'rapergub-spbe'
const CLIENTS = 4
const STEPS = 800
const SEEDS = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [20_260_101, 7_417, 31_337]

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    next,
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  }
}
type Random = ReturnType<typeof prng>

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz ABCDEÉ,.;()0123456789'
const word = (random: Random) => Array.from({ length: 1 + random.int(6) }, () => random.pick([...ALPHABET])).join('')

/** Every `teks` text of a pasal (in its ayat and list items) that holds a Y.XmlText. */
function textsOf(pasal: Y.XmlElement): Y.XmlText[] {
  const out: Y.XmlText[] = []
  const walk = (element: Y.XmlElement) => {
    for (const child of element.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue
      if (child.nodeName === 'teks') {
        const first = child.get(0)
        if (first instanceof Y.XmlText) out.push(first)
      } else walk(child)
    }
  }
  walk(pasal)
  return out
}

const yieldToNetwork = () => new Promise((resolve) => setImmediate(resolve))

/** One random operation by `client`; returns a short description for the failure log. */
function randomOperation(random: Random, client: TestClient, step: number, seed: number): string {
  const pasals = pasalElements(client.doc)
  const roll = random.next()
  const provider = client.provider
  if (roll < 0.08) {
    if (provider.shouldConnect) {
      provider.disconnect()
      return 'disconnect'
    }
    provider.connect()
    return 'connect'
  }
  if (roll < 0.12 && !provider.shouldConnect) {
    provider.connect()
    return 'connect'
  }
  if (roll < 0.18) {
    const after = random.pick(pasals)
    insertPasalAfter(after, `fuzz-${seed}-${step}`, `Pasal acak ${step}: ${word(random)}.`)
    return 'insert pasal'
  }
  if (roll < 0.22 && pasals.length > 20) {
    const victim = random.pick(pasals)
    const parent = victim.parent as Y.XmlElement
    parent.delete(parent.toArray().indexOf(victim), 1)
    return 'delete pasal'
  }
  const texts = textsOf(random.pick(pasals))
  if (texts.length === 0) return 'nothing'
  const text = random.pick(texts)
  if (roll < 0.45 && text.length > 0) {
    const index = random.int(text.length)
    text.delete(index, Math.min(1 + random.int(5), text.length - index))
    return 'delete text'
  }
  text.insert(random.int(text.length + 1), word(random))
  return 'insert text'
}

const fingerprint = (client: TestClient) => JSON.stringify(contentOf(client.doc))

describe('seeded random editing through the real server converges', () => {
  let server: TestServer
  let token: string
  let clients: TestClient[] = []

  beforeAll(async () => {
    server = await startServer()
    token = await adminToken(server)
  })
  afterEach(() => {
    for (const client of clients) client.destroy()
    clients = []
  })
  afterAll(() => server?.dispose())

  for (const seed of SEEDS) {
    it(`converges with ${CLIENTS} stock clients under random edits, disconnects and reconnects, and matches what is stored (seed ${seed})`, async () => {
      const random = prng(seed)
      clients = Array.from({ length: CLIENTS }, () => connect(server, DOC, token))
      await Promise.all(clients.map((c) => c.synced))
      const counts: Record<string, number> = {}
      for (let step = 0; step < STEPS; step++) {
        const operation = randomOperation(random, random.pick(clients), step, seed)
        counts[operation] = (counts[operation] ?? 0) + 1
        // Let the network make some progress, a random amount, so messages interleave differently.
        for (let i = random.int(3); i > 0; i--) await yieldToNetwork()
      }

      for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect()
      await waitFor(
        () =>
          clients.every((c) => c.provider.wsconnected && c.provider.synced) &&
          clients.every((c) => Y.encodeStateVector(c.doc).toString() === Y.encodeStateVector(clients[0]!.doc).toString()) &&
          clients.every((c) => fingerprint(c) === fingerprint(clients[0]!)),
        `all clients to converge (seed ${seed}, operations ${JSON.stringify(counts)})`,
        20_000,
      )
      const converged = contentOf(clients[0]!.doc)
      for (const client of clients) expect(contentOf(client.doc), `seed ${seed}`).toEqual(converged)
      expect(counts.disconnect, `seed ${seed} should exercise disconnects`).toBeGreaterThan(0)

      // What the server stored is exactly what everyone converged to.
      for (const client of clients) client.destroy()
      clients = []
      expect(await server.stop()).toBe(0)
      server = await server.restart()
      const fresh = connect(server, DOC, token)
      clients = [fresh]
      await fresh.synced
      expect(contentOf(fresh.doc), `seed ${seed}: stored document`).toEqual(converged)
    })
  }
})
