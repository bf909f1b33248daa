import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { availableParallelism } from 'node:os'

/**
 * Password hashing with scrypt (memory-hard), a random 16-byte salt per password, and the
 * parameters stored beside the hash so they can be raised later without breaking old hashes:
 *   scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>
 */

const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32

/**
 * Hashes running at once. scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE
 * says otherwise), the same pool LevelDB reads and writes on: a burst of sign-ins with unbounded
 * hashing fills it and stalls storage, and with it every edit (stored before it is relayed).
 * One or two hashes leave the pool to storage and a core to the event loop; further attempts queue.
 */
export const HASH_CONCURRENCY = Math.max(1, Math.min(2, availableParallelism() - 1))

let running = 0
const waiting: Array<() => void> = []

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASH_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve))
  else running += 1
  try {
    return await work()
  } finally {
    // The freed place passes straight to the next in line, so `running` never overshoots.
    const next = waiting.shift()
    if (next) next()
    else running -= 1
  }
}

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * params.p * 2 }
  return limited(
    () =>
      new Promise((resolve, reject) =>
        scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

/** Hash of a random password: compared against when the username does not exist, so timing does not tell. */
let decoy: Promise<string> | undefined
export const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')))

export const MIN_PASSWORD_LENGTH = 10

/** Why a password is too weak, in Indonesian, or null when it is acceptable. */
export function passwordWeakness(password: string, username: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter.`
  if (new Set(password).size < 4) return 'Kata sandi terlalu mudah ditebak: gunakan lebih banyak karakter berbeda.'
  if (password.toLowerCase().includes(username.toLowerCase())) return 'Kata sandi tidak boleh memuat nama pengguna.'
  return null
}

/** A random password for generated accounts: 20 characters from an unambiguous alphabet. */
export function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('')
}
