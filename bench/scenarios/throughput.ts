import { readBaseline, seedBaseline } from '../baselineStore.js'
import { fetchState, RawClient } from '../clients.js'
import { PreparedKeystrokes, templateState } from '../content.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { startBaseline, startOurs, tempDir, type BenchServer, type ServerKind } from '../servers.js'
import { format, sleep } from '../stats.js'
import { Writer } from '../writer.js'
import { keystrokesIn } from '../protocol.js'

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
 * LevelDB write at a time. It is measured twice: stopped the moment the run ends (then its
 * database is read to count what it had actually stored), and, in a second run, left to write its
 * backlog before it is stopped and counted — its storage rate once it catches up.
 *
 * Each run uses a fresh server, so both start equally cold.
 */
export async function throughput(ctx: BenchContext): Promise<ScenarioResult> {
  const durationMs = ctx.quick ? 3000 : 4000
  const runs = new Runs()
  for (let r = 0; r < ctx.repeats; r++) {
    for (const kind of orderFor(r)) {
      const run = await measureThroughput(kind, durationMs, false, () => startOurs({ nodeArgs: ctx.oursNodeArgs }))
      ctx.log(
        `  ${kind} run ${r + 1}: stored ${Math.round(run.stored)}/s, relayed ${Math.round(run.relayed)}/s (${run.storedCount} stored of ${run.relayedCount} relayed)`,
      )
      if (kind === 'ours') {
        runs.add(kind, { stored: run.stored, relayed: run.relayed, caughtUp: run.stored })
        continue
      }
      const drained = await measureThroughput(kind, durationMs, true, () => startOurs({ nodeArgs: ctx.oursNodeArgs }))
      ctx.log(
        `  ${kind} run ${r + 1}, left to catch up: ${drained.storedCount} of ${drained.sent} stored in ${drained.seconds.toFixed(1)} s = ${Math.round(drained.stored)}/s`,
      )
      runs.add(kind, { stored: run.stored, relayed: run.relayed, caughtUp: drained.stored })
    }
  }
  const ours = runs.metrics('ours')
  const baseline = runs.metrics('baseline')
  const ratio = ours.stored!.median / baseline.stored!.median
  const scenario = 'Stored-update throughput'
  const writers = `${DOCUMENTS} docs × ${WRITERS_PER_DOCUMENT} writers`
  return {
    id: 'throughput',
    title: scenario,
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
        scenario,
        case: `${writers}, stopped at the end`,
        measure: 'updates/s stored (relayed)',
        ours,
        baseline,
        show: ['stored'],
        digits: 0,
        ratioOf: 'stored',
        extra: (m) => ` (${format(m.relayed!.median, 0)})`,
        target: '≥ 5× baseline',
        met: ratio >= 5,
        note: 'the baseline relays before it stores; "stored" is what its LevelDB held when it was stopped at the end of the run, relayed updates (counted at an observer) in brackets.',
      },
      {
        scenario,
        case: `${writers}, backlog written`,
        measure: 'updates/s stored',
        ours,
        baseline,
        show: ['caughtUp'],
        digits: 0,
        ratioOf: 'caughtUp',
        target: '—',
        met: null,
        note: 'same load, the baseline left running until it had written everything it relayed: all updates ÷ time until then. Ours stores before relaying, so its two rows are the same runs.',
      },
    ],
  }
}

export interface ThroughputRun {
  /** Updates durably stored per second. */
  readonly stored: number
  /** Updates relayed to the observers per second. */
  readonly relayed: number
  readonly storedCount: number
  readonly relayedCount: number
  /** The time `stored` is taken over. */
  readonly seconds: number
  /** Updates sent in all. */
  readonly sent: number
}

/**
 * One run on a fresh server (`startFresh` starts ours: on LevelDB, or on a new PostgreSQL
 * database). `catchUp` (baseline): after the run, wait until everything relayed is written, and
 * count the rate over the whole time; otherwise stop it at once.
 */
export async function measureThroughput(
  kind: ServerKind,
  durationMs: number,
  catchUp: boolean,
  startFresh: () => Promise<BenchServer>,
): Promise<ThroughputRun> {
  const { server, documents } = await prepare(kind, startFresh)
  try {
    let relayed = 0
    let relaying = true
    for (const { id } of documents) {
      const observer = new RawClient(server.docUrl(id))
      observer.onUpdate = (update) => {
        if (relaying) relayed += keystrokesIn(update).length
      }
      await observer.synced
    }
    const writers: Array<{ writer: Writer; keystrokes: PreparedKeystrokes }> = []
    for (const [d, { id, state }] of documents.entries()) {
      for (let w = 0; w < WRITERS_PER_DOCUMENT; w++) {
        const keystrokes = new PreparedKeystrokes(state, writerId(d, w), 2 + w * 2)
        const client = new RawClient(server.docUrl(id))
        await client.synced
        const writer = new Writer(client, kind, { inFlight: IN_FLIGHT, ackEvery: ACK_EVERY, own: new Set([keystrokes.clientId]) })
        writers.push({ writer, keystrokes })
      }
    }
    await server.waitIdle()

    const sent = () => writers.reduce((sum, { writer }) => sum + writer.sent, 0)
    let storedCount = 0
    let counting = true
    const start = performance.now()
    const end = start + durationMs
    const done = writers.map(({ writer, keystrokes }) => {
      let acknowledged = 0
      writer.onAcknowledged = (total) => {
        if (kind === 'ours' && counting) storedCount += total - acknowledged
        acknowledged = total
      }
      return writer.run(
        () => keystrokes.next(),
        () => performance.now() >= end,
      )
    })
    await sleep(durationMs)
    counting = false
    relaying = false
    let seconds = (performance.now() - start) / 1000
    if (kind === 'ours') {
      await Promise.all(done)
      return { stored: storedCount / seconds, relayed: relayed / seconds, storedCount, relayedCount: relayed, seconds, sent: sent() }
    }
    if (catchUp) {
      await Promise.all(done)
      const quietMs = 1000
      await server.waitIdle(quietMs, 600_000)
      seconds = (performance.now() - quietMs - start) / 1000
    }
    // Whatever the baseline has not written by now is lost when it dies: count what is on disk.
    await server.stop()
    const stored = await readBaseline(
      server.dataDir,
      documents.map((d) => d.id),
    )
    for (const [d, { id }] of documents.entries()) {
      for (let w = 0; w < WRITERS_PER_DOCUMENT; w++) storedCount += stored.get(id)?.stateVector.get(writerId(d, w)) ?? 0
    }
    return { stored: storedCount / seconds, relayed: relayed / seconds, storedCount, relayedCount: relayed, seconds, sent: sent() }
  } finally {
    await server.dispose()
  }
}

/** The Yjs client id of writer `w` in document `d` (its keystrokes are clocks 0, 1, 2… of it). */
const writerId = (d: number, w: number) => 1000 + d * 100 + w

/** A fresh server with DOCUMENTS drafts; returns their ids and exact states. */
async function prepare(kind: ServerKind, startFresh: () => Promise<BenchServer>) {
  if (kind === 'ours') {
    const server = await startFresh()
    const documents = []
    for (let d = 0; d < DOCUMENTS; d++) {
      const id = await server.createDocument(`Uji beban ${d + 1}`)
      documents.push({ id, state: await fetchState(server.docUrl(id)) })
    }
    return { server, documents }
  }
  const documents = Array.from({ length: DOCUMENTS }, (_, d) => ({ id: `uji-beban-${d + 1}`, state: templateState(`Uji beban ${d + 1}`) }))
  const dir = await tempDir('baseline')
  await seedBaseline(
    dir,
    documents.map((d) => ({ name: d.id, state: d.state })),
  )
  return { server: await startBaseline({ dataDir: dir }), documents }
}
