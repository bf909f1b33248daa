import { createHash, type Hash } from 'node:crypto'
import type { RawEntry } from '../storage/types.js'

/**
 * The backup file, version 1. Streamed both ways, so a database never has to fit in memory:
 *
 *   "RANCANG-BACKUP 1\n"                         magic and backup format version (text, for `head -2`)
 *   {"createdAt","storageFormat"} "\n"           header (JSON, one line)
 *   0x02 u32 length, secret                      the token secret (DATA_DIR/secret.key), once
 *   0x01 u32 length, key, u32 length, value      one database record, raw; keys strictly ascending
 *   0x00 u64 records                             end, with the number of records
 *   SHA-256 of every byte above (32 bytes)       then nothing
 *
 * Integers are big-endian. The count sits at the end because the records are streamed from one
 * snapshot as they are read; the checksum covers every byte before it, so any change to the file
 * is found before anything is restored.
 */

const MAGIC = 'RANCANG-BACKUP '
export const BACKUP_FORMAT_VERSION = 1
const TAG_END = 0x00
const TAG_RECORD = 0x01
const TAG_SECRET = 0x02
const DIGEST_BYTES = 32
const MAX_HEADER_BYTES = 4096
const MAX_KEY_BYTES = 1024 * 1024
const MAX_VALUE_BYTES = 1024 * 1024 * 1024
const MIN_SECRET_BYTES = 32
/** Output is gathered into chunks of about this size: few writes, bounded memory. */
const CHUNK_BYTES = 64 * 1024

export interface BackupHeader {
  /** ISO time the backup's snapshot was taken. */
  readonly createdAt: string
  /** Storage format of the records (server/storage/migrations.ts). */
  readonly storageFormat: number
}

export interface BackupContents {
  readonly header: BackupHeader
  readonly secret: Uint8Array
  /** Strictly ascending by key, as a LevelDB iterator gives them. */
  readonly entries: AsyncIterable<RawEntry>
}

/** The file is not a whole, unchanged Rancang backup; the message says what is wrong, in Indonesian. */
export class BackupFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupFormatError'
  }
}

const uint32 = (value: number) => {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value)
  return bytes
}

/** The backup file's bytes, in chunks, as `contents.entries` yields its records. */
export async function* encodeBackup(contents: BackupContents): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256')
  let parts: Uint8Array[] = []
  let size = 0
  const take = () => {
    const chunk = Buffer.concat(parts, size)
    parts = []
    size = 0
    hash.update(chunk)
    return chunk
  }
  const push = (...bytes: Uint8Array[]) => {
    for (const part of bytes) {
      parts.push(part)
      size += part.byteLength
    }
  }

  push(Buffer.from(`${MAGIC}${BACKUP_FORMAT_VERSION}\n${JSON.stringify(contents.header)}\n`))
  push(Uint8Array.of(TAG_SECRET), uint32(contents.secret.byteLength), contents.secret)
  let records = 0n
  for await (const { key, value } of contents.entries) {
    push(Uint8Array.of(TAG_RECORD), uint32(key.byteLength), key, uint32(value.byteLength), value)
    records++
    if (size >= CHUNK_BYTES) yield take()
  }
  const end = new Uint8Array(9)
  end[0] = TAG_END
  new DataView(end.buffer).setBigUint64(1, records)
  push(end)
  yield take()
  yield new Uint8Array(hash.digest())
}

/** Reads exact byte counts from a stream of chunks, hashing what it hands out. */
class ByteReader {
  readonly #chunks: AsyncIterator<Uint8Array>
  readonly #hash: Hash = createHash('sha256')
  #buffer: Buffer = Buffer.alloc(0)
  /** Bytes read so far, for messages. */
  offset = 0

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.#chunks = chunks[Symbol.asyncIterator]()
  }

  /** Buffers at least `count` bytes; false when the stream ends first. */
  async #fill(count: number): Promise<boolean> {
    const parts = [this.#buffer]
    let size = this.#buffer.byteLength
    while (size < count) {
      const next = await this.#chunks.next()
      if (next.done) break
      parts.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength))
      size += next.value.byteLength
    }
    if (parts.length > 1) this.#buffer = Buffer.concat(parts, size)
    return size >= count
  }

  async read(count: number, what: string, hashed = true): Promise<Buffer> {
    if (!(await this.#fill(count))) throw new BackupFormatError(`berkas terpotong: berakhir di tengah ${what} (bita ${this.offset})`)
    const bytes = this.#buffer.subarray(0, count)
    this.#buffer = this.#buffer.subarray(count)
    this.offset += count
    if (hashed) this.#hash.update(bytes)
    return bytes
  }

  async readUint32(what: string): Promise<number> {
    return (await this.read(4, what)).readUInt32BE(0)
  }

  /** Up to and without the next "\n", at most `max` bytes. */
  async readLine(max: number, what: string): Promise<string> {
    for (let length = 1; length <= max; length++) {
      if (!(await this.#fill(length))) throw new BackupFormatError(`berkas terpotong: berakhir di tengah ${what}`)
      if (this.#buffer[length - 1] === 0x0a) return (await this.read(length, what)).subarray(0, -1).toString('utf8')
    }
    throw new BackupFormatError(`${what} rusak: terlalu panjang`)
  }

  digest(): Buffer {
    return this.#hash.digest()
  }

  async atEnd(): Promise<boolean> {
    return !(await this.#fill(1))
  }
}

/** A parsed header, or a `BackupFormatError` saying why it is not one. */
function decodeHeader(line: string): BackupHeader {
  let header: unknown
  try {
    header = JSON.parse(line)
  } catch {
    throw new BackupFormatError('kepala berkas rusak: bukan JSON')
  }
  const { createdAt, storageFormat } = (header ?? {}) as Record<string, unknown>
  if (typeof createdAt !== 'string' || !Number.isSafeInteger(storageFormat) || (storageFormat as number) < 1) {
    throw new BackupFormatError('kepala berkas rusak: createdAt atau storageFormat tidak ada')
  }
  return { createdAt, storageFormat: storageFormat as number }
}

/**
 * Opens a backup streamed as `chunks`: reads and checks the magic, version, header and secret, and
 * returns the records as they are read. Iterating `entries` to its end checks the rest: every
 * record's structure and order, the count, the checksum, and that nothing follows; any fault
 * throws `BackupFormatError`, so a consumer must not keep what it got unless the iteration ends
 * normally (restore reads the whole file once to verify it before writing anything).
 */
export async function decodeBackup(chunks: AsyncIterable<Uint8Array>): Promise<BackupContents> {
  const reader = new ByteReader(chunks)
  const magic = await reader.read(MAGIC.length, 'kepala berkas').catch(() => Buffer.alloc(0))
  if (magic.toString('latin1') !== MAGIC) throw new BackupFormatError('bukan berkas cadangan Rancang (tanda pengenal RANCANG-BACKUP tidak ada)')
  const version = Number(await reader.readLine(16, 'kepala berkas'))
  if (version !== BACKUP_FORMAT_VERSION) {
    throw new BackupFormatError(`versi format cadangan ${version} tidak dikenal versi Rancang ini (dikenal: ${BACKUP_FORMAT_VERSION})`)
  }
  const header = decodeHeader(await reader.readLine(MAX_HEADER_BYTES, 'kepala berkas'))
  if ((await reader.read(1, 'kunci rahasia'))[0] !== TAG_SECRET) throw new BackupFormatError('berkas rusak: kunci rahasia tidak ada')
  const secretLength = await reader.readUint32('kunci rahasia')
  if (secretLength < MIN_SECRET_BYTES || secretLength > MAX_KEY_BYTES) throw new BackupFormatError('berkas rusak: panjang kunci rahasia tidak wajar')
  const secret = new Uint8Array(await reader.read(secretLength, 'kunci rahasia'))

  async function* entries(): AsyncGenerator<RawEntry> {
    let count = 0n
    let previous: Buffer | null = null
    for (;;) {
      const at = reader.offset
      const [tag] = await reader.read(1, 'catatan')
      if (tag === TAG_END) break
      if (tag !== TAG_RECORD) throw new BackupFormatError(`berkas rusak: jenis catatan ${tag} tidak dikenal (bita ${at})`)
      const keyLength = await reader.readUint32('catatan')
      if (keyLength === 0 || keyLength > MAX_KEY_BYTES) throw new BackupFormatError(`berkas rusak: panjang kunci tidak wajar (bita ${at})`)
      const key = await reader.read(keyLength, 'catatan')
      if (previous && Buffer.compare(previous, key) >= 0) throw new BackupFormatError(`berkas rusak: kunci tidak berurutan (bita ${at})`)
      const valueLength = await reader.readUint32('catatan')
      if (valueLength > MAX_VALUE_BYTES) throw new BackupFormatError(`berkas rusak: panjang nilai tidak wajar (bita ${at})`)
      const value = await reader.read(valueLength, 'catatan')
      previous = key
      count++
      yield { key: new Uint8Array(key), value: new Uint8Array(value) }
    }
    const recorded = (await reader.read(8, 'penutup')).readBigUInt64BE(0)
    if (recorded !== count) throw new BackupFormatError(`berkas rusak: penutup mencatat ${recorded} catatan, terbaca ${count}`)
    const expected = reader.digest()
    const digest = await reader.read(DIGEST_BYTES, 'checksum', false)
    if (!digest.equals(expected)) throw new BackupFormatError('berkas rusak: checksum SHA-256 tidak cocok')
    if (!(await reader.atEnd())) throw new BackupFormatError('berkas rusak: ada data setelah checksum')
  }

  return { header, secret, entries: entries() }
}

/** Reads a whole backup, checking everything; its header and record count, or `BackupFormatError`. */
export async function verifyBackup(chunks: AsyncIterable<Uint8Array>): Promise<{ readonly header: BackupHeader; readonly records: number }> {
  const { header, entries } = await decodeBackup(chunks)
  let records = 0
  for await (const _ of entries) records++
  return { header, records }
}
