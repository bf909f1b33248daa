import { parseArgs } from 'node:util'
import { ChaosFailure, runChaos } from './chaos.js'

/**
 * The long mode of the chaos fuzzer:
 *   npm run fuzz -- --rounds 10000 [--seed N] [--clients N] [--restarts N]
 * Prints the seed first (replay with --seed), progress as it goes, and exits 1 when the clients,
 * the server or the stored document diverge or a thread is lost.
 */

const USAGE = 'usage: npm run fuzz -- [--rounds N] [--seed N] [--clients N] [--restarts N]'

function integer(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got "${value}"\n${USAGE}`)
    process.exit(2)
  }
  return parsed
}

let values: Record<string, string | boolean | undefined>
try {
  values = parseArgs({
    options: {
      rounds: { type: 'string' },
      seed: { type: 'string' },
      clients: { type: 'string' },
      restarts: { type: 'string' },
      help: { type: 'boolean' },
    },
  }).values
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`)
  process.exit(2)
}
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

const rounds = integer(values.rounds as string | undefined, 'rounds', 10_000, 1)
const seed = integer(values.seed as string | undefined, 'seed', Math.floor(Math.random() * 2 ** 31), 0)
const clients = integer(values.clients as string | undefined, 'clients', 5, 1)
const restarts = values.restarts === undefined ? undefined : integer(values.restarts as string, 'restarts', 0, 0)

console.log(
  `chaos: seed ${seed}, ${rounds} rounds, ${clients} clients (replay: npm run fuzz -- --seed ${seed} --rounds ${rounds} --clients ${clients})`,
)
const started = Date.now()
try {
  const report = await runChaos({
    seed,
    rounds,
    clients,
    restarts,
    convergeTimeoutMs: 60_000,
    progressEvery: Math.max(100, Math.floor(rounds / 20)),
    onProgress: (p) =>
      console.log(
        `  round ${p.round}/${p.rounds}: ${p.restarts} restarts (${p.kills} kill -9), ${p.threads} threads, ${p.replies} replies, ${p.pasal} pasal, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ),
  })
  console.log(
    `converged: seed ${seed}, ${rounds} rounds in ${(report.durationMs / 1000).toFixed(1)} s; operations ${JSON.stringify(report.operations)}`,
  )
  process.exit(0)
} catch (error) {
  if (error instanceof ChaosFailure) console.error(`DIVERGED — ${error.message}`)
  else console.error(`chaos run failed (seed ${seed}):`, error)
  process.exit(1)
}
