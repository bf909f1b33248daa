import { fetchState } from '../clients.js'
import { keystrokeHistory, stateVectorOf } from '../content.js'
import { BenchPostgres } from '../postgres.js'
import { orderFor, Runs, withNote, type BenchContext, type Metrics, type ScenarioResult } from '../scenario.js'
import { copyDir, removeDir, SERVER_KINDS, startOurs, type BenchServer, type ServerKind, type StartOptions } from '../servers.js'
import { format } from '../stats.js'
import { openCold } from './coldOpen.js'
import { sendHistory } from '../writer.js'
import { compareFanout, RATE } from './fanout.js'
import { latencyRow } from '../typing.js'
import { measureThroughput } from './throughput.js'

const SCENARIO = 'PostgreSQL vs LevelDB'
const FANOUT = [50, 5] as const
/** Both columns are our server: the table's "Baseline" column holds ours on LevelDB here. */
const COLUMNS = '(Ours: on PostgreSQL; Baseline column: ours on LevelDB)'
const STORAGE: Readonly<Record<ServerKind, string>> = { ours: 'PostgreSQL', baseline: 'LevelDB' }

/**
 * Our server on PostgreSQL (`DATABASE_URL`, a local Debian PostgreSQL with fsync on) against our
 * server on its default LevelDB, one server each, the same load: fan-out latency, stored-update
 * throughput, and the cold open of a draft with a long history.
 */
export async function postgres(ctx: BenchContext): Promise<ScenarioResult> {
  const throughputMs = ctx.quick ? 2000 : 3000
  const historyEdits = ctx.quick ? 3000 : 10_000
  const database = await BenchPostgres.start()
  try {
    /** Ours on a fresh LevelDB data directory, or on a fresh PostgreSQL database. */
    const start =
      (kind: ServerKind, options: StartOptions = {}) =>
      async () =>
        startOurs({
          nodeArgs: ctx.oursNodeArgs,
          ...options,
          env: kind === 'ours' ? { DATABASE_URL: database.urlOf(await database.createDatabase()) } : {},
        })

    ctx.log(`${SCENARIO}: fan-out N=${FANOUT[0]} W=${FANOUT[1]}`)
    const fanout = await compareFanout(ctx, FANOUT, RATE, {
      ours: { label: STORAGE.ours, start: start('ours') },
      baseline: { label: STORAGE.baseline, start: start('baseline') },
    })

    ctx.log(`${SCENARIO}: stored-update throughput`)
    const throughput = new Runs()
    for (let r = 0; r < ctx.repeats; r++) {
      for (const kind of orderFor(r)) {
        const run = await measureThroughput('ours', throughputMs, false, start(kind))
        ctx.log(`  ${STORAGE[kind]} run ${r + 1}: stored ${Math.round(run.stored)}/s (${run.storedCount} in ${run.seconds.toFixed(1)} s)`)
        throughput.add(kind, { stored: run.stored })
      }
    }

    ctx.log(`${SCENARIO}: cold open after ${historyEdits} edits`)
    const cold = await measureColdOpen(ctx, database, historyEdits)

    return {
      id: 'postgres',
      title: SCENARIO,
      setup: {
        postgres: 'Debian PostgreSQL, local, fsync and synchronous_commit on (defaults); TCP on 127.0.0.1',
        fanout: { clients: FANOUT[0], writers: FANOUT[1], keystrokesPerSecond: RATE },
        throughput: { durationMs: throughputMs, load: 'as the throughput scenario: 4 docs × 2 writers, 256 in flight' },
        coldOpen: { edits: historyEdits },
      },
      rows: [
        withNote(
          latencyRow(SCENARIO, `fan-out N=${FANOUT[0]}, W=${FANOUT[1]} ${COLUMNS}`, fanout.ours, fanout.baseline, 25),
          `both columns are our server; "Baseline" here is ours on LevelDB. ${cpuNote(fanout)}`,
        ),
        {
          scenario: SCENARIO,
          case: `stored-update throughput, 4 docs × 2 writers ${COLUMNS}`,
          measure: 'updates/s stored',
          ours: throughput.metrics('ours'),
          baseline: throughput.metrics('baseline'),
          show: ['stored'],
          digits: 0,
          ratioOf: 'stored',
          target: '—',
          met: null,
          note: 'updates acknowledged as stored (message 100): each group-commit batch is one fsync on LevelDB and one committed transaction on PostgreSQL.',
        },
        {
          scenario: SCENARIO,
          case: `cold open after ${historyEdits / 1000}k edits ${COLUMNS}`,
          measure: 'ms to first synced client',
          ours: cold.ours,
          baseline: cold.baseline,
          show: ['ms'],
          digits: 0,
          ratioOf: 'ms',
          target: '< 100 ms',
          met: cold.ours.ms!.median < 100,
          note: 'the history sent as edits, the server stopped; each run starts a server on a copy (LevelDB: the data directory; PostgreSQL: `CREATE DATABASE … TEMPLATE`) and opens the draft.',
        },
      ],
    }
  } finally {
    await database.dispose()
  }
}

const cpuNote = (fanout: Record<ServerKind, Metrics>) =>
  `Server CPU (cores): ${SERVER_KINDS.map((kind) => `${STORAGE[kind]} ${format(fanout[kind].serverCpu!.median, 2)}`).join(', ')} (PostgreSQL's own processes not included).`

/**
 * Cold open on each storage: one draft gets `edits` keystrokes through the WebSocket, the server
 * stops (storing and compacting), then every run opens the draft on a fresh server over a copy.
 */
async function measureColdOpen(ctx: BenchContext, database: BenchPostgres, edits: number): Promise<Record<ServerKind, Metrics>> {
  const stored = new Map<ServerKind, { id: string; token: string; expected: Map<number, number>; dataDir: string; database?: string }>()
  for (const kind of SERVER_KINDS) {
    const name = kind === 'ours' ? await database.createDatabase() : undefined
    const server = await startOurs({ nodeArgs: ctx.oursNodeArgs, env: name ? { DATABASE_URL: database.urlOf(name) } : {} })
    try {
      const id = await server.createDocument('Riwayat panjang')
      const history = keystrokeHistory(await fetchState(server.docUrl(id)), edits, 11)
      await sendHistory(server, id, history)
      await server.stop()
      stored.set(kind, {
        id,
        token: server.token,
        expected: stateVectorOf(history.doc),
        dataDir: server.dataDir,
        ...(name ? { database: name } : {}),
      })
    } catch (error) {
      await server.dispose()
      throw error
    }
  }
  const runs = new Runs()
  try {
    for (let r = 0; r < ctx.repeats; r++) {
      for (const kind of orderFor(r)) {
        const { id, token, expected, dataDir, database: original } = stored.get(kind)!
        const env: Record<string, string> = original ? { DATABASE_URL: database.urlOf(await database.copy(original)) } : {}
        const server: BenchServer = await startOurs({ nodeArgs: ctx.oursNodeArgs, dataDir: await copyDir(dataDir, kind), token, env })
        try {
          await server.waitIdle(300)
          const ms = await openCold(server.docUrl(id), STORAGE[kind], expected)
          ctx.log(`  ${STORAGE[kind]} run ${r + 1}: ${ms.toFixed(1)} ms`)
          runs.add(kind, { ms })
        } finally {
          await server.dispose()
        }
      }
    }
  } finally {
    for (const { dataDir } of stored.values()) await removeDir(dataDir)
  }
  return { ours: runs.metrics('ours'), baseline: runs.metrics('baseline') }
}
