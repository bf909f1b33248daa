import { LevelStorage } from '../../server/storage/leveldb.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { keystrokeHistory, templateState } from '../content.js'
import { Runs, type BenchContext, type Metrics, type ScenarioResult } from '../scenario.js'
import { removeDir, startOurs, tempDir } from '../servers.js'
import { Samples } from '../stats.js'
import { latencyRow } from '../typing.js'
import { compareFanout, RATE } from './fanout.js'

const FANOUT = [50, 5] as const
const WRITES = 2000
/** Shorter than the fan-out rows' 8 s: the row must stay under a minute of the bench. */
const DURATION_MS = 5000
const DOC = 'lantai-simpan'

/**
 * What relaying before the fsync could gain at most: our fan-out with fsync on (as it is) and with
 * SYNC_WRITES=false (no fsync anywhere, the most any relay-before-fsync could take off the path),
 * and the floor under the storage step itself: one keystroke's batch written through our LevelDB
 * storage, one after another, with and without fsync, in-process on the bench's temporary disk.
 */
export async function fsync(ctx: BenchContext): Promise<ScenarioResult> {
  const writes = await measureWrites(ctx)
  ctx.log(
    `fsync: one-keystroke batch p50/p99 ${writes.sync.p50!.median.toFixed(2)}/${writes.sync.p99!.median.toFixed(2)} ms with fsync, ` +
      `${writes.noSync.p50!.median.toFixed(2)}/${writes.noSync.p99!.median.toFixed(2)} ms without`,
  )
  const [n, w] = FANOUT
  const { ours: on, baseline: off } = await compareFanout(
    ctx,
    FANOUT,
    RATE,
    {
      ours: { label: 'fsync on', start: () => startOurs({ nodeArgs: ctx.oursNodeArgs }) },
      baseline: { label: 'fsync off', start: () => startOurs({ env: { SYNC_WRITES: 'false' } }) },
    },
    DURATION_MS,
  )
  const fanout = { on, off }
  return {
    id: 'fsync',
    title: 'Relay before fsync',
    setup: {
      writes: `${WRITES} one-keystroke batches (log entry and last-modified record), written one after another`,
      fanout: { clients: n, writers: w, durationMs: DURATION_MS, on: 'default', off: 'SYNC_WRITES=false' },
    },
    rows: [
      {
        scenario: 'Relay before fsync',
        case: 'one-keystroke batch, in-process: fsync (Ours) ÷ no fsync (Baseline column)',
        measure: 'p50 / p99 (ms)',
        ours: writes.sync,
        baseline: writes.noSync,
        show: ['p50', 'p99'],
        digits: 2,
        ratioOf: 'p99',
        target: '—',
        met: null,
        note: 'both columns are our LevelDB storage; the difference is what fsync adds to each stored keystroke.',
      },
      // Both columns are ours: no target.
      {
        ...latencyRow('Relay before fsync', `fan-out N=${n}, W=${w}: fsync (Ours) ÷ no fsync (Baseline column)`, fanout.on, fanout.off),
        target: '—',
        met: null,
        note: 'both columns are our server; "Baseline" here is ours with SYNC_WRITES=false: the upper bound of relaying before the fsync.',
      },
    ],
  }
}

/** p50/p99 of one keystroke's batch through LevelStorage.appendUpdates, with and without fsync. */
async function measureWrites(ctx: BenchContext): Promise<{ sync: Metrics; noSync: Metrics }> {
  const { updates } = keystrokeHistory(templateState('Bench'), WRITES, 7)
  const runs = new Runs()
  const by = { username: 'bench', name: 'Bench', bidang: 'Bench' }
  for (let r = 0; r < ctx.repeats; r++) {
    for (const [kind, sync] of [
      ['ours', true],
      ['baseline', false],
    ] as const) {
      const dir = await tempDir('fsync')
      const storage = await LevelStorage.open(dir, { sync })
      try {
        const record = { id: DOC, title: 'Lantai', createdAt: new Date().toISOString(), epoch: 'bench', meta: DEFAULT_META }
        await storage.createDocument(record, templateState('Bench'))
        const samples = new Samples()
        for (let i = 0; i < updates.length; i++) {
          const started = performance.now()
          await storage.appendUpdates([{ docId: DOC, clock: i + 1, update: updates[i]!, modified: { at: new Date().toISOString(), by } }])
          samples.add(performance.now() - started)
        }
        const { p50, p99 } = samples.summary()
        runs.add(kind, { p50, p99 })
      } finally {
        await storage.close()
        await removeDir(dir)
      }
    }
  }
  return { sync: runs.metrics('ours'), noSync: runs.metrics('baseline') }
}
