import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Proof that whoever asks the running server for a backup can read DATA_DIR: an HMAC-SHA-256 of
 * the time, keyed with the token secret in DATA_DIR/secret.key. Being on the server machine is
 * not enough (a reverse proxy there forwards everyone's requests from 127.0.0.1); reading DATA_DIR
 * is what a backup gives anyway. The time bounds a replay of an overheard proof.
 */

export const BACKUP_PROOF_HEADER = 'x-rancang-backup-proof'
/** How far the proof's time may be from the server's clock. */
const MAX_SKEW_MS = 60_000
/**
 * Keeps these MACs apart from token signatures made with the same secret: a JWT's signed input is
 * base64url and '.', never a newline.
 */
const PURPOSE = 'rancang-backup\n'

const mac = (secret: Uint8Array, time: string) => createHmac('sha256', secret).update(`${PURPOSE}${time}`).digest()

/** The header value: `<milliseconds since the epoch>.<base64url HMAC>`. */
export function createBackupProof(secret: Uint8Array, now = Date.now()): string {
  const time = String(now)
  return `${time}.${mac(secret, time).toString('base64url')}`
}

/** Whether `proof` was made with `secret` within a minute of `now`. */
export function verifyBackupProof(secret: Uint8Array, proof: string | undefined, now = Date.now()): boolean {
  const match = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(proof ?? '')
  if (!match) return false
  const [, time, signature] = match
  if (Math.abs(Number(time) - now) > MAX_SKEW_MS) return false
  return timingSafeEqual(Buffer.from(signature!, 'base64url'), mac(secret, time!))
}
