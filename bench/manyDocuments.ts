import * as Y from 'yjs'
import { Typist } from './clients.js'
import type { BenchServer } from './servers.js'
import { mapLimit, sleep, waitFor } from './stats.js'

/** Many small drafts, each with a pair of people typing: the many-documents and cluster scenarios. */
export const CLIENTS_PER_DOCUMENT = 2
/** Keystrokes per second per client: 1,000 documents × 2 clients make 2,000 updates/s in all. */
export const RATE = 1
/** Over how long every client types its one warm-up keystroke (`warmUp`). */
export const WARM_UP_MS = 2000

/** The sample draft every fresh server seeds; not one of the many. */
const SAMPLE = 'rapergub-spbe'

/** Our server: creates `count` drafts from the template through the API. */
export async function createDocuments(server: BenchServer, count: number): Promise<void> {
  await mapLimit(
    Array.from({ length: count }, (_, i) => `Banyak ${i + 1}`),
    16,
    (nama) => server.createDocument(nama),
  )
}

/** Our server: every draft except the seeded sample. */
export async function createdIds(server: Pick<BenchServer, 'httpUrl' | 'token'>): Promise<string[]> {
  const response = await fetch(`${server.httpUrl}/api/docs`, { headers: { Authorization: `Bearer ${server.token}` } })
  const records = (await response.json()) as Array<{ id: string }>
  return records.map((record) => record.id).filter((id) => id !== SAMPLE)
}

/**
 * CLIENTS_PER_DOCUMENT typists in each document, each holding the document before the next
 * connects; `urlOf(id, n)` is the address of the document's n-th client counted over all
 * documents (n = index × CLIENTS_PER_DOCUMENT + c), so callers can spread clients over servers.
 */
export async function connectTypists(ids: readonly string[], urlOf: (id: string, n: number) => string): Promise<Typist[]> {
  const perDocument = await mapLimit(ids, 25, async (id, index) => {
    const typists: Typist[] = []
    for (let c = 0; c < CLIENTS_PER_DOCUMENT; c++) typists.push(await connectTypist(urlOf(id, index * CLIENTS_PER_DOCUMENT + c), 1 + c * 2))
    return typists
  })
  return perDocument.flat()
}

/**
 * One keystroke from every typist, spread over `spreadMs`, then quiet until the servers are idle.
 * The first edit of a draft is where our server builds its Y.Doc and schema firewall (joins are
 * answered from the stored bytes); the baseline builds its Y.Doc when the first client connects,
 * before anything is measured. Warming both up alike keeps that one-time cost, paid by every
 * draft at the same second only in a benchmark, out of the steady-state latency the rows compare.
 */
export async function warmUp(typists: readonly Typist[], spreadMs: number, servers: ReadonlyArray<Pick<BenchServer, 'waitIdle'>>) {
  await Promise.all(typists.map((typist) => sleep(Math.random() * spreadMs).then(() => typist.type('w'))))
  await Promise.all(servers.map((server) => server.waitIdle()))
}

/** Connection attempts per typist: a server may close a socket before it synced (it gave the draft up). */
const ATTEMPTS = 3

/** A typist holding the document; reconnects, as a browser does, when the socket closes before it synced. */
async function connectTypist(url: string, textIndex: number): Promise<Typist> {
  for (let attempt = 1; ; attempt++) {
    const typist = new Typist(url, new Y.Doc(), { textIndex })
    const synced = await Promise.race([typist.ready.then(() => true), typist.client.closed.then(() => false)])
    if (synced) {
      await waitFor(() => typist.doc.getXmlFragment('prosemirror').length > 0, 30_000)
      return typist
    }
    if (attempt === ATTEMPTS) throw new Error(`${url}: closed before it synced, ${ATTEMPTS} times`)
  }
}
