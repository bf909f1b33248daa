import { Worker } from 'node:worker_threads'
import { Node } from 'prosemirror-model'
import { schema } from '../../shared/model/schema.js'
import { log } from '../log.js'
import type { RecognisedDraft } from './recognise.js'
import { Refusal } from '../refusal.js'
import type { WorkerAnswer, WorkerInput, WorkerTask } from './docxWorker.js'
import type { ArchiveLimits } from './docxArchive.js'
import type { WordParagraph } from './trackedChanges.js'

export interface ImportBudget {
  /** Longest the reading may take (ms) before the worker is stopped. */
  readonly timeoutMs: number
  /** Heap limit of the worker (MiB). */
  readonly memoryMb: number
  /** What the zip may unpack to (the heap limit does not cover inflated buffers). */
  readonly archive: ArchiveLimits
}

const ZIP = [0x50, 0x4b, 0x03, 0x04]
const OLE = [0xd0, 0xcf, 0x11, 0xe0]
const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((byte, i) => bytes[i] === byte)

/**
 * The draft in a Word (.docx) file, read and recognised in a worker under a time and memory
 * budget. Rejects with a `Refusal` (unreadable) that says, in Indonesian, why a file cannot be imported.
 */
export async function readDocxDraft(bytes: Uint8Array, budget: ImportBudget): Promise<RecognisedDraft> {
  const answer = await readInWorker(bytes, budget, 'draft')
  if (!('draft' in answer)) throw new Error('readDocxDraft: the worker answered another task')
  const { doc, ...draft } = answer.draft
  return { ...draft, doc: Node.fromJSON(schema, doc) }
}

/** The paragraphs of a Word (.docx) file with their tracked changes, read in a worker under the same budget. */
export async function readTrackedChanges(bytes: Uint8Array, budget: ImportBudget): Promise<WordParagraph[]> {
  const answer = await readInWorker(bytes, budget, 'trackedChanges')
  if (!('paragraphs' in answer)) throw new Error('readTrackedChanges: the worker answered another task')
  return answer.paragraphs
}

type Answered = Extract<WorkerAnswer, { draft: unknown } | { paragraphs: unknown }>

function readInWorker(bytes: Uint8Array, budget: ImportBudget, task: WorkerTask): Promise<Answered> {
  if (startsWith(bytes, OLE)) {
    return Promise.reject(new Refusal('unreadable', 'Berkas .doc (Word 97–2003) belum didukung: simpan sebagai .docx di Word, lalu impor lagi.'))
  }
  if (!startsWith(bytes, ZIP)) return Promise.reject(new Refusal('unreadable', 'Berkas ini bukan dokumen Word (.docx).'))
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./docxWorker.js', import.meta.url), {
      workerData: { task, bytes, limits: budget.archive } satisfies WorkerInput,
      resourceLimits: { maxOldGenerationSizeMb: budget.memoryMb, maxYoungGenerationSizeMb: 32 },
    })
    let settled = false
    const settle = (outcome: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      void worker.terminate()
      outcome()
    }
    const refuse = (message: string) => settle(() => reject(new Refusal('unreadable', message)))
    const deadline = setTimeout(() => refuse('Membaca berkas terlalu lama; periksa apakah berkas ini benar dokumen Word biasa.'), budget.timeoutMs)
    worker.on('message', (answer: WorkerAnswer) => {
      if ('refusal' in answer) {
        refuse(answer.refusal)
      } else if ('unreadable' in answer) {
        log.info('docx import unreadable', { task, reason: answer.unreadable })
        refuse('Berkas tidak dapat dibaca sebagai dokumen Word (.docx); mungkin rusak.')
      } else {
        settle(() => resolve(answer))
      }
    })
    worker.on('error', (error) => {
      log.warn('docx import worker failed', { task, error: error.message })
      refuse('Berkas terlalu besar atau terlalu rumit untuk dibaca.')
    })
    worker.on('exit', () => refuse('Berkas tidak dapat dibaca.'))
  })
}
