import { cpus } from 'node:os'
import type { Typist } from '../clients.js'
import { CLIENTS_PER_DOCUMENT, connectTypists, RATE, WARM_UP_MS, warmUp } from '../manyDocuments.js'
import { BenchPostgres, perKeystroke } from '../postgres.js'
import { Runs, withNote, type BenchContext, type Metrics, type ScenarioResult } from '../scenario.js'
import { freePort, startOurs, type BenchServer, type ServerKind } from '../servers.js'
import { format } from '../stats.js'
import { describeRun, latencyRow, runMetrics, TICKS_PER_SECOND, typingRun, undisturbed } from '../typing.js'

const SCENARIO = 'Cluster on PostgreSQL'
/** Column → number of servers: the table's "Baseline" column is one server, "Ours" three. */
const SERVERS: ReadonlyArray<readonly [ServerKind, number]> = [
  ['baseline', 1],
  ['ours', 3],
]
/** Every client of a document may sit on another server than its owner: forwarded sockets add up on the owner. */
const CLUSTER_ENV = { MAX_CONNECTIONS_PER_ADDRESS: '20000' }

/**
 * Many drafts on one PostgreSQL, served by one server and by three: 2 clients per draft, each
 * typing 1 keystroke/s, the clients spread round-robin over the servers as behind a round-robin
 * proxy (a draft's two clients always land on different servers of three, so non-owners forward).
 * Delivery latency to the other client, keystrokes lost, CPU per server and of PostgreSQL, and
 * what PostgreSQL sees per keystroke. Both configurations start from a copy of the same database.
 */
export async function cluster(ctx: BenchContext): Promise<ScenarioResult> {
  // The 3,000 drafts (6,000 clients), typing 2,000 keystrokes/s in all as the many-documents
  // row does: one keystroke every 3 s per client, so the two rows load the machine alike.
  const documents = ctx.quick ? 100 : 3000
  const rate = RATE * Math.min(1, 1000 / documents)
  const durationMs = ctx.quick ? 3000 : 6000
  const warmupMs = 2000
  const database = await BenchPostgres.start()
  const runs = new Runs()
  try {
    ctx.log(`${SCENARIO}: creating ${documents} documents`)
    const seeded = await database.createDatabase()
    const first = await startOurs({ env: { DATABASE_URL: database.urlOf(seeded) } })
    const template = await first.createDocument('Banyak')
    const token = first.token
    await first.dispose()
    const ids = await copyDocument(database, seeded, template, documents)

    for (const [kind, count] of SERVERS) {
      const name = await database.copy(seeded)
      const servers = await startServers(count, database.urlOf(name), token)
      let typists: Typist[] = []
      try {
        const connecting = performance.now()
        typists = await connectTypists(ids, (id, n) => servers[n % count]!.docUrl(id))
        ctx.log(`  ${count} server(s): ${typists.length} clients connected in ${((performance.now() - connecting) / 1000).toFixed(1)} s`)
        await warmUp(typists, WARM_UP_MS, servers)
        // A socket a server closes (it gave the draft up) is not reopened: its keystrokes count as lost.
        let cut = 0
        for (const typist of typists) void typist.client.closed.then(() => (cut += 1))
        const load = { cpuTicks: () => servers.reduce((sum, server) => sum + server.cpuTicks(), database.cpuTicks()) }
        // At most two runs: each configuration connects 6,000 clients, and the bench must stay under 20 minutes.
        for (let r = 0; r < Math.min(ctx.repeats, 2); r++) {
          let cpu: Record<string, number> = {}
          let stats: Record<string, number> = {}
          const { run, discarded } = await undisturbed(async () => {
            await Promise.all(servers.map((server) => server.waitIdle()))
            const before = await database.counters(name)
            const ticks = { servers: servers.map((server) => server.cpuTicks()), postgres: database.cpuTicks() }
            const started = performance.now()
            const run = await typingRun(typists, () => {}, load, {
              rate,
              durationMs,
              warmupMs,
              receiversEach: CLIENTS_PER_DOCUMENT - 1,
            })
            cpu = cpuPerProcess(servers, database, ticks, (performance.now() - started) / 1000)
            stats = perKeystroke(before, await database.counters(name), run.keystrokes)
            ctx.log(
              `  ${count} server(s) run ${r + 1}: ${describeRun(run, run.keystrokes)}; ${describeCpu(cpu)}; ${describeStats(stats)}; ${cut} sockets cut so far`,
            )
            return run
          }, ctx.log)
          runs.add(kind, { ...runMetrics(run, discarded), ...cpu, ...stats, cut })
        }
      } finally {
        await Promise.all(typists.map((typist) => typist.close()))
        await Promise.all(servers.map((server) => server.dispose()))
      }
    }
  } finally {
    await database.dispose()
  }
  const ours = runs.metrics('ours')
  const baseline = runs.metrics('baseline')
  const row = latencyRow(
    SCENARIO,
    `${documents} docs × ${CLIENTS_PER_DOCUMENT} clients, ${format(documents * CLIENTS_PER_DOCUMENT * rate, 0)} keystrokes/s: 3 servers (Ours) vs 1 (Baseline column)`,
    ours,
    baseline,
    100,
  )
  return {
    id: 'cluster',
    title: SCENARIO,
    setup: {
      documents,
      clientsPerDocument: CLIENTS_PER_DOCUMENT,
      keystrokesPerSecondPerClient: rate,
      durationMs,
      warmupMs,
      spread: 'client n of all connects to server n mod count (round robin); non-owners forward to the owner',
      postgres: 'one local Debian PostgreSQL, fsync on',
    },
    rows: [
      withNote(
        row,
        `both columns are our server on one PostgreSQL; "Baseline" here is one server, "Ours" three (NODE_URL set on each). ` +
          `All share this machine's ${cpus().length} cores, so the row measures the cost and correctness of spreading, not a speed-up. ` +
          `CPU in cores — 1 server: ${describeCpu(medians(baseline))}; 3 servers: ${describeCpu(medians(ours))}. ` +
          `PostgreSQL per keystroke (heartbeats included) — 1 server: ${describeStats(medians(baseline))}; 3 servers: ${describeStats(medians(ours))}. ` +
          `Client sockets closed by a server (not reopened by the bench, unlike a browser) by the last run: 1 server ${baseline.cut!.runs.at(-1)}, 3 servers ${ours.cut!.runs.at(-1)}.`,
      ),
    ],
  }
}

/**
 * `count` copies of draft `template`, written straight into the database: through the API each
 * creation is a committed transaction, and 3,000 of them on this shared machine take minutes.
 * Creating a draft writes just its `documents` row (the audit row aside), so the copies are what
 * the API would have made, all with the template's state (as the baseline's rooms in manyDocs).
 */
async function copyDocument(database: BenchPostgres, name: string, template: string, count: number): Promise<string[]> {
  await database.sql(
    name,
    `INSERT INTO documents (id, record, state, state_clock)
     SELECT 'banyak-' || g, jsonb_set(jsonb_set(record::jsonb, '{id}', to_jsonb('banyak-' || g)), '{title}', to_jsonb('Banyak ' || g))::json, state, state_clock
     FROM documents, generate_series(1, ${count}) AS g WHERE id = '${template.replace(/'/g, "''")}'`,
  )
  return Array.from({ length: count }, (_, i) => `banyak-${i + 1}`)
}

/** `count` servers on one database, each on a known port with NODE_URL naming it, all accepting `token`. */
async function startServers(count: number, url: string, token: string): Promise<BenchServer[]> {
  const servers: BenchServer[] = []
  for (let i = 0; i < count; i++) {
    const port = await freePort()
    servers.push(await startOurs({ token, env: { ...CLUSTER_ENV, DATABASE_URL: url, PORT: String(port), NODE_URL: `http://127.0.0.1:${port}` } }))
  }
  return servers
}

function cpuPerProcess(servers: readonly BenchServer[], database: BenchPostgres, before: { servers: number[]; postgres: number }, seconds: number) {
  const cores = (ticks: number) => ticks / TICKS_PER_SECOND / seconds
  const cpu: Record<string, number> = { postgresCpu: cores(database.cpuTicks() - before.postgres) }
  for (const [i, server] of servers.entries()) cpu[`server${i + 1}Cpu`] = cores(server.cpuTicks() - before.servers[i]!)
  return cpu
}

const medians = (metrics: Metrics): Record<string, number> => Object.fromEntries(Object.entries(metrics).map(([key, metric]) => [key, metric.median]))

const describeCpu = (cpu: Record<string, number>) => {
  const servers = Object.keys(cpu)
    .filter((key) => /^server\d+Cpu$/.test(key))
    .map((key) => format(cpu[key]!, 2))
  return `server${servers.length > 1 ? 's' : ''} ${servers.join(' + ')}, PostgreSQL ${format(cpu.postgresCpu!, 2)}`
}

const describeStats = (stats: Record<string, number>) =>
  `${format(stats.transactions!, 2)} transactions, ${format(stats.rowsWritten!, 2)} rows written (${format(stats.rowsInserted!, 2)} inserted), ` +
  `${format(stats.walBytes!, 0)} WAL bytes`
