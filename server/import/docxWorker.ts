import { parentPort, workerData } from 'node:worker_threads'
import { recogniseDraft, type RecognisedDraft } from './recognise.js'
import { Refusal } from '../refusal.js'
import { readDocxEntries, type ArchiveLimits } from './docxArchive.js'
import { findWordParts, readWordDocument, type SourceDocument } from './wordDocument.js'

/**
 * Reads an uploaded DOCX and recognises the draft in a worker thread, so that a huge document costs
 * this worker (heap-limited, stopped on a deadline) and never the server's event loop; only the
 * recognised draft, as ProseMirror JSON, comes back. The heap limit does not cover inflated
 * buffers, so the zip is unpacked under ArchiveLimits first, and the XML parts are read from
 * those vetted bytes.
 */

/** Far above any regulation (the sample has 23k characters; ten times it, 209k). */
const MAX_CHARACTERS = 2_000_000

export interface WorkerInput {
  readonly bytes: Uint8Array
  readonly limits: ArchiveLimits
}

export type WorkerAnswer =
  { readonly draft: Omit<RecognisedDraft, 'doc'> & { readonly doc: unknown } } | { readonly refusal: string } | { readonly unreadable: string }

const characters = (source: SourceDocument) => {
  let count = 0
  for (const block of source.blocks) {
    const paragraphs = block.kind === 'paragraph' ? [block] : block.rows.flat(2)
    for (const paragraph of paragraphs) for (const segment of paragraph.segments) count += segment.length
  }
  return count
}

async function read({ bytes, limits }: WorkerInput): Promise<WorkerAnswer> {
  let files: Map<string, Uint8Array>
  try {
    files = await readDocxEntries(bytes, limits)
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    throw error
  }
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
    const { doc, ...draft } = recogniseDraft(source)
    return { draft: { ...draft, doc: doc.toJSON() } }
  } catch (error) {
    if (error instanceof Refusal) return { refusal: error.message }
    throw error
  }
}

void read(workerData as WorkerInput).then((answer) => parentPort!.postMessage(answer))
