import { describe, expect, it } from 'vitest'
import { BackupFormatError, decodeBackup, encodeBackup, verifyBackup, type BackupContents } from './format.js'
import type { RawEntry } from '../storage/types.js'

const text = (value: string) => new TextEncoder().encode(value)
const entry = (key: string, value: string | Uint8Array): RawEntry => ({ key: text(key), value: typeof value === 'string' ? text(value) : value })

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items
}

const ENTRIES = [
  entry('format', '2'),
  entry('v1/log/a/0000000000001', Uint8Array.of(0, 1, 255)),
  entry('v1/meta/a', '{"id":"a"}'),
  entry('v1/state/a', ''),
]
const SECRET = new Uint8Array(32).map((_, i) => i * 7)

const contents = (entries: readonly RawEntry[] = ENTRIES): BackupContents => ({
  header: { createdAt: '2026-01-31T10:15:00.000Z', storageFormat: 2 },
  secret: SECRET,
  entries: from(entries),
})

async function encode(value: BackupContents): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of encodeBackup(value)) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** The bytes as a stream of small chunks, so records straddle chunk boundaries. */
async function* chunked(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

async function decodeAll(bytes: Uint8Array) {
  const decoded = await decodeBackup(chunked(bytes))
  const entries: RawEntry[] = []
  for await (const e of decoded.entries) entries.push(e)
  return { ...decoded, entries }
}

describe('backup file format', () => {
  it('reads back the header, the secret and every record, byte for byte', async () => {
    const bytes = await encode(contents())
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/^RANCANG-BACKUP 1\n\{"createdAt":"2026-01-31T10:15:00.000Z","storageFormat":2\}\n/)
    const decoded = await decodeAll(bytes)
    expect(decoded.header).toEqual({ createdAt: '2026-01-31T10:15:00.000Z', storageFormat: 2 })
    expect(decoded.secret).toEqual(SECRET)
    expect(decoded.entries).toEqual(ENTRIES)
    expect(await verifyBackup(chunked(bytes))).toEqual({ header: decoded.header, records: ENTRIES.length })
  })

  it('streams a large database in bounded chunks', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => entry(`v1/log/a/${i.toString(16).padStart(13, '0')}`, new Uint8Array(1000).fill(i % 251)))
    let largest = 0
    const chunks: Uint8Array[] = []
    for await (const chunk of encodeBackup(contents(many))) {
      largest = Math.max(largest, chunk.byteLength)
      chunks.push(chunk)
    }
    expect(largest).toBeLessThan(128 * 1024)
    expect((await verifyBackup(from(chunks))).records).toBe(2000)
  })

  it('refuses the file cut at any byte', async () => {
    const bytes = await encode(contents())
    for (let length = 0; length < bytes.length; length++) {
      await expect(verifyBackup(chunked(bytes.subarray(0, length))), `cut at ${length}`).rejects.toBeInstanceOf(BackupFormatError)
    }
  })

  it('refuses the file with any one byte changed', async () => {
    const bytes = await encode(contents())
    for (let at = 0; at < bytes.length; at++) {
      const damaged = Uint8Array.from(bytes)
      damaged[at]! ^= 0x01
      await expect(verifyBackup(chunked(damaged)), `byte ${at} flipped`).rejects.toBeInstanceOf(BackupFormatError)
    }
  })

  it('refuses bytes after the checksum, another magic, and an unknown format version, saying which', async () => {
    const bytes = await encode(contents())
    await expect(verifyBackup(chunked(Buffer.concat([bytes, Uint8Array.of(0)])))).rejects.toThrow(/setelah checksum/)
    await expect(verifyBackup(chunked(text('PK\u0003\u0004 not a backup at all')))).rejects.toThrow(/bukan berkas cadangan Rancang/)
    const newer = Buffer.from(bytes)
    newer.write('9', 'RANCANG-BACKUP '.length, 'latin1')
    await expect(verifyBackup(chunked(newer))).rejects.toThrow(/versi format cadangan 9/)
  })

  it('refuses records out of key order even with a valid checksum', async () => {
    const bytes = await encode(contents([entry('v1/meta/b', '1'), entry('v1/meta/a', '2')]))
    await expect(verifyBackup(chunked(bytes))).rejects.toThrow(/tidak berurutan/)
  })
})
