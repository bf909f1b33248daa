import { readBaseline, seedBaseline } from '../baselineStore.js'
import { fetchState, RawClient } from '../clients.js'
import { PreparedKeystrokes, templateState } from '../content.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { startBaseline, startOurs, tempDir, type BenchServer, type ServerKind } from '../servers.js'
import { sleep } from '../stats.js'
import { Writer } from '../writer.js'

const DOCUMENTS = 4
const WRITERS_PER_DOCUMENT = 2
const IN_FLIGHT = 256
const ACK_EVERY = 16

/**
 * Stored-update throughput: writers in several documents send one-keystroke updates as fast as
 * the server takes them (a bounded window each), with one observer per document.
 *
 * Ours: updates acknowledged as durably stored (message 100) per second; it stores before it
 * relays, so everything relayed is stored. The baseline relays first and stores afterwards, one
 * LevelDB write at a time; it is stopped the moment the run ends and its database is then read to
 * count what it had actually stored — both figures are reported.
 *
 * Each run uses a fresh server, so both start equally cold.
 */
export async function throughput(ctx: BenchContext): Promise<ScenarioResult> {
  const durationMs = ctx.quick ? 3000 : 6000
  const runs = new Runs()
  for (let r = 0; r < ctx.repeats; r++) {
    for (const kind of orderFor(r)) {
      const run = await measure(kind, durationMs, ctx)
      ctx.log(
        `  ${kind} run ${r + 1}: stored ${Math.round(run.stored)}/s, relayed ${Math.round(run.relayed)}/s (${run.storedCount} stored of ${run.relayedCount} relayed)`,
      )
      runs.add(kind, { stored: run.stored, relayed: run.relayed, storedShare: run.storedCount / Math.max(1, run.relayedCount) })
    }
  }
  const ours = runs.metrics('ours')
  const baseline = runs.metrics('baseline')
  const ratio = ours.stored!.median / baseline.stored!.median
  return {
    id: 'throughput',
    title: 'Stored-update throughput',
    setup: {
      documents: DOCUMENTS,
      writersPerDocument: WRITERS_PER_DOCUMENT,
      observersPerDocument: 1,
      inFlight: IN_FLIGHT,
      ackEvery: ACK_EVERY,
      durationMs,
    },
    rows: [
      {
        scenario: 'Stored-update throughput',
        case: `${DOCUMENTS} docs × ${WRITERS_PER_DOCUMENT} writers`,
        measure: 'updates/s stored (relayed)',
        ours,
        baseline,
        show: ['stored'],
        digits: 0,
        ratioOf: 'stored',
        extra: (m) => ` (${Math.round(m.relayed!.median)})`,
        target: '≥ 5× baseline',
        met: ratio >= 5,
        note: 'Baseline: relayed updates counted at an observer; stored = what its LevelDB held when stopped at the end of the run.',
      },
    ],
  }
}

interface ThroughputRun {
  /** Updates durably stored per second. */
  readonly stored: number
  /** Updates relayed to the observers per second. */
  readonly relayed: number
  readonly storedCount: number
  readonly relayedCount: number
}

async function measure(kind: ServerKind, durationMs: number, ctx: BenchContext): Promise<ThroughputRun> {
  const { server, documents } = await prepare(kind, ctx)
  try {
    const observers: RawClient[] = []
    let relayed = 0
    let relaying = true
    for (const { id } of documents) {
      const observer = new RawClient(server.docUrl(id))
      observer.onUpdate = () => {
        if (relaying) relayed += 1
      }
      await observer.synced
      observers.push(observer)
    }
    const writers: Array<{ writer: Writer; keystrokes: PreparedKeystrokes }> = []
    for (const [d, { id, state }] of documents.entries()) {
      for (let w = 0; w < WRITERS_PER_DOCUMENT; w++) {
        const keystrokes = new PreparedKeystrokes(state, 1000 + d * 100 + w, 2 + w * 2)
        const client = new RawClient(server.docUrl(id))
        await client.synced
        writers.push({
          writer: new Writer(client, kind, { inFlight: IN_FLIGHT, ackEvery: ACK_EVERY, own: new Set([keystrokes.clientId]) }),
          keystrokes,
        })
      }
    }
    await server.waitIdle()

    let storedCount = 0
    let counting = true
    const start = performance.now()
    const end = start + durationMs
    const stop = () => performance.now() >= end
    const done = writers.map(({ writer, keystrokes }) => {
      let acknowledged = 0
      writer.onAcknowledged = (total) => {
        if (kind === 'ours' && counting) storedCount += total - acknowledged
        acknowledged = total
      }
      return writer.run(() => keystrokes.next(), stop)
    })
    await sleep(durationMs)
    counting = false
    relaying = false
    const elapsed = (performance.now() - start) / 1000
    if (kind === 'baseline') {
      // Whatever it has not written by now is lost if it dies now: count what is on disk.
      await server.stop()
      const stored = await readBaseline(
        server.dataDir,
        documents.map((d) => d.id),
      )
      for (const [d, { id }] of documents.entries()) {
        for (let w = 0; w < WRITERS_PER_DOCUMENT; w++) storedCount += stored.get(id)?.stateVector.get(1000 + d * 100 + w) ?? 0
      }
    } else {
      await Promise.all(done)
    }
    return { stored: storedCount / elapsed, relayed: relayed / elapsed, storedCount, relayedCount: relayed }
  } finally {
    await server.dispose()
  }
}

/** A fresh server with DOCUMENTS drafts; returns their ids and exact states. */
async function prepare(kind: ServerKind, ctx: BenchContext) {
  if (kind === 'ours') {
    const server = await startOurs({ nodeArgs: ctx.oursNodeArgs })
    const documents = []
    for (let d = 0; d < DOCUMENTS; d++) {
      const id = await server.createDocument(`Uji beban ${d + 1}`)
      documents.push({ id, state: await fetchState(server.docUrl(id)) })
    }
    return { server: server as BenchServer, documents }
  }
  const documents = Array.from({ length: DOCUMENTS }, (_, d) => ({ id: `uji-beban-${d + 1}`, state: templateState(`Uji beban ${d + 1}`) }))
  const dir = await tempDir('baseline')
  await seedBaseline(
    dir,
    documents.map((d) => ({ name: d.id, state: d.state })),
  )
  return { server: await startBaseline({ dataDir: dir }), documents }
}
