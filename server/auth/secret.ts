import { randomBytes } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { join } from 'node:path'

const SECRET_FILE = 'secret.key'
const MIN_SECRET_BYTES = 32
/** The setting that holds the secret when servers share a PostgreSQL database. */
export const SECRET_SETTING = 'secret.key'

/** A setting written once: whoever writes first wins, everyone reads that value. */
export interface SettledSetting {
  settleSetting(name: string, candidate: Uint8Array): Promise<Uint8Array>
}

/** Where the token-signing secret of a data directory lives. */
export const secretPath = (dataDir: string) => join(dataDir, SECRET_FILE)

/** The secret in `dataDir`, or undefined when there is none (or it is too short to be one). */
export async function readSecret(dataDir: string): Promise<Uint8Array | undefined> {
  try {
    const secret = Buffer.from((await readFile(secretPath(dataDir), 'utf8')).trim(), 'base64url')
    return secret.length >= MIN_SECRET_BYTES ? new Uint8Array(secret) : undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Writes `secret` as `dataDir`'s secret (mode 0600), fsynced. */
export async function writeSecret(dataDir: string, secret: Uint8Array): Promise<void> {
  const file = await open(secretPath(dataDir), 'w', 0o600)
  try {
    await file.writeFile(`${Buffer.from(secret).toString('base64url')}\n`)
    await file.sync()
  } finally {
    await file.close()
  }
}

/**
 * The token-signing secret: 32 random bytes generated on first start into DATA_DIR/secret.key
 * (mode 0600). Deleting the file signs everyone out.
 */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const existing = await readSecret(dataDir)
  if (existing) return existing
  const secret = new Uint8Array(randomBytes(MIN_SECRET_BYTES))
  await writeSecret(dataDir, secret)
  return secret
}

/**
 * The secret of servers sharing a database (PostgreSQL): kept in the database, so every server
 * signs and verifies tokens with the same one. The first server writes it: the key of its DATA_DIR
 * if it has one (sessions from before the move stay valid), else a new one; each server keeps a
 * copy in its DATA_DIR.
 */
export async function loadOrCreateSharedSecret(database: SettledSetting, dataDir: string): Promise<Uint8Array> {
  const file = await readSecret(dataDir)
  const secret = await database.settleSetting(SECRET_SETTING, file ?? new Uint8Array(randomBytes(MIN_SECRET_BYTES)))
  // Mirrored into DATA_DIR: `npm run backup` on this machine proves itself to the server with the file.
  if (!file || Buffer.compare(file, secret) !== 0) await writeSecret(dataDir, secret)
  return secret
}
