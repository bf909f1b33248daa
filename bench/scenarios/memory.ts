import * as Y from 'yjs'
import { seedBaseline } from '../baselineStore.js'
import { RawClient, Typist } from '../clients.js'
import { templateState } from '../content.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { startBaseline, startOurs, tempDir, OURS_ENV, type BenchServer, type ServerKind } from '../servers.js'
import { mapLimit, median, sleep, waitFor } from '../stats.js'
import { connectAll, startTyping } from '../typing.js'

const CLIENTS_PER_DOCUMENT = 5
const KEYSTROKES = 20
/** How long to let the process settle before reading RSS after the documents unloaded. */
const SETTLE_MS = 5000
/** "Back to idle": within this fraction of the idle RSS. */
const TOLERANCE = 0.1

/**
 * Memory: RSS of the server process (VmRSS) when idle, with 100 open documents × 5 clients (one
 * of them typing 20 keystrokes per document), and after every client left and the documents were
 * unloaded (ours after ROOM_IDLE_MS, here 1 s; the baseline as soon as the last client leaves).
 * Each run uses a fresh server.
 */
export async function memory(ctx: BenchContext): Promise<ScenarioResult> {
  const documents = ctx.quick ? 40 : 100
  const runs = new Runs()
  for (let r = 0; r < ctx.repeats; r++) {
    for (const kind of orderFor(r)) {
      const run = await measure(kind, documents, ctx)
      ctx.log(`  ${kind} run ${r + 1}: idle ${mb(run.idle)} MB, loaded ${mb(run.loaded)} MB, after unload ${mb(run.after)} MB`)
      runs.add(kind, { idle: run.idle / 1024, loaded: run.loaded / 1024, after: run.after / 1024, afterOverIdle: run.after / run.idle })
    }
  }
  const ours = runs.metrics('ours')
  const baseline = runs.metrics('baseline')
  return {
    id: 'memory',
    title: 'Memory',
    setup: {
      documents,
      clientsPerDocument: CLIENTS_PER_DOCUMENT,
      keystrokesPerDocument: KEYSTROKES,
      roomIdleMs: Number(OURS_ENV.ROOM_IDLE_MS),
      settleMs: SETTLE_MS,
    },
    rows: [
      {
        scenario: 'Memory (RSS)',
        case: `${documents} docs × ${CLIENTS_PER_DOCUMENT} clients`,
        measure: 'MB idle / loaded / after unload',
        ours,
        baseline,
        show: ['idle', 'loaded', 'after'],
        digits: 0,
        ratioOf: 'loaded',
        target: `after unload ≤ idle + ${TOLERANCE * 100}%`,
        met: ours.afterOverIdle!.median <= 1 + TOLERANCE,
      },
    ],
  }
}

const mb = (kb: number) => (kb / 1024).toFixed(1)

/** Median of a few RSS readings, a quarter second apart. */
async function rss(server: BenchServer): Promise<number> {
  const readings: number[] = []
  for (let i = 0; i < 5; i++) {
    readings.push(server.rssKb())
    await sleep(250)
  }
  return median(readings)
}

async function measure(kind: ServerKind, documentCount: number, ctx: BenchContext) {
  const names = Array.from({ length: documentCount }, (_, i) => `Memori ${i + 1}`)
  let server: BenchServer
  let ids: string[]
  if (kind === 'ours') {
    server = await startOurs({ nodeArgs: ctx.oursNodeArgs })
    const created = server
    ids = await mapLimit(names, 8, (nama) => created.createDocument(nama))
  } else {
    ids = names.map((_, i) => `memori-${i + 1}`)
    const dir = await tempDir('baseline')
    await seedBaseline(
      dir,
      ids.map((id, i) => ({ name: id, state: templateState(names[i]!) })),
    )
    server = await startBaseline({ dataDir: dir })
  }
  try {
    await server.waitIdle(1000)
    const idle = await rss(server)

    const typists: Typist[] = []
    const receivers: RawClient[] = []
    await mapLimit(ids, 10, async (id) => {
      const url = server.docUrl(id)
      const typist = new Typist(url, new Y.Doc(), { textIndex: 3 })
      await typist.client.synced
      // The baseline loads after answering; wait until the document arrived before typing in it.
      await waitFor(() => typist.doc.getXmlFragment('prosemirror').length > 0, 30_000)
      typists.push(typist)
      receivers.push(
        ...(await connectAll(CLIENTS_PER_DOCUMENT - 1, CLIENTS_PER_DOCUMENT, async () => {
          const receiver = new RawClient(url)
          await receiver.synced
          return receiver
        })),
      )
    })
    const typing = startTyping(typists, 10)
    await sleep((KEYSTROKES / 10) * 1000)
    typing.stop()
    await server.waitIdle(1000)
    const loaded = await rss(server)

    await Promise.all([...typists.map((t) => t.close()), ...receivers.map((c) => c.close())])
    if (kind === 'ours') {
      const deadline = Date.now() + 60_000
      while ((await server.documentsOpen()) > 0 && Date.now() < deadline) await sleep(200)
    }
    await server.waitIdle(1000)
    await sleep(SETTLE_MS)
    const after = await rss(server)
    return { idle, loaded, after }
  } finally {
    await server.dispose()
  }
}
