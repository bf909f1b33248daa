import { parentPort, workerData } from 'node:worker_threads'
import mammoth from 'mammoth'
import { recogniseDraft } from './recognise.js'
import { Refusal } from '../refusal.js'

/**
 * Reads an uploaded DOCX and recognises the draft in a worker thread, so that a zip bomb or a huge
 * document costs this worker (heap-limited, stopped on a deadline) and never the server's event
 * loop; only the recognised draft, as ProseMirror JSON, comes back.
 */

/** Far above any Pergub (the sample has 23k characters; ten times it, 209k). */
const MAX_CHARACTERS = 2_000_000

export type WorkerAnswer =
  | { readonly draft: { readonly jenis: string; readonly nama: string; readonly counts: { bab: number; pasal: number }; readonly doc: unknown } }
  | { readonly refusal: string }
  | { readonly unreadable: string }

async function read(bytes: Uint8Array): Promise<WorkerAnswer> {
  let text: string
  try {
    text = (await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value
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

void read(workerData as Uint8Array).then((answer) => parentPort!.postMessage(answer))
