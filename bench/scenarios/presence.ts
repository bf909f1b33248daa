import * as Y from 'yjs'
import { fetchState, RawClient } from '../clients.js'
import { seedBaseline } from '../baselineStore.js'
import { docFromState, textsOf } from '../content.js'
import { encodeAwareness } from '../protocol.js'
import { decodeAwarenessEntries, encodeAwarenessEntries } from '../../shared/protocol/awareness.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { SERVER_KINDS, startBaseline, startOurs, tempDir, type BenchServer, type ServerKind } from '../servers.js'
import { Samples, sleep } from '../stats.js'
import { connectAll } from '../typing.js'

const DOC = 'rapergub-spbe'
/** Cursor moves per second per client. */
const RATE = 1
/** Receivers that time every awareness update (the rest read and drop them, as browsers would apply them). */
const OBSERVERS = 10
/** Linux reports process CPU time in clock ticks of 1/100 s. */
const TICKS_PER_SECOND = 100

/**
 * Presence at scale: N clients in one draft, each moving its cursor once a second (an awareness
 * update with a valid y-prosemirror cursor). Measured: the server's CPU (cores) and the delay from
 * a cursor move's send to its arrival at each of `OBSERVERS` clients.
 */
export async function presence(ctx: BenchContext): Promise<ScenarioResult> {
  const clients = ctx.quick ? 150 : 500
  const durationMs = ctx.quick ? 5000 : 10_000
  const warmupMs = 2000
  const ours = await startOurs({ nodeArgs: ctx.oursNodeArgs })
  const seed = await fetchState(ours.docUrl(DOC))
  const dir = await tempDir('baseline')
  await seedBaseline(dir, [{ name: DOC, state: seed }])
  const servers: Record<ServerKind, BenchServer> = { ours, baseline: await startBaseline({ dataDir: dir }) }
  const cursors = cursorPositions(seed)
  const runs = new Runs()
  try {
    for (let r = 0; r < ctx.repeats; r++) {
      for (const kind of orderFor(r)) {
        const server = servers[kind]
        ctx.log(`presence: ${kind} run ${r + 1}: connecting ${clients} clients`)
        const run = await presenceRun(server, clients, cursors, durationMs, warmupMs)
        ctx.log(
          `  ${kind}: p50 ${run.p50.toFixed(1)} p99 ${run.p99.toFixed(1)} max ${run.max.toFixed(1)} ms over ${run.samples} deliveries, ` +
            `lost ${run.lost}; server CPU ${run.serverCpu.toFixed(2)} cores`,
        )
        runs.add(kind, run)
      }
    }
  } finally {
    await Promise.all(SERVER_KINDS.map((kind) => servers[kind].dispose()))
  }
  const result = { ours: runs.metrics('ours'), baseline: runs.metrics('baseline') }
  const label = `${clients} clients, ${RATE} cursor move/s each`
  return {
    id: 'presence',
    title: 'Presence at scale',
    setup: { document: DOC, clients, movesPerSecond: RATE, observers: OBSERVERS, durationMs, warmupMs },
    rows: [
      {
        scenario: 'Presence',
        case: label,
        measure: 'server CPU (cores)',
        ...result,
        show: ['serverCpu'],
        digits: 2,
        ratioOf: 'serverCpu',
        target: '≤ baseline',
        met: result.ours.serverCpu!.median <= result.baseline.serverCpu!.median,
      },
      {
        scenario: 'Presence',
        case: label,
        measure: 'delivery p50 / p99 / max (ms)',
        ...result,
        show: ['p50', 'p99', 'max'],
        digits: 1,
        ratioOf: 'p99',
        extra: (m) => (m.lost!.median > 0 ? `, lost ${m.lost!.median}` : ''),
        target: 'p99 ≤ baseline, none lost',
        met: result.ours.p99!.median <= result.baseline.p99!.median && result.ours.lost!.median === 0,
      },
    ],
  }
}

/** Relative positions (as JSON) spread over the draft's paragraphs: where the cursors move. */
function cursorPositions(seed: Uint8Array): unknown[] {
  const doc = docFromState(seed)
  return textsOf(doc).flatMap((text) => {
    const index = Math.floor(text.length / 2)
    return [Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, index))]
  })
}

async function presenceRun(server: BenchServer, count: number, cursors: readonly unknown[], durationMs: number, warmupMs: number) {
  const url = server.docUrl(DOC)
  const clients = await connectAll(count, 50, async () => {
    const client = new RawClient(url)
    await client.synced
    return client
  })
  const sent = new Map<string, number>()
  const arrived = new Map<string, number>()
  const samples = new Samples()
  let measureFrom = Infinity
  for (const observer of clients.slice(0, OBSERVERS)) {
    observer.onAwareness = (update, at) => {
      for (const { clientId, clock } of decodeAwarenessEntries(update)) {
        const key = `${clientId}:${clock}`
        const since = sent.get(key)
        if (since === undefined) continue
        arrived.set(key, (arrived.get(key) ?? 0) + 1)
        if (since >= measureFrom) samples.add(at - since)
      }
    }
  }
  const ids = clients.map((_, i) => 1_000_000 + i)
  const clocks = ids.map(() => 0)
  const move = (i: number) => {
    const clock = ++clocks[i]!
    const cursor = { anchor: cursors[(i + clock) % cursors.length], head: cursors[(i + clock) % cursors.length] }
    const state = JSON.stringify({ user: { name: `peserta ${i}`, color: '#336699' }, cursor })
    sent.set(`${ids[i]}:${clock}`, performance.now())
    clients[i]!.send(encodeAwareness(encodeAwarenessEntries([{ clientId: ids[i]!, clock, state }])))
  }
  // Everyone announces itself first (ours takes the id for the connection), then moves on a random phase.
  clients.forEach((_, i) => move(i))
  await sleep(1000)
  const started = performance.now()
  measureFrom = started + warmupMs
  const timers = clients.map((_, i) => {
    const period = 1000 / RATE
    let timer: NodeJS.Timeout
    const first = setTimeout(() => {
      move(i)
      timer = setInterval(() => move(i), period)
    }, Math.random() * period)
    return () => (clearTimeout(first), clearInterval(timer))
  })
  await sleep(warmupMs)
  const ticks = server.cpuTicks()
  const cpuFrom = performance.now()
  await sleep(durationMs)
  const serverCpu = (server.cpuTicks() - ticks) / TICKS_PER_SECOND / ((performance.now() - cpuFrom) / 1000)
  for (const stop of timers) stop()
  // Moves still in flight get a moment to arrive before the losses are counted.
  await sleep(2000)
  let expected = 0
  let lost = 0
  for (const [key, at] of sent) {
    if (at < measureFrom) continue
    expected += OBSERVERS
    lost += OBSERVERS - Math.min(OBSERVERS, arrived.get(key) ?? 0)
  }
  await Promise.all(clients.map((client) => client.close()))
  await server.waitIdle()
  return { ...samples.summary(), lost, expected, serverCpu }
}
