import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

const SECRET_FILE = 'secret.key'

/**
 * The token-signing secret: 32 random bytes generated on first start into DATA_DIR/secret.key
 * (mode 0600). Deleting the file signs everyone out.
 */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, SECRET_FILE)
  try {
    const secret = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url')
    if (secret.length >= 32) return new Uint8Array(secret)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const secret = randomBytes(32)
  await writeFile(path, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'w' })
  return new Uint8Array(secret)
}
