import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { describeEnvironment, markdownTable, updateReadme, writeResults, type Environment } from './report.js'
import type { BenchContext, ScenarioResult } from './scenario.js'
import { fanout } from './scenarios/fanout.js'
import { throughput } from './scenarios/throughput.js'
import { join as joinScenario } from './scenarios/join.js'
import { coldOpen } from './scenarios/coldOpen.js'
import { memory } from './scenarios/memory.js'
import { manyDocs } from './scenarios/manyDocs.js'
import { cleanup, OURS_ENV } from './servers.js'

/**
 * `npm run bench`: our server (production build) against the stock @y/websocket-server with
 * y-leveldb, same load, same machine; see README "Benchmark".
 *
 *   --quick            fewer repeats and smaller sizes (development)
 *   --only a,b         only these scenarios: fanout, throughput, join, coldOpen, memory, manyDocs
 *   --repeats n        runs per figure (default 3; quick 1)
 *   --profile dir      start our server with `node --cpu-prof --cpu-prof-dir=dir`
 *   --write            also write results.json and README after --quick or --only (a full run always does)
 */

const ROOT = resolve(import.meta.dirname, '..')
const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  fanout,
  throughput,
  join: joinScenario,
  coldOpen,
  memory,
  manyDocs,
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
  const only = take('--only')?.split(',')
  const repeats = Number(take('--repeats') ?? (quick ? 1 : 3))
  const profile = take('--profile')
  if (args.length > 0) throw new Error(`unknown arguments: ${args.join(' ')}`)
  for (const name of only ?? []) if (!SCENARIOS[name]) throw new Error(`unknown scenario "${name}"; one of ${Object.keys(SCENARIOS).join(', ')}`)
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error('--repeats must be a positive integer')
  return { quick, write, only, repeats, profile }
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

function readmeBody(environment: Environment, table: string): string {
  return [
    `Measured with \`npm run bench\` (not part of \`npm test\`; about 20 minutes; \`--quick\` and \`--only <scenario>\` for development):`,
    `${describeEnvironment(environment)} Ours is the production build (\`dist/server/main.js\`, fsync on, limits raised for one`,
    `address, \`ROOM_IDLE_MS=${OURS_ENV.ROOM_IDLE_MS}\`); the baseline is the stock \`@y/websocket-server@0.1.1\` with y-leveldb`,
    '(`YPERSISTENCE`). Both run on 127.0.0.1 with a temporary data directory and get the same load over real WebSockets from',
    'one process on the same 2-core machine. Every figure is a median; all runs are in `bench/results.json`.',
    '',
    table,
    '',
    '- Fan-out: N clients in the sample draft, W typing 10 keystrokes/s (each a Y.Doc), the rest raw sockets; latency from a',
    "  keystroke's send to its arrival at each of the other N − 1 clients (first second not counted).",
    '- Throughput: 4 documents × 2 writers sending prepared one-character updates with a window of 256; ours counts',
    '  updates acknowledged as stored (message 100); the baseline relays first, so it is stopped when the run ends and its',
    '  LevelDB is read to count what it had stored (relayed per second in brackets).',
    '- Join: socket opened → complete sync step 2, in a 1 MB document built by 50k edits while 50 clients type.',
    '- Cold open: history sent as edits, server stopped, its data copied per run; socket opened → client holds everything.',
    '- Memory: VmRSS idle, with the documents open (one client typing 20 keystrokes each), and 5 s after all left and',
    '  the documents unloaded.',
    '- Many documents: 2 clients per document, each typing 1 keystroke/s; latency to the other client.',
  ].join('\n')
}

async function main() {
  const options = parseArgs(process.argv.slice(2))
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
    log: (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
  }
  const results: ScenarioResult[] = []
  for (const name of names) {
    ctx.log(`== ${name}`)
    results.push(await SCENARIOS[name]!(ctx))
  }
  environment.loadAverageAfter = loadavg()
  const finished = { ...environment, durationSeconds: (Date.now() - started) / 1000 }
  const table = markdownTable(results)
  process.stdout.write(`\n${describeEnvironment(finished)}\n\n${table}\n`)
  if ((!options.quick && !options.only) || options.write) {
    await writeResults(join(ROOT, 'bench/results.json'), finished, results)
    await updateReadme(join(ROOT, 'README.md'), readmeBody(finished, table))
    process.stdout.write('\nWrote bench/results.json and the README benchmark section.\n')
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
