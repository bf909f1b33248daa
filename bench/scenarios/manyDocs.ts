import { seedBaseline } from '../baselineStore.js'
import type { Typist } from '../clients.js'
import { templateState } from '../content.js'
import { CLIENTS_PER_DOCUMENT, connectTypists, createDocuments, createdIds, RATE, WARM_UP_MS, warmUp } from '../manyDocuments.js'
import { inTurn, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { SERVER_KINDS, startBaseline, startFloor, startOurs, tempDir, type BenchServer, type ServerName } from '../servers.js'
import { RunDeliveries } from '../resample.js'
import { describeRun, floorRows, latencyRow, runMetrics, typingRun, undisturbed } from '../typing.js'
import { describeInside, withInside, withInsideNote } from '../relayDelay.js'

/** Ours, the stock server, and the floor (bench/floorServer.ts) under the same load. */
const KINDS: readonly ServerName[] = [...SERVER_KINDS, 'floor']

/**
 * Many documents: 1,000 drafts open at once, 2 clients in each, both typing 1 keystroke/s; the
 * delivery latency from each keystroke to the other client of its document.
 */
export async function manyDocs(ctx: BenchContext): Promise<ScenarioResult> {
  const documents = ctx.quick ? 300 : 1000
  const durationMs = ctx.quick ? 5000 : 6000
  const warmupMs = 3000
  const runs = new Runs()
  const deliveries = new RunDeliveries<ServerName>()
  const servers = new Map<ServerName, { server: BenchServer<ServerName>; typists: Typist[] }>()
  try {
    for (const kind of KINDS) {
      ctx.log(`many documents: ${kind}: creating ${documents} documents and ${documents * CLIENTS_PER_DOCUMENT} clients`)
      const server = await prepare(kind, documents, ctx)
      const ids = server.kind === 'ours' ? await createdIds(server) : baselineIds(documents)
      const typists = await connectTypists(ids, (id) => server.docUrl(id))
      await warmUp(typists, WARM_UP_MS, [server])
      servers.set(kind, { server, typists })
    }
    for (let r = 0; r < ctx.repeats; r++) {
      for (const kind of inTurn(r, KINDS)) {
        const { server, typists } = servers.get(kind)!
        const { run, discarded } = await undisturbed(async () => {
          await server.waitIdle()
          const run = await withInside(server, () =>
            typingRun(typists, () => {}, server, { rate: RATE, durationMs, warmupMs, receiversEach: CLIENTS_PER_DOCUMENT - 1 }),
          )
          ctx.log(`  ${kind} run ${r + 1}: ${describeRun(run, run.keystrokes)}${describeInside(run.inside)}`)
          return run
        }, ctx.log)
        runs.add(kind, { ...runMetrics(run, discarded), ...run.inside })
        deliveries.add(kind, run.byKeystroke)
      }
    }
  } finally {
    for (const { server, typists } of servers.values()) {
      await Promise.all(typists.map((typist) => typist.close()))
      await server.dispose()
    }
  }
  const ours = runs.metrics('ours')
  const baseline = runs.metrics('baseline')
  return {
    id: 'manyDocs',
    title: 'Many documents',
    setup: { documents, clientsPerDocument: CLIENTS_PER_DOCUMENT, keystrokesPerSecondPerClient: RATE, durationMs, warmupMs },
    rows: [
      withInsideNote(
        latencyRow(
          'Many documents',
          `${documents} docs × ${CLIENTS_PER_DOCUMENT} clients`,
          ours,
          baseline,
          undefined,
          deliveries.interval('ours', 'baseline'),
        ),
        ours,
      ),
      ...floorRows('Many documents floor', `${documents} docs`, ours, baseline, runs.metrics('floor'), deliveries),
    ],
  }
}

const baselineIds = (count: number) => Array.from({ length: count }, (_, i) => `banyak-${i + 1}`)

async function prepare(kind: ServerName, count: number, ctx: BenchContext): Promise<BenchServer<ServerName>> {
  if (kind === 'ours') {
    const server = await startOurs({ nodeArgs: ctx.oursNodeArgs })
    await createDocuments(server, count)
    return server
  }
  // One template state for every room: each baseline room is independent, the content the same.
  const state = templateState('Banyak')
  if (kind === 'floor') return startFloor(baselineIds(count).map((name) => ({ name, state })))
  const dir = await tempDir('baseline')
  await seedBaseline(
    dir,
    baselineIds(count).map((name) => ({ name, state })),
  )
  return startBaseline({ dataDir: dir })
}
