import { mkdtemp, readdir, readlink, rm, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LevelLogs } from './levelLogs.js'

/** The files this process holds open under `dir` (Linux: /proc/self/fd). */
async function openUnder(dir: string): Promise<string[]> {
  const names: string[] = []
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '')
    if (target.startsWith(`${dir}/`)) names.push(target.slice(dir.length + 1))
  }
  return names.sort()
}

describe('LevelLogs', () => {
  let dir = ''
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('syncs every write-ahead log there is — the previous one after a memtable switch too — and nothing else, letting go of deleted ones (S1)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rancang-levellogs-'))
    for (const name of ['000003.log', '000005.log', 'LOG', 'LOG.old', 'MANIFEST-000002', 'CURRENT', '000004.ldb'])
      await writeFile(join(dir, name), 'x')
    const logs = new LevelLogs(dir)
    await logs.sync()
    expect(await openUnder(dir)).toEqual(['000003.log', '000005.log'])

    // LevelDB deletes a log once its memtable is a table, and starts a new one at the next switch.
    await unlink(join(dir, '000003.log'))
    await writeFile(join(dir, '000007.log'), 'x')
    await logs.sync()
    expect(await openUnder(dir)).toEqual(['000005.log', '000007.log'])

    await logs.close()
    expect(await openUnder(dir)).toEqual([])
  })

  it('gives every caller that comes while a sync runs one next sync, which begins after their calls', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rancang-levellogs-'))
    await writeFile(join(dir, '000003.log'), 'x')
    const logs = new LevelLogs(dir)
    const running = logs.sync()
    // A group commit, a compaction and a comment, while the first sync runs.
    const [a, b, c] = [logs.sync(), logs.sync(), logs.sync()]
    expect(a).not.toBe(running)
    expect(b).toBe(a)
    expect(c).toBe(a)
    await Promise.all([running, a])
    const later = logs.sync()
    expect(later).not.toBe(a)
    await later
    await logs.close()
    expect(await openUnder(dir)).toEqual([])
  })
})
