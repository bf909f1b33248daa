import { describe, expect, it } from 'vitest'
import { runChaos } from '../fuzz/chaos.js'

/**
 * The chaos fuzzer (test/fuzz/chaos.ts) in a short configuration for CI: five stock clients, a few
 * hundred random operations on the real schema with comments, disconnects, and three restarts
 * (SIGTERM, kill -9, SIGTERM). The long mode is `npm run fuzz -- --rounds 10000`. Replay a failure
 * with CHAOS_SEED=<seed> or `npm run fuzz -- --seed <seed> --rounds 300`.
 */

const SEEDS = process.env.CHAOS_SEED ? [Number(process.env.CHAOS_SEED)] : [60_601, 2_026]

describe('chaos through the real server (THREAT_MODEL.md P13)', () => {
  for (const seed of SEEDS) {
    it(`converges with 5 clients under random edits, splits, Pasal inserts and deletes, comments, disconnects, SIGTERM and kill -9 restarts: every client, a fresh load and a reload after restart are identical and every thread is kept (seed ${seed})`, async () => {
      const report = await runChaos({ seed, rounds: 300, clients: 5, restarts: 3 })
      expect(report.restarts).toBe(3)
      expect(report.kills).toBe(1)
      for (const operation of ['insert text', 'delete text', 'split ayat', 'insert pasal', 'delete pasal', 'comment', 'disconnect']) {
        expect(
          report.operations[operation] ?? 0,
          `seed ${seed} should exercise "${operation}" (${JSON.stringify(report.operations)})`,
        ).toBeGreaterThan(0)
      }
    }, 60_000)
  }
})
