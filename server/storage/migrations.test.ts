import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LevelStorage } from './leveldb.js'
import { CURRENT_FORMAT_VERSION, FormatTooNewError, MIGRATIONS, migrateStorage, type Migration } from './migrations.js'

const dirs: string[] = []
async function open(): Promise<LevelStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'rancang-migrations-'))
  dirs.push(dir)
  return LevelStorage.open(dir)
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

const noBackup = { beforeMigrating: async () => expect.unreachable('no backup for a database already current') }

describe('storage format migrations', () => {
  it('numbers the steps 2, 3, … in order, the last being the current format', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 2))
    expect(CURRENT_FORMAT_VERSION).toBe(MIGRATIONS.at(-1)!.version)
  })

  it('records the current format on a new database without a backup or a step', async () => {
    const storage = await open()
    expect(await migrateStorage(storage, noBackup)).toMatchObject({ from: CURRENT_FORMAT_VERSION, applied: [] })
    expect(await storage.getFormatVersion()).toBe(CURRENT_FORMAT_VERSION)
    await storage.close()
  })

  it('takes a database with records but no format as format 1 and runs every step after the backup hook, recording each', async () => {
    const storage = await open()
    await storage.putSetting('seeded', Uint8Array.of(1))
    const seen: string[] = []
    const steps: Migration[] = [2, 3].map((version) => ({
      version,
      description: `step ${version}`,
      apply: async (s) => {
        seen.push(`apply ${version} at ${await s.getFormatVersion()}`)
        await s.putSetting(`step-${version}`, Uint8Array.of(version))
      },
    }))
    const result = await migrateStorage(storage, {
      migrations: steps,
      beforeMigrating: async (from, to) => {
        seen.push(`backup ${from}→${to} at ${await storage.getFormatVersion()}`)
      },
    })
    expect(result).toMatchObject({ from: 1, to: 3 })
    expect(seen).toEqual(['backup 1→3 at undefined', 'apply 2 at undefined', 'apply 3 at 2'])
    expect(await storage.getFormatVersion()).toBe(3)
    expect(await storage.getSetting('step-3')).toEqual(Uint8Array.of(3))
    await storage.close()
  })

  it('changes nothing when the backup before migrating fails', async () => {
    const storage = await open()
    await storage.putSetting('seeded', Uint8Array.of(1))
    const failing = { beforeMigrating: async () => Promise.reject(new Error('disk full')) }
    await expect(migrateStorage(storage, failing)).rejects.toThrow('disk full')
    expect(await storage.getFormatVersion()).toBeUndefined()
    await storage.close()
  })

  it('refuses a database in a newer format and leaves it as it is', async () => {
    const storage = await open()
    await storage.putFormatVersion(CURRENT_FORMAT_VERSION + 1)
    await expect(migrateStorage(storage, noBackup)).rejects.toBeInstanceOf(FormatTooNewError)
    expect(await storage.getFormatVersion()).toBe(CURRENT_FORMAT_VERSION + 1)
    await storage.close()
  })
})
