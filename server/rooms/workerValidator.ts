import { Worker } from 'node:worker_threads'
import type { UpdateSummary, UpdateValidator } from './validation.js'
import { log } from '../log.js'

export interface WorkerValidatorOptions {
  /** Longest a single update may take to validate before the worker is killed (ms). */
  readonly timeoutMs: number
  /** Heap limit of the worker (MiB): an update that needs more is refused, the server goes on. */
  readonly memoryMb: number
}

interface Pending {
  readonly id: number
  readonly update: Uint8Array
  readonly resolve: (summary: UpdateSummary | null) => void
  /** When the worker started on it (the head of the queue), for the watchdog. */
  startedAt: number
}

/**
 * Validates untrusted updates in a worker thread under a time and memory budget, so a crafted
 * update that makes Yjs loop or allocate without end (yjs #687) costs one refused update, not a
 * frozen server. Requests are pipelined and answered in order; when the head request overruns its
 * time, or the worker dies, the worker is replaced, the head is refused and the rest re-sent.
 */
export class WorkerValidator implements UpdateValidator {
  readonly #url: URL
  readonly #options: WorkerValidatorOptions
  #worker: Worker
  #queue: Pending[] = []
  #nextId = 1
  #closed = false
  readonly #watchdog: NodeJS.Timeout

  constructor(url: URL, options: WorkerValidatorOptions) {
    this.#url = url
    this.#options = options
    this.#worker = this.#spawn()
    this.#watchdog = setInterval(() => this.#check(), Math.max(50, Math.floor(options.timeoutMs / 4)))
    this.#watchdog.unref()
  }

  validate(update: Uint8Array): Promise<UpdateSummary | null> {
    if (this.#closed) return Promise.resolve(null)
    return new Promise((resolve) => {
      const pending: Pending = { id: this.#nextId++, update, resolve, startedAt: Date.now() }
      this.#queue.push(pending)
      this.#worker.postMessage({ id: pending.id, update })
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#watchdog)
    for (const pending of this.#queue) pending.resolve(null)
    this.#queue = []
    await this.#worker.terminate()
  }

  #spawn(): Worker {
    const worker = new Worker(this.#url, { resourceLimits: { maxOldGenerationSizeMb: this.#options.memoryMb, maxYoungGenerationSizeMb: 32 } })
    worker.unref()
    worker.on('message', ({ id, summary }: { id: number; summary: UpdateSummary | null }) => {
      const head = this.#queue[0]
      if (!head || head.id !== id) return
      this.#queue.shift()
      head.resolve(summary)
      if (this.#queue[0]) this.#queue[0].startedAt = Date.now()
    })
    worker.on('error', (error) => {
      if (worker === this.#worker) this.#replace('worker failed', error)
    })
    worker.on('exit', (code) => {
      if (worker === this.#worker && !this.#closed) this.#replace('worker exited', code)
    })
    return worker
  }

  #check() {
    const head = this.#queue[0]
    if (head && Date.now() - head.startedAt > this.#options.timeoutMs) this.#replace('update took too long to validate')
  }

  /** Refuses the request at the head (it killed or stalled the worker) and restarts with the rest. */
  #replace(reason: string, detail?: unknown) {
    const old = this.#worker
    const head = this.#queue.shift()
    log.warn('refused an update in validation', { reason, detail: detail instanceof Error ? detail.message : detail, bytes: head?.update.byteLength })
    head?.resolve(null)
    this.#worker = this.#spawn()
    void old.terminate()
    const now = Date.now()
    for (const pending of this.#queue) {
      pending.startedAt = now
      this.#worker.postMessage({ id: pending.id, update: pending.update })
    }
  }
}
