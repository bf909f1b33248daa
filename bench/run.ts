import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { describeEnvironment, formatMarkdown, markdownTable, readResults, updateBenchmarkPage, writeResults, type Environment } from './report.js'
import type { BenchContext, ScenarioResult } from './scenario.js'
import { fanout } from './scenarios/fanout.js'
import { throughput } from './scenarios/throughput.js'
import { join as joinScenario } from './scenarios/join.js'
import { coldOpen } from './scenarios/coldOpen.js'
import { memory } from './scenarios/memory.js'
import { manyDocs } from './scenarios/manyDocs.js'
import { presence } from './scenarios/presence.js'
import { crowdJoin } from './scenarios/crowdJoin.js'
import { firewall } from './scenarios/firewall.js'
import { fsync } from './scenarios/fsync.js'
import { postgres } from './scenarios/postgres.js'
import { cluster } from './scenarios/cluster.js'
import { cleanup, UNLOAD_PROMPTLY } from './servers.js'

/**
 * `npm run bench`: our server (production build) against the stock @y/websocket-server with
 * y-leveldb, same load, same machine; see docs/benchmark.md.
 *
 *   --quick            fewer repeats and smaller sizes (development)
 *   --only a,b         only these scenarios: fanout, throughput, join, coldOpen, memory, manyDocs, presence,
 *                      crowdJoin, firewall, fsync, postgres, cluster
 *   --repeats n        runs per figure (default 3; quick 1)
 *   --profile dir      start our server with `node --cpu-prof --cpu-prof-dir=dir`
 *   --fanout NxW,...   only these fan-out cases, e.g. 200x10
 *   --write            also write results.json and docs/benchmark.md after --quick or --only (a full run always does)
 *   --report           only rebuild docs/benchmark.md and the table from bench/results.json
 */

const ROOT = resolve(import.meta.dirname, '..')
const RESULTS = join(ROOT, 'bench/results.json')
const PAGE = join(ROOT, 'docs/benchmark.md')
const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  fanout,
  throughput,
  join: joinScenario,
  coldOpen,
  memory,
  manyDocs,
  presence,
  crowdJoin,
  firewall,
  fsync,
  postgres,
  cluster,
}

function parseArgs(argv: readonly string[]) {
  const args = [...argv]
  const take = (flag: string) => {
    const i = args.indexOf(flag)
    if (i < 0) return undefined
    const value = args[i + 1]
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`)
    args.splice(i, 2)
    return value
  }
  const has = (flag: string) => {
    const i = args.indexOf(flag)
    if (i >= 0) args.splice(i, 1)
    return i >= 0
  }
  const quick = has('--quick')
  const write = has('--write')
  const report = has('--report')
  const only = take('--only')?.split(',')
  const repeats = Number(take('--repeats') ?? (quick ? 1 : 3))
  const profile = take('--profile')
  const fanoutCases = take('--fanout')
    ?.split(',')
    .map((c) => {
      const [n, w] = c.split('x').map(Number)
      if (!Number.isInteger(n) || !Number.isInteger(w) || w! < 1 || n! <= w!) throw new Error(`--fanout: "${c}" is not NxW with N > W ≥ 1`)
      return [n!, w!] as const
    })
  if (args.length > 0) throw new Error(`unknown arguments: ${args.join(' ')}`)
  for (const name of only ?? []) if (!SCENARIOS[name]) throw new Error(`unknown scenario "${name}"; one of ${Object.keys(SCENARIOS).join(', ')}`)
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats must be a positive integer')
  return { quick, write, report, only, repeats, profile, fanoutCases }
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

function pageBody(environment: Environment, table: string): string {
  return [
    '`npm run bench` (not part of `npm test`; about 20 minutes; `--quick`, `--only <scenario>` and `--fanout NxW` for',
    'development) runs our server from the production build (`dist/server/main.js`, fsync on, limits raised so one address',
    `may open thousands of sockets; \`ROOM_IDLE_MS=${UNLOAD_PROMPTLY.ROOM_IDLE_MS}\` where a scenario measures a draft after it unloads) and the stock \`@y/websocket-server@0.1.1\` with y-leveldb`,
    '(`YPERSISTENCE`), each on 127.0.0.1 with a temporary data directory, and drives both with the same load over real',
    'WebSockets from one process on the same machine. Every figure is the median of repeated runs; every run is in',
    '`bench/results.json`. That process times every delivery, so its own pauses count against both servers alike: every',
    'latency run records what it paused (its GC, and its event loop delay p99; `bench/loadGenerator.ts`).',
    '',
    `Last run: ${describeEnvironment(environment)} In "Ours ÷ baseline", below 1 is better for times and memory, above 1 for`,
    'throughput.',
    '',
    table,
    '',
    'How each row is measured:',
    '',
    '- Fan-out: N clients in the sample draft, W of them typing 10 keystrokes/s (each a synced Y.Doc), the rest raw sockets;',
    "  latency from a keystroke's send to its arrival at each of the other N − 1 clients over 5 s (the half second",
    '  before not counted). Once all clients are connected, each server gets one unmeasured 2 s run: the first runs after connecting were',
    '  slower on every server (code not yet optimised, heaps not yet sized), whichever happened to run first.',
    '  Where ours is behind and the two servers’ per-run p99s overlap, the row’s note lists them. Before and after each',
    '  of ours’ runs (here and in "Many documents") the bench reads its `/metrics`: the note',
    '  under each row says how long a keystroke spent inside our server (arrival → relay, `rancang_relay_delay_seconds`).',
    '  A latency run during which more than 0.5 cores were busy outside the two bench processes (the machine is shared) is',
    '  run once more; CPU use of server, load generator and the rest of the machine is kept for every run.',
    '  Up to 200 clients (and in "Many documents") the ratio of each pair of servers carries a 95% bootstrap interval in',
    '  brackets (`bench/resample.ts`): 1,000 draws, each picking as many runs as were made (with replacement) and',
    "  resampling each picked run's keystrokes (a keystroke with all its deliveries, since one stall delays them all),",
    "  then taking the table's ratio of median p99s. An interval that holds 1 says these runs cannot tell the two apart:",
    "  a p99 of 10 clients' 5 s rests on the slowest one or two of 100 keystrokes.",
    '- Throughput: 4 documents × 2 writers sending prepared one-character updates, 256 in flight each. Ours: updates',
    '  acknowledged as stored (message 100). The baseline relays first and stores later: it is stopped when the run ends',
    '  and its LevelDB is read to count what it had stored (relayed per second in brackets); a second run leaves it',
    '  running until it has written everything it relayed (its rate once it catches up).',
    '- Join: socket opened → complete sync step 2, in a 1 MB document built by 50k edits while 50 clients type; the',
    "  joiner runs in a process of its own, so the load generator's busy event loop is not timed with the server. Ours",
    '  sends the updates stored since its last encoding as one update just before the step 2 (PROTOCOL.md): the clock',
    '  stops at the step 2, and the probe checks that it then holds all the server had when the socket opened.',
    '- Cold open: the history is sent as edits, the server stopped and its data copied for each run (at least 3); each',
    '  run starts a fresh process and first opens another, small document, since the first connection of a process pays',
    '  for compiling its code; socket opened → the client holds everything. Its lower bound: a bare WebSocket server (no',
    '  storage engine, no protocol) that reads the same state from a file the moment the socket opens and sends it,',
    "  started, warmed up and measured the same way. The state grows with the history, so the lower bound's own ratio is",
    "  the floor under any server's flatness.",
    '- Memory (two runs; their median is their mean): VmRSS idle, with the documents open (one client per document',
    '  typing 20 keystrokes), and after every client left and the documents unloaded: once back within 10% of idle, or',
    '  after 60 s (V8 shrinks an idle heap on its own schedule, often later). Idle is the same condition for',
    '  both: a fresh process on a data directory already holding the drafts (ours made them through the API in an',
    '  earlier process, then stopped; the baseline seeded offline), its lowest RSS in the 45 s after its port answered',
    "  (V8 returns start-up's garbage within them, at a moment of its choosing; neither is asked for a collection). Ours",
    '  starts its validation worker, export builders, Word import, JWT library and PostgreSQL driver on first use, so',
    '  idle holds none of them. Its lower bound: a node process that only imports what each server imports (nothing',
    '  started), and a bare node, read the same way.',
    '- Many documents: 2 clients per document, each typing 1 keystroke/s; latency to the other client. Before the runs',
    "  every client types one keystroke (spread over 2 s) and the server is left to settle: our server builds a draft's",
    '  Y.Doc and schema firewall at its first edit, the baseline at its first connection; both are then measured warm.',
    '- Presence: every client in the sample draft moves its cursor (an awareness update with a valid y-prosemirror',
    '  cursor) once a second on its own phase; server CPU in cores over 6 s, and the delay from each move to its arrival',
    '  at 10 observing clients (the others move, read and drop what they receive in 2 worker threads, so their reading',
    "  does not delay the observers' timestamps).",
    '- Crowd join: the clients open their sockets at the same moment to a ~4 MB draft (built by 20k pasted phrases) that',
    '  neither server has loaded; socket opened → a message holding the whole document arrived, per client.',
    '- Schema firewall: in-process, the firewall check, the inline proof (the bounded decoder that proves a keystroke',
    "  well-formed on the main thread), the apply, and the worker's proof (what an update the decoder cannot prove costs)",
    '  of 5k keystrokes in the sample draft (each p50); and the fan-out latency of our server with the firewall on and with',
    '  `SCHEMA_FIREWALL=false` (a setting for this measurement only, documented in `docs/configuration.md`).',
    "- Relay before fsync: our server relays a keystroke once its batch is in LevelDB's log and acknowledges it (message",
    "  100) once an fdatasync of the logs covers it (SPEC S1, S2). The row: one keystroke's batch (log entry and",
    '  last-modified record) written through our LevelDB storage in-process, one after another, with fsync and without',
    '  (p50/p99): what an acknowledgement waits for beyond the relay.',
    '- Fan-out floor and Many documents floor: the lower bound under the latency rows, from the same runs.',
    '  `bench/floorServer.ts` is the least a server can do and still keep our promises: the sync protocol, one Y.Doc per',
    '  draft, group-committed LevelDB writes relayed once in the log, the logs fsynced beside the next writes (the',
    '  acknowledgement needs the fsync, so its disk work stays on the machine), one merged message per draft and batch;',
    '  no accounts, validation, schema, acknowledgement message or compaction. In each pair of rows the first is ours ÷',
    '  the floor, what ours adds; the second the floor ÷ the stock server, which never fsyncs: what storing before',
    '  relaying and syncing for the acknowledgement cost any server on LevelDB on this machine.',
    '- PostgreSQL vs LevelDB: our server with `DATABASE_URL` on a local Debian PostgreSQL (fsync on, its defaults) in the',
    '  Ours column and our server on LevelDB in the Baseline column, one server each: fan-out as above (N=50, W=5),',
    '  throughput as above (acknowledged as stored), and the cold open of a draft after 10k edits, on a copy each run.',
    '- Cluster on PostgreSQL: 3,000 drafts with 2 clients each, typing 2,000 keystrokes/s in all (one every 3 s per',
    '  client, the load of the many-documents row), the clients spread round-robin over the servers (non-owners',
    '  forward), on one server and on three sharing one PostgreSQL, each from a copy of the same',
    '  database; latency to the other client, CPU per server and of PostgreSQL (its backends included), and per keystroke',
    "  the database's committed transactions, rows written (`pg_stat_database`) and WAL bytes (`pg_stat_wal`).",
  ].join('\n')
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
  if (options.report) {
    const { environment, table } = await readResults(RESULTS)
    process.stdout.write(`${describeEnvironment(environment)}\n\n${table}`)
    await updateBenchmarkPage(PAGE, pageBody(environment, table))
    return
  }
  const names = options.only ?? Object.keys(SCENARIOS)
  const started = Date.now()
  const environment: Environment = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1e9),
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    commit: commit(),
    loadAverageBefore: loadavg(),
    repeats: options.repeats,
    quick: options.quick,
  }
  const ctx: BenchContext = {
    quick: options.quick,
    repeats: options.repeats,
    oursNodeArgs: options.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(options.profile)}`] : [],
    ...(options.fanoutCases ? { fanoutCases: options.fanoutCases } : {}),
    log: (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
  }
  const results: ScenarioResult[] = []
  for (const name of names) {
    ctx.log(`== ${name}`)
    results.push(await SCENARIOS[name]!(ctx))
  }
  environment.loadAverageAfter = loadavg()
  const finished = { ...environment, durationSeconds: (Date.now() - started) / 1000 }
  const table = await formatMarkdown(markdownTable(results), PAGE)
  process.stdout.write(`\n${describeEnvironment(finished)}\n\n${table}`)
  if ((!options.quick && !options.only && !options.fanoutCases) || options.write) {
    await writeResults(RESULTS, finished, results, table)
    await updateBenchmarkPage(PAGE, pageBody(finished, table))
    process.stdout.write('\nWrote bench/results.json and docs/benchmark.md.\n')
  }
}

const stop = () => {
  void cleanup().finally(() => process.exit(130))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)

try {
  await main()
} catch (error) {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`)
  process.exitCode = 1
} finally {
  await cleanup()
}
// Sockets and timers of a failed scenario must not keep the process alive.
process.exit(process.exitCode ?? 0)
