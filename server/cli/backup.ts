import { fileArgument, runCommand } from './command.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import { readConfig, type Config } from '../config.js'
import { LevelStorage } from '../storage/leveldb.js'
import { openStorage } from '../storage/open.js'
import type { RawStorage } from '../storage/types.js'
import { readSecret } from '../auth/secret.js'
import { encodeBackup, BackupFormatError } from '../backup/format.js'
import { saveBackup, snapshotBackup } from '../backup/backup.js'
import { BACKUP_PROOF_HEADER, createBackupProof } from '../backup/proof.js'
import { BACKUP_PATH } from '../http/routes/backup.js'

/**
 * `npm run backup -- <file>`: one consistent backup of DATA_DIR (every database record and the
 * token secret) into <file>, whether the server runs or not. With DATABASE_URL the records are
 * read straight from PostgreSQL, from one snapshot, running servers or not. Running, the server holds LevelDB's
 * lock, so the backup is asked of it over HOST/PORT (GET /api/backup, with a proof made from
 * DATA_DIR/secret.key); stopped, this opens the database itself. Either way <file> appears only
 * whole and verified. Exit 0 on success, 1 when it fails, 2 for wrong usage.
 */

const USAGE = `Penggunaan: npm run backup -- <berkas>

  Menulis cadangan lengkap DATA_DIR (semua data dan kunci rahasia token) ke <berkas>,
  sebagai satu titik waktu yang konsisten. Bekerja saat server berjalan (cadangan diminta
  dari server lewat HOST dan PORT yang sama dengan server) maupun saat server berhenti.
  Pulihkan dengan: npm run restore -- <berkas>`

class BackupFailure extends Error {}

/** Where this machine reaches a server listening on `host` (a wildcard address is reached over loopback). */
function serverUrl(config: Config): string {
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}${BACKUP_PATH}`
}

async function fromRunningServer(config: Config, secret: Uint8Array, file: string) {
  const url = serverUrl(config)
  let response: Response
  try {
    response = await fetch(url, { headers: { [BACKUP_PROOF_HEADER]: createBackupProof(secret) } })
  } catch (error) {
    throw new BackupFailure(
      `DATA_DIR ${config.dataDir} dipakai server yang berjalan, tetapi server tidak menjawab di ${url} ` +
        `(${(error as { cause?: Error }).cause?.message ?? (error as Error).message}). ` +
        'Jalankan npm run backup dengan PORT dan HOST yang sama dengan server.',
    )
  }
  if (response.status !== 200 || !response.body) {
    const text = await response.text()
    const message = (() => {
      try {
        return (JSON.parse(text) as { error?: string }).error ?? text
      } catch {
        return text
      }
    })()
    throw new BackupFailure(`Server di ${url} menolak membuat cadangan (${response.status}): ${message}`)
  }
  return saveBackup(file, Readable.fromWeb(response.body as ReadableStream<Uint8Array>))
}

async function fromStoppedServer(storage: RawStorage & { close(): Promise<void> }, secret: Uint8Array, file: string) {
  try {
    return await saveBackup(file, encodeBackup(await snapshotBackup(storage, secret)))
  } finally {
    await storage.close()
  }
}

async function run(argv: string[]): Promise<number> {
  const file = fileArgument(argv, USAGE, 'Sebutkan tepat satu berkas tujuan.')
  if (file === null) return 0
  const config = readConfig()
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'db')))
    throw new BackupFailure(`Tidak ada basis data Rancang di DATA_DIR ${config.dataDir}.`)
  const secret = await readSecret(config.dataDir)
  if (!secret) throw new BackupFailure(`DATA_DIR ${config.dataDir} tidak berisi secret.key; itu bukan DATA_DIR Rancang yang utuh.`)

  let storage: (RawStorage & { close(): Promise<void> }) | null = null
  try {
    // PostgreSQL gives any number of readers one consistent snapshot each, running servers or not.
    storage = config.databaseUrl ? await openStorage(config) : await LevelStorage.open(join(config.dataDir, 'db'))
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'LEVEL_LOCKED') throw error
  }
  const online = storage === null
  const { header, records } = storage ? await fromStoppedServer(storage, secret, file) : await fromRunningServer(config, secret, file)
  process.stdout.write(
    `Cadangan ditulis ke ${file}: ${records} catatan dan kunci rahasia, per ${header.createdAt} ` +
      `(format penyimpanan ${header.storageFormat}; ${online ? 'diambil dari server yang berjalan' : config.databaseUrl ? 'dibaca langsung dari PostgreSQL' : 'server tidak berjalan'}).\n`,
  )
  return 0
}

runCommand(run(process.argv.slice(2)), USAGE, (error) => {
  const reason = error instanceof BackupFormatError ? `cadangan yang diterima rusak: ${error.message}` : (error as Error)?.message
  return `Gagal membuat cadangan: ${reason ?? String(error)}`
})
