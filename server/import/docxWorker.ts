import { parentPort, workerData } from 'node:worker_threads'
import { recogniseDraft, type RecognisedDraft } from './recognise.js'
import { Refusal } from '../refusal.js'
import { readDocxEntries, type ArchiveLimits } from './docxArchive.js'
import { findWordParts, readWordDocument, type SourceDocument } from './wordDocument.js'
import { decodeDocumentXml, type WordParagraph } from './trackedChanges.js'

/**
 * Reads an uploaded DOCX in a worker thread, so that a huge document costs this worker
 * (heap-limited, stopped on a deadline) and never the server's event loop. Two tasks: recognise
 * the draft (only the draft, as ProseMirror JSON, comes back), or read the tracked changes of its
 * paragraphs (for the import of suggestions). The heap limit does not cover inflated buffers, so
 * the zip is unpacked under ArchiveLimits first, and the XML parts are read from those vetted bytes.
 */

/** Far above any regulation (the sample has 23k characters; ten times it, 209k). */
const MAX_CHARACTERS = 2_000_000

export type WorkerTask = 'draft' | 'trackedChanges'

export interface WorkerInput {
  readonly task: WorkerTask
  readonly bytes: Uint8Array
  readonly limits: ArchiveLimits
}

export type WorkerAnswer =
  | { readonly draft: Omit<RecognisedDraft, 'doc'> & { readonly doc: unknown } }
  | { readonly paragraphs: WordParagraph[] }
  | { readonly refusal: string }
  | { readonly unreadable: string }

const DOCUMENT_XML = 'word/document.xml'

const characters = (source: SourceDocument) => {
  let count = 0
  for (const block of source.blocks) {
    const paragraphs = block.kind === 'paragraph' ? [block] : block.rows.flat(2)
    for (const paragraph of paragraphs) for (const segment of paragraph.segments) count += segment.length
  }
  return count
}

async function read({ task, bytes, limits }: WorkerInput): Promise<WorkerAnswer> {
  let files: Map<string, Uint8Array>
  try {
    files = await readDocxEntries(bytes, limits)
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    throw error
  }
  return task === 'trackedChanges' ? trackedChanges(files) : draft(files)
}

/** The draft the main document part holds, recognised. */
function draft(files: ReadonlyMap<string, Uint8Array>): WorkerAnswer {
  let source: SourceDocument
  try {
    const parts = findWordParts(files)
    if (!parts) return { unreadable: 'no main document part' }
    source = readWordDocument(parts)
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) }
  }
  if (characters(source) > MAX_CHARACTERS) return { refusal: 'Naskah terlalu panjang untuk sebuah peraturan.' }
  try {
    const { doc, ...recognised } = recogniseDraft(source)
    return { draft: { ...recognised, doc: doc.toJSON() } }
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    throw error
  }
}

/** The paragraphs of the main document part with their tracked changes; its size is bounded by the archive limits. */
function trackedChanges(files: ReadonlyMap<string, Uint8Array>): WorkerAnswer {
  const xml = files.get(DOCUMENT_XML)
  if (!xml) return { refusal: 'Berkas ini bukan dokumen Word: bagian utama naskah (word/document.xml) tidak ditemukan.' }
  try {
    return { paragraphs: decodeDocumentXml(new TextDecoder('utf-8', { fatal: true }).decode(xml)) }
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    return { unreadable: error instanceof Error ? error.message : String(error) }
  }
}

void read(workerData as WorkerInput).then((answer) => parentPort!.postMessage(answer))
