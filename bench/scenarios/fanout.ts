import * as Y from 'yjs'
import { fetchState, RawClient, Typist } from '../clients.js'
import { seedBaseline } from '../baselineStore.js'
import type { KeystrokeLog } from '../keystrokes.js'
import { inTurn, orderFor, Runs, type BenchContext, type Metrics, type Row, type ScenarioResult } from '../scenario.js'
import { SERVER_KINDS, startBaseline, startFloor, startOurs, tempDir, type BenchServer, type ServerKind, type ServerName } from '../servers.js'
import { stateVectorOf } from '../content.js'
import { connectAll, describeRun, floorRows, latencyRow, listen, runMetrics, typingRun, undisturbed } from '../typing.js'
import { describeInside, withInside, withInsideNote } from '../relayDelay.js'
import { RunDeliveries } from '../resample.js'

const DOC = 'rapergub-spbe'
export const RATE = 10
const CASES = [
  [10, 2],
  [50, 5],
  [200, 10],
  [500, 20],
] as const
/**
 * The floor server (bench/floorServer.ts) runs beside the two up to this many clients, where ours
 * is behind the stock server: what storing each keystroke before relaying it costs at least.
 */
const FLOOR_UP_TO = 200
/** The start of each run, not measured: typing settles into its rhythm after an idle wait. */
const WARMUP_MS = 500
const WITH_FLOOR: readonly ServerName[] = [...SERVER_KINDS, 'floor']

/**
 * Fan-out latency: N clients in the sample draft, W of them typing 10 keystrokes/s each; the
 * delay from a keystroke's send to its arrival at every other client, and keystrokes lost.
 */
export async function fanout(ctx: BenchContext): Promise<ScenarioResult> {
  const cases = ctx.fanoutCases ?? CASES
  const durationMs = ctx.quick ? 3500 : 5500
  const warmupMs = WARMUP_MS
  const servers = await startPair(ctx)
  const rows: Row[] = []
  try {
    // What each server's document holds so far: typists wait for it before typing (the baseline
    // answers a join from whatever it has loaded, and loads after answering).
    const expected = new Map<ServerName, Map<number, number>>()
    const initial = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(servers.seed))
    for (const kind of WITH_FLOOR) expected.set(kind, initial)

    for (const [n, w] of cases) {
      ctx.log(`fan-out N=${n} W=${w}: connecting`)
      const kinds = n <= FLOOR_UP_TO ? WITH_FLOOR : SERVER_KINDS
      const groups = new Map<ServerName, Group>()
      for (const kind of kinds) groups.set(kind, await connectGroup(servers[kind], n, w, expected.get(kind)!))
      for (const kind of kinds) await warmUp(groups.get(kind)!, servers[kind], n, RATE)
      const runs = new Runs()
      const deliveries = new RunDeliveries<ServerName>()
      for (let r = 0; r < ctx.repeats; r++) {
        for (const kind of inTurn(r, kinds)) {
          const group = groups.get(kind)!
          const { run, discarded } = await undisturbed(async () => {
            await servers[kind].waitIdle()
            const run = await withInside(servers[kind], () =>
              typingRun(group.typists, (log) => (group.log = log), servers[kind], runOptions(n, RATE, durationMs, warmupMs)),
            )
            ctx.log(`  ${kind} run ${r + 1}: ${describeRun(run, run.keystrokes * (n - 1))}${describeInside(run.inside)}`)
            return run
          }, ctx.log)
          runs.add(kind, { ...runMetrics(run, discarded), ...run.inside })
          deliveries.add(kind, run.byKeystroke)
        }
      }
      for (const kind of kinds) {
        const group = groups.get(kind)!
        expected.set(kind, stateVectorOf(group.typists[0]!.doc))
        await Promise.all([...group.typists.map((t) => t.close()), ...group.receivers.map((c) => c.close())])
      }
      const ours = runs.metrics('ours')
      const baseline = runs.metrics('baseline')
      // The headline: p99 under 25 ms with 200 people in the draft, 10 of them typing.
      const headline = n === 200 && w === 10
      // Where the three servers come close: whether the runs can tell them apart at all.
      const interval = kinds === WITH_FLOOR ? deliveries.interval('ours', 'baseline') : undefined
      rows.push(withInsideNote(latencyRow('Fan-out latency', `N=${n}, W=${w}`, ours, baseline, headline ? 25 : undefined, interval), ours))
      if (kinds === WITH_FLOOR) rows.push(...floorRows('Fan-out floor', `N=${n}, W=${w}`, ours, baseline, runs.metrics('floor'), deliveries))
    }
  } finally {
    await servers.dispose()
  }
  return {
    id: 'fanout',
    title: 'Fan-out latency',
    setup: {
      document: DOC,
      keystrokesPerSecond: RATE,
      durationMs,
      warmupMs,
      cases,
      typists: 'one Y.Doc each, applying remote updates',
      receivers: 'raw sockets',
    },
    rows,
  }
}

export interface Group {
  readonly typists: Typist[]
  readonly receivers: RawClient[]
  log: KeystrokeLog | null
}

/** W typists (each its own synced Y.Doc) and N − W raw receivers in the sample draft. */
export async function connectGroup(server: BenchServer<ServerName>, n: number, w: number, expected: Map<number, number>): Promise<Group> {
  const url = server.docUrl(DOC)
  const group: Group = { typists: [], receivers: [], log: null }
  const typists = await connectAll(w, 10, async (i) => {
    const typist = new Typist(url, new Y.Doc(), { textIndex: 7 + i * 3, expected })
    await typist.ready
    return typist
  })
  group.typists.push(...typists)
  const receivers = await connectAll(n - w, 50, async () => {
    const receiver = new RawClient(url)
    listen(receiver, () => group.log)
    await receiver.synced
    return receiver
  })
  group.receivers.push(...receivers)
  return group
}

/** A fan-out run's options: the first `warmupMs` not counted, and up to 30 s for the last keystrokes to arrive. */
function runOptions(n: number, rate: number, durationMs: number, warmupMs: number) {
  return { rate, durationMs, warmupMs, receiversEach: n - 1, drainMs: 30_000 }
}

/**
 * An unmeasured run as soon as a group has connected. The first runs after connecting were slower
 * on every server (code not yet optimised, heaps not yet sized: ours' p99 4.5–5.4 ms, against
 * 1.6–2.3 ms a few runs later), so which server happened to run first decided more than the servers.
 */
async function warmUp(group: Group, server: BenchServer<ServerName>, n: number, rate: number): Promise<void> {
  await typingRun(group.typists, (log) => (group.log = log), server, runOptions(n, rate, 2000, 0))
}

/** One column of `compareFanout`: how to start its server, and its name in the progress log. */
export interface FanoutSide {
  readonly label: string
  readonly start: () => Promise<BenchServer>
}

/**
 * Fan-out of two configurations of our server (e.g. firewall on and off, PostgreSQL and
 * LevelDB), each holding its own freshly seeded sample draft: N clients, W of them typing `rate`
 * keystrokes/s, repeated runs alternating between the two; the metrics of each column.
 */
export async function compareFanout(
  ctx: BenchContext,
  [n, w]: readonly [number, number],
  rate: number,
  sides: Readonly<Record<ServerKind, FanoutSide>>,
  durationMs = ctx.quick ? 3500 : 5500,
): Promise<Record<ServerKind, Metrics>> {
  const servers = new Map<ServerKind, BenchServer>()
  const groups = new Map<ServerKind, Group>()
  const runs = new Runs()
  try {
    for (const kind of SERVER_KINDS) {
      const server = await sides[kind].start()
      servers.set(kind, server)
      const seed = await fetchState(server.docUrl(DOC))
      groups.set(kind, await connectGroup(server, n, w, Y.decodeStateVector(Y.encodeStateVectorFromUpdate(seed))))
    }
    for (const kind of SERVER_KINDS) await warmUp(groups.get(kind)!, servers.get(kind)!, n, rate)
    for (let r = 0; r < ctx.repeats; r++) {
      for (const kind of orderFor(r)) {
        const group = groups.get(kind)!
        const server = servers.get(kind)!
        const { run, discarded } = await undisturbed(async () => {
          await server.waitIdle()
          const run = await typingRun(group.typists, (log) => (group.log = log), server, runOptions(n, rate, durationMs, WARMUP_MS))
          ctx.log(`  ${sides[kind].label} run ${r + 1}: ${describeRun(run, run.keystrokes * (n - 1))}`)
          return run
        }, ctx.log)
        runs.add(kind, runMetrics(run, discarded))
      }
    }
  } finally {
    for (const group of groups.values()) await Promise.all([...group.typists.map((t) => t.close()), ...group.receivers.map((c) => c.close())])
    await Promise.all([...servers.values()].map((server) => server.dispose()))
  }
  return { ours: runs.metrics('ours'), baseline: runs.metrics('baseline') }
}

/**
 * The three servers holding the same sample draft: ours seeds it on first start, the baseline and
 * the floor get our exact state.
 */
async function startPair(ctx: BenchContext) {
  const ours = await startOurs({ nodeArgs: ctx.oursNodeArgs })
  const seed = await fetchState(ours.docUrl(DOC))
  const dir = await tempDir('baseline')
  await seedBaseline(dir, [{ name: DOC, state: seed }])
  const baseline = await startBaseline({ dataDir: dir })
  const floor = await startFloor([{ name: DOC, state: seed }])
  return {
    ours,
    baseline,
    floor,
    seed,
    dispose: () => Promise.all([ours, baseline, floor].map((server) => server.dispose())),
  }
}
