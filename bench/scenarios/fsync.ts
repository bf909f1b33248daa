import { LevelStorage } from '../../server/storage/leveldb.js'
import { DEFAULT_META } from '../../shared/documents.js'
import { keystrokeHistory, templateState } from '../content.js'
import { Runs, type BenchContext, type Metrics, type ScenarioResult } from '../scenario.js'
import { removeDir, tempDir } from '../servers.js'
import { Samples } from '../stats.js'

const WRITES = 2000
const DOC = 'lantai-simpan'

/**
 * What the fsync costs a stored keystroke: one keystroke's batch written through our LevelDB
 * storage, one after another, with and without fsync, in-process on the bench's temporary disk.
 * Our server relays before the fsync (SPEC S1), so this is what an acknowledgement waits for.
 */
export async function fsync(ctx: BenchContext): Promise<ScenarioResult> {
  const writes = await measureWrites(ctx)
  ctx.log(
    `fsync: one-keystroke batch p50/p99 ${writes.sync.p50!.median.toFixed(2)}/${writes.sync.p99!.median.toFixed(2)} ms with fsync, ` +
      `${writes.noSync.p50!.median.toFixed(2)}/${writes.noSync.p99!.median.toFixed(2)} ms without`,
  )
  return {
    id: 'fsync',
    title: 'Relay before fsync',
    setup: {
      writes: `${WRITES} one-keystroke batches (log entry and last-modified record), written one after another`,
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
        note: 'both columns are our LevelDB storage; the difference is what the fsync adds to a stored keystroke: since the relay no longer waits for it, only its acknowledgement (message 100) does.',
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
