import { Worker } from 'node:worker_threads'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { fetchState } from '../clients.js'
import { seedBaseline } from '../baselineStore.js'
import { docFromState, textsOf } from '../content.js'
import { absoluteNow, PresenceGroup, type PresenceGroupOptions, type SentMove } from './presenceLoad.js'
import { orderFor, Runs, type BenchContext, type ScenarioResult } from '../scenario.js'
import { SERVER_KINDS, startBaseline, startOurs, tempDir, type BenchServer, type ServerKind } from '../servers.js'
import { Samples, sleep } from '../stats.js'

const DOC = 'rapergub-spbe'
/** Cursor moves per second per client. */
const RATE = 1
/** Clients that time every awareness entry they receive (the rest read and drop theirs in worker threads). */
const OBSERVERS = 10
/** Threads beside the observers' one that run the other clients, which move and drop what they receive. */
const WORKERS = 2

/** The awareness id of the next run's first client (each run has its own ids; see `PresenceGroupOptions.idBase`). */
let nextIdBase = 1_000_000

/** Linux reports process CPU time in clock ticks of 1/100 s. */
const TICKS_PER_SECOND = 100

/**
 * Presence at scale: N clients in one draft, each moving its cursor once a second (an awareness
 * update with a valid y-prosemirror cursor). Measured: the server's CPU (cores) and the delay from
 * a cursor move's send to its arrival at each of `OBSERVERS` clients.
 */
export async function presence(ctx: BenchContext): Promise<ScenarioResult> {
  const clients = ctx.quick ? 150 : 500
  const durationMs = ctx.quick ? 5000 : 6000
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
            `lost ${run.lost}; server CPU ${run.serverCpu.toFixed(2)} cores; load generator ${run.generatorCpu.toFixed(2)} cores; ` +
            `${run.movesPerSecond.toFixed(0)} moves/s sent, ${run.messagesPerObserverSecond.toFixed(0)} awareness messages/s per observer`,
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
    setup: { document: DOC, clients, movesPerSecond: RATE, observers: OBSERVERS, workerThreads: WORKERS, durationMs, warmupMs },
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

/**
 * One run: the observers (the first `OBSERVERS` clients) time every awareness entry they receive
 * in this thread; the other clients move and read in `WORKERS` worker threads, so the receiving
 * work of hundreds of sockets does not delay the observers' timestamps. The same code drives
 * both servers: one that sends more messages makes the workers, not the timing, do more.
 */
async function presenceRun(server: BenchServer, count: number, cursors: readonly unknown[], durationMs: number, warmupMs: number) {
  const url = server.docUrl(DOC)
  const idBase = nextIdBase
  nextIdBase += count
  const observers = await PresenceGroup.connect({ url, idBase, first: 0, count: OBSERVERS, cursors })
  const others = count - OBSERVERS
  const workers = await Promise.all(
    Array.from({ length: WORKERS }, (_, w) => {
      const first = OBSERVERS + Math.floor((others * w) / WORKERS)
      const last = OBSERVERS + Math.floor((others * (w + 1)) / WORKERS)
      return WorkerGroup.start({ url, idBase, first, count: last - first, cursors })
    }),
  )
  const arrivals: number[] = []
  let messages = 0
  for (const observer of observers.clients) {
    observer.onAwareness = (update) => {
      messages++
      const arrived = absoluteNow()
      for (const [clientId, clock] of awarenessClocks(update)) arrivals.push(clientId, clock, arrived)
    }
  }
  observers.announce()
  for (const worker of workers) worker.post({ kind: 'announce' })
  await sleep(1000)
  const measureFrom = absoluteNow() + warmupMs
  observers.start(RATE)
  for (const worker of workers) worker.post({ kind: 'start', rate: RATE })
  await sleep(warmupMs)
  const ticks = server.cpuTicks()
  const ownCpu = process.cpuUsage()
  const messagesFrom = messages
  const cpuFrom = performance.now()
  await sleep(durationMs)
  const seconds = (performance.now() - cpuFrom) / 1000
  const serverCpu = (server.cpuTicks() - ticks) / TICKS_PER_SECOND / seconds
  const { user, system } = process.cpuUsage(ownCpu)
  const generatorCpu = (user + system) / 1e6 / seconds
  const messagesPerObserverSecond = (messages - messagesFrom) / OBSERVERS / seconds
  observers.stop()
  const sent = [observers.sent, ...(await Promise.all(workers.map((worker) => worker.stop())))].flat()
  const movesPerSecond = sent.filter(([, , at]) => at >= measureFrom && at < measureFrom + durationMs).length / (durationMs / 1000)
  // Moves still in flight get a moment to arrive before the losses are counted.
  await sleep(2000)
  const sentAt = new Map<string, number>()
  for (const [clientId, clock, at] of sent) if (at >= measureFrom) sentAt.set(`${clientId}:${clock}`, at)
  const arrived = new Map<string, number>()
  const samples = new Samples()
  for (let i = 0; i < arrivals.length; i += 3) {
    const key = `${arrivals[i]}:${arrivals[i + 1]}`
    const since = sentAt.get(key)
    if (since === undefined) continue
    arrived.set(key, (arrived.get(key) ?? 0) + 1)
    samples.add(arrivals[i + 2]! - since)
  }
  let lost = 0
  for (const key of sentAt.keys()) lost += OBSERVERS - Math.min(OBSERVERS, arrived.get(key) ?? 0)
  await Promise.all([observers.close(), ...workers.map((worker) => worker.close())])
  await server.waitIdle()
  return { ...samples.summary(), lost, expected: sentAt.size * OBSERVERS, serverCpu, generatorCpu, movesPerSecond, messagesPerObserverSecond }
}

/** The (client id, clock) of each entry of an awareness update, its JSON state skipped undecoded. */
function* awarenessClocks(update: Uint8Array): Generator<[clientId: number, clock: number]> {
  const decoder = decoding.createDecoder(update)
  for (let n = decoding.readVarUint(decoder); n > 0; n--) {
    const clientId = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const stateBytes = decoding.readVarUint(decoder)
    decoder.pos += stateBytes
    yield [clientId, clock]
  }
}

type WorkerCommand = { readonly kind: 'announce' } | { readonly kind: 'start'; readonly rate: number }

/** A `PresenceGroup` in a worker thread (presenceWorker.ts). */
class WorkerGroup {
  readonly #worker: Worker

  private constructor(worker: Worker) {
    this.#worker = worker
  }

  static async start(options: PresenceGroupOptions): Promise<WorkerGroup> {
    // Workers do not inherit tsx's loader on Node 20: the entry registers it, then loads the TypeScript.
    const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'))
    const entry = JSON.stringify(new URL('./presenceWorker.ts', import.meta.url).href)
    const worker = new Worker(`import(${tsx}).then(({ register }) => { register(); return import(${entry}) })`, { eval: true, workerData: options })
    await WorkerGroup.#reply(worker, 'ready')
    return new WorkerGroup(worker)
  }

  post(command: WorkerCommand) {
    this.#worker.postMessage(command)
  }

  /** Stops the moves; resolves with every move the group sent. */
  async stop(): Promise<SentMove[]> {
    const reply = WorkerGroup.#reply(this.#worker, 'sent')
    this.#worker.postMessage({ kind: 'stop' })
    return ((await reply) as { sent: SentMove[] }).sent
  }

  async close() {
    const reply = WorkerGroup.#reply(this.#worker, 'closed')
    this.#worker.postMessage({ kind: 'close' })
    await reply
    await this.#worker.terminate()
  }

  static #reply(worker: Worker, kind: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: { kind: string }) => {
        if (message.kind !== kind) return
        worker.off('message', onMessage)
        worker.off('error', reject)
        resolve(message)
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
    })
  }
}
