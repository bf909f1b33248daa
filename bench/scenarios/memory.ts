import * as Y from 'yjs'
import { seedBaseline } from '../baselineStore.js'
import { RawClient, Typist } from '../clients.js'
import { templateState } from '../content.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import {
  SERVER_MODULES,
  startBaseline,
  startModulesOnly,
  startOurs,
  tempDir,
  UNLOAD_PROMPTLY,
  type BenchServer,
  type ServerKind,
} from '../servers.js'
import { mapLimit, median, sleep, waitFor } from '../stats.js'
import { connectAll, startTyping } from '../typing.js'

const CLIENTS_PER_DOCUMENT = 5
const KEYSTROKES = 20
/** "Back to idle": RSS within this fraction above the idle RSS. */
const TOLERANCE = 0.1
/**
 * How long RSS is watched after the documents unloaded. Neither server asks V8 for a collection;
 * V8's memory reducer shrinks an idle heap on its own schedule: ours was still at its loaded RSS
 * 20 s after the unload, and most of the way back 60 s after it.
 */
const WATCH_MS = 60_000
/**
 * How long "idle" is watched after the port answered, for both servers and the lower bounds; idle
 * is the lowest RSS seen. Start-up leaves garbage (compiling modules, our start-up checks) that
 * V8's memory reducer returns on its own once the process is quiet, at a moment of its choosing:
 * 7 to 40 s after start on this machine, for either server and for a process that only imported
 * modules. Neither is asked for a collection.
 */
const SETTLE_MS = 45_000
/** The goal for idle memory: at most this multiple of the stock server's. */
const IDLE_GOAL = 1.3

/**
 * Memory: RSS of the server process (VmRSS) when idle, with 100 open documents × 5 clients (one
 * of them typing 20 keystrokes per document), and after every client left and the documents were
 * unloaded (ours after ROOM_IDLE_MS, here 1 s; the baseline as soon as the last client leaves):
 * the RSS once back within 10% of idle, or at the end of the watch, and how long that took.
 * Idle is the same condition for both: a fresh process on a data directory that already holds the
 * drafts (ours created them through the API in an earlier process, which was stopped; the
 * baseline's were seeded offline), the lowest RSS in SETTLE_MS after its port answered. Each run
 * starts both servers afresh, one after the other, and then loads them one at a time; their watches
 * run side by side, and the next run starts while they go on (RSS is per process; only the time
 * of the bench is shared). The lower bounds: a node process
 * that only imports what each server's main module imports (nothing started), and a bare node,
 * read the same way.
 */
export async function memory(ctx: BenchContext): Promise<ScenarioResult> {
  const documents = ctx.quick ? 40 : 100
  const runs = new Runs()
  const floorRuns = new Runs()
  // At most two runs: each waits up to WATCH_MS for V8 to shrink the heap, the longest wait of the bench.
  const watching: Array<Promise<unknown>> = []
  for (let r = 0; r < Math.min(ctx.repeats, 2); r++) {
    const watches: Array<Promise<void>> = [floors(floorRuns, ctx)]
    // Both servers first, so their idle watches run side by side; then one loads while the other waits.
    const prepared: Prepared[] = []
    for (const kind of orderFor(r)) prepared.push(await prepare(kind, documents, ctx))
    for (const server of prepared) {
      const kind = server.kind
      watches.push(
        measure(server)
          .then((run) => {
            ctx.log(
              `  ${kind} run ${r + 1}: idle ${mb(run.idle)} MB, loaded ${mb(run.loaded)} MB, after unload ${mb(run.after)} MB` +
                (Number.isFinite(run.returnSeconds) ? ` (back within ${run.returnSeconds.toFixed(0)} s)` : ` (not back within ${WATCH_MS / 1000} s)`),
            )
            runs.add(kind, { idle: run.idle / 1024, loaded: run.loaded / 1024, after: run.after / 1024, returnSeconds: run.returnSeconds })
          })
          .finally(() => server.dispose()),
      )
      // Let this server's load and unload pass before the next one loads; its watch goes on.
      await Promise.race([watches.at(-1), server.unloaded])
    }
    // Awaited after the last run; a failure meanwhile is not unhandled, and still fails the scenario.
    const watched = Promise.all(watches)
    watched.catch(() => {})
    watching.push(watched)
  }
  await Promise.all(watching)
  const ours = runs.metrics('ours')
  const baseline = runs.metrics('baseline')
  const back = (m: typeof ours) => {
    const returned = m.returnSeconds!.runs.filter(Number.isFinite).length
    return returned === m.returnSeconds!.runs.length
      ? `, back in ${m.returnSeconds!.median.toFixed(0)} s`
      : `, back in ${returned} of ${m.returnSeconds!.runs.length} runs`
  }
  return {
    id: 'memory',
    title: 'Memory',
    setup: {
      documents,
      clientsPerDocument: CLIENTS_PER_DOCUMENT,
      keystrokesPerDocument: KEYSTROKES,
      roomIdleMs: Number(UNLOAD_PROMPTLY.ROOM_IDLE_MS),
      watchMs: WATCH_MS,
      tolerance: TOLERANCE,
    },
    rows: [
      {
        scenario: 'Memory (RSS)',
        case: `idle, ${documents} docs stored`,
        measure: 'MB idle',
        ours,
        baseline,
        show: ['idle'],
        digits: 0,
        ratioOf: 'idle',
        target: `≤ ${IDLE_GOAL}× baseline`,
        met: ours.idle!.median <= baseline.idle!.median * IDLE_GOAL,
        note: `a fresh process on a data directory already holding the drafts, the lowest RSS in the ${SETTLE_MS / 1000} s after its port answered (V8 returns start-up's garbage within them, at a moment of its choosing); neither server forces a garbage collection.`,
      },
      {
        scenario: 'Memory (RSS)',
        case: `${documents} docs × ${CLIENTS_PER_DOCUMENT} clients`,
        measure: 'MB idle / loaded / after unload',
        ours,
        baseline,
        show: ['idle', 'loaded', 'after'],
        digits: 0,
        ratioOf: 'loaded',
        extra: back,
        target: `after unload ≤ idle + ${TOLERANCE * 100}%`,
        met: ours.after!.median <= ours.idle!.median * (1 + TOLERANCE),
        note: `"after unload" is the RSS once within ${TOLERANCE * 100}% of idle, or ${WATCH_MS / 1000} s after the documents unloaded; V8 shrinks a heap that grew on its own schedule.`,
      },
      {
        scenario: 'Memory (RSS)',
        case: 'lower bound: node importing the server’s modules, nothing started; bare node',
        measure: 'MB modules only / bare node',
        ours: floorRuns.metrics('ours'),
        baseline: floorRuns.metrics('baseline'),
        show: ['modules', 'bare'],
        digits: 0,
        ratioOf: 'modules',
        target: '—',
        met: null,
        note: `what each server's code costs before it does anything: a node process importing what its main module imports (no listener, no storage opened), and a node importing nothing, read like idle (the lowest RSS in ${SETTLE_MS / 1000} s). Idle minus this is what the running server holds.`,
      },
    ],
  }
}

const mb = (kb: number) => (kb / 1024).toFixed(1)

interface Prepared extends BenchServer {
  ids: string[]
  /** The idle RSS (KiB), read as start-up settles. */
  idle: Promise<number>
  unloaded: Promise<void>
  markUnloaded: () => void
}

/** A fresh server with `count` drafts (ours: through the API; the baseline: seeded in its LevelDB). */
async function prepare(kind: ServerKind, count: number, ctx: BenchContext): Promise<Prepared> {
  const names = Array.from({ length: count }, (_, i) => `Memori ${i + 1}`)
  let server: BenchServer
  let ids: string[]
  if (kind === 'ours') {
    const creator = await startOurs({ nodeArgs: ctx.oursNodeArgs, env: UNLOAD_PROMPTLY })
    ids = await mapLimit(names, 8, (nama) => creator.createDocument(nama))
    await creator.stop()
    server = await startOurs({ dataDir: creator.dataDir, token: creator.token, nodeArgs: ctx.oursNodeArgs, env: UNLOAD_PROMPTLY })
  } else {
    ids = names.map((_, i) => `memori-${i + 1}`)
    const dir = await tempDir('baseline')
    await seedBaseline(
      dir,
      ids.map((id, i) => ({ name: id, state: templateState(names[i]!) })),
    )
    server = await startBaseline({ dataDir: dir })
  }
  const answered = performance.now()
  let markUnloaded!: () => void
  const unloaded = new Promise<void>((resolve) => (markUnloaded = resolve))
  return Object.assign(server, { ids, unloaded, markUnloaded, idle: server.waitIdle(1000).then(() => idleRss(server, answered)) })
}

/** The lowest RSS (KiB) read every half second until SETTLE_MS after `answered` (a `performance.now()`). */
async function idleRss(server: { rssKb(): number }, answered: number): Promise<number> {
  let lowest = server.rssKb()
  while (performance.now() - answered < SETTLE_MS) {
    await sleep(500)
    lowest = Math.min(lowest, server.rssKb())
  }
  return lowest
}

/** The lower bounds of one run, side by side: each server's modules imported, and a bare node. */
async function floors(runs: Runs, ctx: BenchContext): Promise<void> {
  const read = async (modules: readonly string[]) => {
    const importer = await startModulesOnly(modules)
    try {
      return await idleRss(importer, performance.now())
    } finally {
      await importer.stop()
    }
  }
  const [ours, baseline, bare] = await Promise.all([read(SERVER_MODULES.ours), read(SERVER_MODULES.baseline), read([])])
  ctx.log(`  lower bound: our modules ${mb(ours)} MB, the baseline's ${mb(baseline)} MB, bare node ${mb(bare)} MB`)
  runs.add('ours', { modules: ours / 1024, bare: bare / 1024 })
  runs.add('baseline', { modules: baseline / 1024, bare: bare / 1024 })
}

/** Median of a few RSS readings, a quarter second apart. */
async function rss(server: BenchServer): Promise<number> {
  const readings: number[] = []
  for (let i = 0; i < 5; i++) {
    readings.push(server.rssKb())
    await sleep(250)
  }
  return median(readings)
}

async function measure(server: Prepared) {
  const idle = await server.idle

  const typists: Typist[] = []
  const receivers: RawClient[] = []
  await mapLimit(server.ids, 10, async (id) => {
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
  if (server.kind === 'ours') {
    const deadline = Date.now() + 60_000
    while ((await server.documentsOpen()) > 0 && Date.now() < deadline) await sleep(200)
  }
  await server.waitIdle(1000)
  server.markUnloaded()
  const start = performance.now()
  let after = server.rssKb()
  while (after > idle * (1 + TOLERANCE) && performance.now() - start < WATCH_MS) {
    await sleep(1000)
    after = server.rssKb()
  }
  const returnSeconds = after <= idle * (1 + TOLERANCE) ? (performance.now() - start) / 1000 : NaN
  return { idle, loaded, after, returnSeconds }
}
