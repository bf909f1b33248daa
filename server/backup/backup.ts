import { createReadStream } from 'node:fs'
import { open, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { RawStorage } from '../storage/types.js'
import { storedFormatVersion } from '../storage/migrations.js'
import { verifyBackup, type BackupContents, type BackupHeader } from './format.js'

/**
 * What a backup holds, from one snapshot of `storage` taken now: every record, whatever its kind,
 * and the token secret.
 */
export async function snapshotBackup(storage: RawStorage, secret: Uint8Array): Promise<BackupContents> {
  const entries = storage.entries()
  const createdAt = new Date().toISOString()
  return { header: { createdAt, storageFormat: await storedFormatVersion(storage) }, secret, entries }
}

/** A backup file's bytes, in chunks. */
export const readBackupFile = (path: string): AsyncIterable<Uint8Array> => createReadStream(path, { highWaterMark: 1024 * 1024 })

/** `backup-before-v2-2026-01-31T10-15-00Z.backup`: the backup a migration to `version` writes first. */
export const migrationBackupName = (version: number, at: Date) =>
  `backup-before-v${version}-${at
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-')}.backup`

/** Makes a rename in `path` durable. */
export async function fsyncDirectory(path: string) {
  const directory = await open(path, 'r')
  try {
    await directory.sync()
  } finally {
    await directory.close()
  }
}

/**
 * Writes the backup streamed as `chunks` to `path`, so that `path` only ever names a whole,
 * verified backup: the bytes go to a temporary file beside it (mode 0600: a backup holds password
 * hashes and the token secret), which is fsynced, read back and verified, and only then renamed
 * to `path`. On any failure the temporary file is removed and `path` is untouched.
 */
export async function saveBackup(path: string, chunks: AsyncIterable<Uint8Array>): Promise<{ header: BackupHeader; records: number }> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`)
  try {
    const file = await open(temporary, 'wx', 0o600)
    try {
      await writeFile(file, chunks)
      await file.sync()
    } finally {
      await file.close()
    }
    const verified = await verifyBackup(readBackupFile(temporary))
    await rename(temporary, path)
    await fsyncDirectory(dirname(path))
    return verified
  } catch (error) {
    await rm(temporary, { force: true })
    throw error
  }
}
