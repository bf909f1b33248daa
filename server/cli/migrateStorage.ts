import { parseArgs } from 'node:util'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readConfig } from '../config.js'
import { LevelStorage } from '../storage/leveldb.js'
import { PostgresStorage } from '../storage/postgres/postgresStorage.js'
import { EntryDigest, differingKinds, type KindSummary } from '../storage/entryDigest.js'
import { StorageUnavailableError } from '../storage/types.js'
import { runCommand, UsageError } from './command.js'
import { readSecret, SECRET_SETTING } from '../auth/secret.js'

/**
 * `npm run migrate-storage -- --to postgres`: copies the LevelDB database of DATA_DIR into the
 * empty PostgreSQL database at DATABASE_URL, with every server stopped, and verifies the copy
 * (records and a SHA-256 per kind, read back before the copy is committed). All or nothing: a
 * refused or failed copy leaves PostgreSQL as it was. DATA_DIR is only read (it keeps secret.key,
 * whose key is copied into the database, where servers sharing it read it). Exit 0 on success, 1 when refused or failed, 2 for
 * wrong usage.
 */

const USAGE = `Penggunaan: npm run migrate-storage -- --to postgres

  Menyalin basis data LevelDB di DATA_DIR ke basis data PostgreSQL yang kosong di DATABASE_URL,
  lalu memeriksa salinannya (jumlah catatan dan SHA-256 per jenis) sebelum disimpan.
  Hentikan server dulu. DATA_DIR tidak diubah; kunci secret.key-nya ikut disalin ke basis data.`

class MigrationRefused extends Error {}

/** The per-kind table printed after a copy. */
const table = (summary: ReadonlyMap<string, KindSummary>) =>
  [...summary].map(([kind, { count, digest }]) => `  ${kind.padEnd(12)} ${String(count).padStart(8)}  sha256 ${digest.slice(0, 16)}…`).join('\n')

async function run(argv: string[]): Promise<number> {
  let to: string | undefined
  try {
    const { values } = parseArgs({ args: argv, options: { to: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true })
    if (values.help) {
      process.stdout.write(`${USAGE}\n`)
      return 0
    }
    to = values.to
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (to !== 'postgres') throw new UsageError('Sebutkan tujuan: --to postgres (satu-satunya tujuan yang didukung).')
  const config = readConfig()
  if (!config.databaseUrl) throw new MigrationRefused('DATABASE_URL belum diisi: sebutkan basis data PostgreSQL tujuan (postgres://…).')
  const location = join(config.dataDir, 'db')
  if (!existsSync(location)) throw new MigrationRefused(`Tidak ada basis data Rancang di DATA_DIR ${config.dataDir}.`)

  let source: LevelStorage
  try {
    source = await LevelStorage.open(location)
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'LEVEL_LOCKED') throw error
    throw new MigrationRefused(`DATA_DIR ${config.dataDir} sedang dipakai server yang berjalan. Hentikan server dulu.`)
  }
  try {
    const target = await PostgresStorage.open(config.databaseUrl)
    try {
      if (!(await target.isEmpty())) {
        throw new MigrationRefused('Basis data PostgreSQL tujuan sudah berisi data Rancang. Gunakan basis data yang kosong; tidak ada yang diubah.')
      }
      const copied = new EntryDigest()
      const readBack = new EntryDigest()
      const records = await target.importEntries(copied.through(source.entries()), async (copy) => {
        for await (const entry of copy) readBack.add(entry)
        const differing = differingKinds(copied.summary(), readBack.summary())
        if (differing.length > 0)
          throw new MigrationRefused(`Salinan berbeda dari sumbernya pada jenis: ${differing.join(', ')}. Tidak ada yang disimpan.`)
      })
      // The servers sharing the database sign tokens with this key from now on: sessions stay valid.
      const key = await readSecret(config.dataDir)
      if (key) await target.settleSetting(SECRET_SETTING, key)
      process.stdout.write(
        `Disalin ke PostgreSQL dan diperiksa: ${records} catatan, sama persis dengan DATA_DIR ${config.dataDir}.\n${table(readBack.summary())}\n` +
          'Jalankan server dengan DATABASE_URL yang sama; kunci secret.key sudah ada di basis data, jadi sesi masuk tetap berlaku.\n',
      )
      return 0
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

runCommand(run(process.argv.slice(2)), USAGE, (error) => {
  if (error instanceof MigrationRefused) return `Migrasi ditolak: ${error.message}`
  if (error instanceof StorageUnavailableError) return 'Migrasi gagal: PostgreSQL di DATABASE_URL tidak dapat dihubungi.'
  return `Migrasi gagal (PostgreSQL tidak diubah): ${(error as Error)?.message ?? String(error)}`
})
