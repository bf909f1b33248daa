import * as Y from 'yjs'
import { seedBaseline } from '../baselineStore.js'
import { fetchState, RawClient } from '../clients.js'
import { phraseHistory } from '../content.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { SERVER_KINDS, startBaseline, startOurs, tempDir, UNLOAD_PROMPTLY, type BenchServer, type ServerKind } from '../servers.js'
import { Samples, sleep } from '../stats.js'
import { sendHistory } from '../writer.js'

const DOC = 'rapergub-spbe'
const PHRASE = 200

/**
 * Crowd join: everyone opens a large draft at the start of a meeting. C clients open sockets to a
 * document of ~4 MB at the same moment, the document not loaded (each server unloads a document
 * its last client left); each one's time from opening the socket to the complete sync step 2.
 */
export async function crowdJoin(ctx: BenchContext): Promise<ScenarioResult> {
  const clients = ctx.quick ? 50 : 150
  const edits = ctx.quick ? 5000 : 20_000
  const ours = await startOurs({ nodeArgs: ctx.oursNodeArgs, env: UNLOAD_PROMPTLY })
  const servers: Partial<Record<ServerKind, BenchServer>> = { ours }
  const runs = new Runs()
  let stateBytes = 0
  try {
    const seed = await fetchState(ours.docUrl(DOC))
    ctx.log(`crowd join: generating ${edits} edits of ${PHRASE} characters`)
    const history = phraseHistory(seed, edits, PHRASE, 11)
    stateBytes = Y.encodeStateAsUpdate(history.doc).byteLength
    const dir = await tempDir('baseline')
    await seedBaseline(dir, [{ name: DOC, state: seed }])
    servers.baseline = await startBaseline({ dataDir: dir })
    // Both at once: sending is not measured.
    await Promise.all(
      SERVER_KINDS.map(async (kind) => {
        ctx.log(`  ${kind}: sending the history (${(stateBytes / 1e6).toFixed(1)} MB)`)
        await sendHistory(servers[kind]!, DOC, history)
        await servers[kind]!.waitIdle()
      }),
    )
    for (let r = 0; r < ctx.repeats; r++) {
      for (const kind of orderFor(r)) {
        const server = servers[kind]!
        // Unloaded: ours after ROOM_IDLE_MS, the baseline when its last client leaves.
        await sleep(2000)
        if (kind === 'ours') await waitUnloaded(server)
        await server.waitIdle()
        const { p50, p99, max } = await crowd(server, clients, stateBytes)
        ctx.log(`  ${kind} run ${r + 1}: p50 ${p50.toFixed(0)} p99 ${p99.toFixed(0)} max ${max.toFixed(0)} ms`)
        runs.add(kind, { p50, p99, max })
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.dispose()))
  }
  const result = { ours: runs.metrics('ours'), baseline: runs.metrics('baseline') }
  return {
    id: 'crowdJoin',
    title: 'Crowd join',
    setup: {
      document: DOC,
      edits,
      charactersPerEdit: PHRASE,
      stateBytes,
      clients,
      measured: 'socket opened → a message of ≥ 90% of the state arrived',
    },
    rows: [
      {
        scenario: 'Crowd join',
        case: `${clients} at once, ${(stateBytes / 1e6).toFixed(1)} MB document, not loaded`,
        measure: 'ms to sync step 2: p50 / p99 / max',
        ...result,
        show: ['p50', 'p99', 'max'],
        digits: 0,
        ratioOf: 'p99',
        target: 'p99 ≤ baseline',
        met: result.ours.p99!.median <= result.baseline.p99!.median,
      },
    ],
  }
}

async function waitUnloaded(server: BenchServer) {
  const deadline = Date.now() + 30_000
  while ((await server.documentsOpen()) > 0 && Date.now() < deadline) await sleep(100)
}

/**
 * Opens `count` sockets at once; each one's time until it has received the document: a message at
 * least 90% the size of the whole state (the baseline first answers from the empty document it has
 * not loaded yet, then sends the content). Sizes, not decoding: 150 decodes of 4 MB would delay
 * the arrivals measured after them.
 */
async function crowd(server: BenchServer, count: number, stateBytes: number) {
  const samples = new Samples()
  await Promise.all(
    Array.from({ length: count }, async () => {
      const start = performance.now()
      const client = new RawClient(server.docUrl(DOC))
      const at = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${server.kind}: no document within 120 s`)), 120_000)
        client.onContent = (update, arrived) => {
          if (update.byteLength < stateBytes * 0.9) return
          clearTimeout(timer)
          resolve(arrived)
        }
      })
      samples.add(at - start)
      await client.close()
    }),
  )
  return samples.summary()
}
