import { access, mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises'
import { join } from 'node:path'
import { createDatabase } from '../storage/leveldb.js'
import { CURRENT_FORMAT_VERSION } from '../storage/migrations.js'
import { secretPath, writeSecret } from '../auth/secret.js'
import { decodeBackup, verifyBackup, type BackupHeader } from './format.js'
import { fsyncDirectory, readBackupFile } from './backup.js'

/** The restore was refused before anything was written; the message says why, in Indonesian. */
export class RestoreRefusal extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestoreRefusal'
  }
}

/** Left by mkfs on a filesystem mounted as DATA_DIR; it is not Rancang's. */
const FILESYSTEM_ENTRIES = new Set(['lost+found'])

/** Refuses a DATA_DIR holding anything; true when it does not exist yet. */
async function checkEmpty(dataDir: string): Promise<boolean> {
  let names: string[]
  try {
    names = (await readdir(dataDir)).filter((name) => !FILESYSTEM_ENTRIES.has(name))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return true
    if (code === 'ENOTDIR') throw new RestoreRefusal(`DATA_DIR ${dataDir} bukan direktori.`)
    throw error
  }
  if (names.length > 0) {
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '')
    throw new RestoreRefusal(
      `DATA_DIR ${dataDir} tidak kosong (berisi ${shown}). Pemulihan hanya ke DATA_DIR kosong: ` +
        'pindahkan isinya ke tempat lain atau pakai DATA_DIR baru, lalu ulangi.',
    )
  }
  return false
}

/**
 * Restores the backup file `file` into the empty (or missing) directory `dataDir`: the whole
 * file is read and verified first (magic, version, structure, count, checksum), then the database
 * is written into a temporary directory inside `dataDir` and renamed into place, the secret
 * beside it. A refusal (`RestoreRefusal`, or `BackupFormatError` for a damaged file) changes
 * nothing. The server must be stopped; it would hold a non-empty `dataDir` anyway.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<{ header: BackupHeader; records: number }> {
  const missing = await checkEmpty(dataDir)
  await access(file).catch(() => {
    throw new RestoreRefusal(`Berkas cadangan ${file} tidak dapat dibaca.`)
  })
  const { header } = await verifyBackup(readBackupFile(file))
  if (header.storageFormat > CURRENT_FORMAT_VERSION) {
    throw new RestoreRefusal(
      `Cadangan ini dibuat oleh Rancang yang lebih baru (format penyimpanan ${header.storageFormat}; versi ini mengenal sampai ${CURRENT_FORMAT_VERSION}). ` +
        'Pulihkan dengan versi Rancang itu atau yang lebih baru.',
    )
  }

  await mkdir(dataDir, { recursive: true })
  const work = await mkdtemp(join(dataDir, '.restore-'))
  try {
    // Read again rather than kept from the check: the database is written as the file streams.
    const { secret, entries } = await decodeBackup(readBackupFile(file))
    const records = await createDatabase(join(work, 'db'), entries)
    await writeSecret(work, secret)
    // The database first: a crash between the two leaves data and a missing secret (everyone
    // signs in again), never a secret beside no data (a new, empty server).
    await rename(join(work, 'db'), join(dataDir, 'db'))
    await rename(secretPath(work), secretPath(dataDir))
    await rmdir(work)
    await fsyncDirectory(dataDir)
    return { header, records }
  } catch (error) {
    await rm(work, { recursive: true, force: true })
    if (missing) await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}
