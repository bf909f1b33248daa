import yauzl from 'yauzl'
import { Refusal } from '../refusal.js'

/** What an uploaded Word file may unpack to; checked on its zip directory first, then while inflating. */
export interface ArchiveLimits {
  /** Entries (files) in the zip. */
  readonly maxEntries: number
  /** Bytes of all entries together once inflated. */
  readonly maxInflatedBytes: number
  /** Inflated size over compressed size, of one large entry and of the whole archive. */
  readonly maxRatio: number
}

/** Below this inflated size an entry's ratio is not checked: small XML parts compress very well. */
const RATIO_FLOOR_BYTES = 1024 * 1024

const MiB = 1024 * 1024
const tooLarge = (limits: ArchiveLimits) =>
  new Refusal('unreadable', `Berkas Word terlalu besar setelah dibuka (lebih dari ${Math.floor(limits.maxInflatedBytes / MiB)} MB); berkas ditolak.`)
const tooCompressed = (limits: ArchiveLimits) =>
  new Refusal('unreadable', `Berkas Word dimampatkan secara tidak wajar (lebih dari ${limits.maxRatio} kali); berkas ditolak.`)
const sizeMismatch = () => new Refusal('unreadable', 'Isi berkas Word tidak sesuai dengan ukuran yang tercatat di dalamnya; berkas ditolak.')
const unreadable = () => new Refusal('unreadable', 'Berkas tidak dapat dibaca sebagai dokumen Word (.docx); mungkin rusak.')

/**
 * The files inside an uploaded .docx, inflated under `limits`. The zip's central directory is read
 * first (yauzl), and the file is refused — before anything is inflated — when it declares too many
 * entries, too many bytes, or a bomb's compression ratio. Declared sizes can lie, so every entry is
 * then inflated as a stream and counted: one that yields more than it declared, or an archive that
 * passes the cap, is refused at that byte. Rejects with a Refusal saying why, in Indonesian.
 */
export async function readDocxEntries(bytes: Uint8Array, limits: ArchiveLimits): Promise<Map<string, Uint8Array>> {
  let zip: yauzl.ZipFile
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      lazyEntries: true,
      // Counted below, so that a lie is told apart from a damaged file.
      validateEntrySizes: false,
    })
  } catch {
    throw unreadable()
  }
  try {
    if (zip.entryCount > limits.maxEntries)
      throw new Refusal('unreadable', `Berkas Word memuat terlalu banyak bagian (${zip.entryCount}); berkas ditolak.`)
    const entries = await vetDirectory(zip, limits)
    const files = new Map<string, Uint8Array>()
    let inflated = 0
    for (const entry of entries) {
      const chunks: Buffer[] = []
      let size = 0
      const stream = await zip.openReadStreamPromise(entry).catch(() => Promise.reject(unreadable()))
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.byteLength
          inflated += chunk.byteLength
          if (size > entry.uncompressedSize) throw sizeMismatch()
          if (inflated > limits.maxInflatedBytes) throw tooLarge(limits)
          chunks.push(chunk)
        }
      } catch (error) {
        throw error instanceof Refusal ? error : unreadable()
      } finally {
        stream.destroy()
      }
      if (size !== entry.uncompressedSize) throw sizeMismatch()
      files.set(entry.fileName, Buffer.concat(chunks, size))
    }
    return files
  } finally {
    zip.close()
  }
}

/** The file entries of the central directory, once their declared sizes pass the limits. */
async function vetDirectory(zip: yauzl.ZipFile, limits: ArchiveLimits): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = []
  let declared = 0
  let compressed = 0
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue
      declared += entry.uncompressedSize
      compressed += entry.compressedSize
      if (declared > limits.maxInflatedBytes) throw tooLarge(limits)
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > limits.maxRatio * entry.compressedSize) throw tooCompressed(limits)
      entries.push(entry)
    }
  } catch (error) {
    throw error instanceof Refusal ? error : unreadable()
  }
  if (declared > RATIO_FLOOR_BYTES && declared > limits.maxRatio * compressed) throw tooCompressed(limits)
  return entries
}
