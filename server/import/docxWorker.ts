import { parentPort, workerData } from 'node:worker_threads'
import mammoth from 'mammoth'
import { recogniseDraft } from './recognise.js'
import { Refusal } from '../refusal.js'
import { packStored, readDocxEntries, type ArchiveLimits } from './docxArchive.js'
import { decodeDocumentXml, type WordParagraph } from './trackedChanges.js'

/**
 * Reads an uploaded DOCX in a worker thread, so that a huge document costs this worker
 * (heap-limited, stopped on a deadline) and never the server's event loop. Two tasks: recognise
 * the draft (only the draft, as ProseMirror JSON, comes back), or read the tracked changes of its
 * paragraphs (for the import of suggestions). The heap limit does not cover inflated buffers, so
 * the zip is unpacked under ArchiveLimits first; mammoth reads only a repacked copy.
 */

/** Far above any Pergub (the sample has 23k characters; ten times it, 209k). */
const MAX_CHARACTERS = 2_000_000

export type WorkerTask = 'draft' | 'trackedChanges'

export interface WorkerInput {
  readonly task: WorkerTask
  readonly bytes: Uint8Array
  readonly limits: ArchiveLimits
}

export type WorkerAnswer =
  | { readonly draft: { readonly jenis: string; readonly nama: string; readonly counts: { bab: number; pasal: number }; readonly doc: unknown } }
  | { readonly paragraphs: WordParagraph[] }
  | { readonly refusal: string }
  | { readonly unreadable: string }

const DOCUMENT_XML = 'word/document.xml'

async function read({ task, bytes, limits }: WorkerInput): Promise<WorkerAnswer> {
  let entries: Map<string, Uint8Array>
  try {
    entries = await readDocxEntries(bytes, limits)
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    throw error
  }
  if (task === 'trackedChanges') return trackedChanges(entries)
  const vetted = await packStored(entries)
  let text: string
  try {
    text = (await mammoth.extractRawText({ buffer: vetted })).value
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) }
  }
  if (text.length > MAX_CHARACTERS) return { refusal: 'Naskah terlalu panjang untuk sebuah peraturan gubernur.' }
  try {
    const { jenis, nama, counts, doc } = recogniseDraft(text.split('\n'))
    return { draft: { jenis, nama, counts, doc: doc.toJSON() } }
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    throw error
  }
}

/** The paragraphs of the main document part with their tracked changes; its size is bounded by the archive limits. */
function trackedChanges(entries: ReadonlyMap<string, Uint8Array>): WorkerAnswer {
  const xml = entries.get(DOCUMENT_XML)
  if (!xml) return { refusal: 'Berkas ini bukan dokumen Word: bagian utama naskah (word/document.xml) tidak ditemukan.' }
  try {
    return { paragraphs: decodeDocumentXml(new TextDecoder('utf-8', { fatal: true }).decode(xml)) }
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    return { unreadable: error instanceof Error ? error.message : String(error) }
  }
}

void read(workerData as WorkerInput).then((answer) => parentPort!.postMessage(answer))
