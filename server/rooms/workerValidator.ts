import { Worker } from 'node:worker_threads'
import type { UpdateSummary, UpdateValidator } from './validation.js'
import { decodeUpdateSummary } from './updateSummary.js'
import { log } from '../log.js'
import { metrics } from '../metrics.js'

/**
 * Updates up to this size are first decoded on the main thread (updateSummary.ts): in O(bytes), so
 * a pasted page costs well under a millisecond, and nearly every edit skips the worker hop.
 */
const INLINE_MAX_BYTES = 64 * 1024

/**
 * The worker is a whole V8 isolate (about 15 MB of RSS) that nearly every edit skips: it starts
 * for the first update it must take and stops after this long without one.
 */
export const WORKER_IDLE_MS = 30_000

export interface WorkerValidatorOptions {
  /** Longest a single update may take to validate before the worker is killed (ms). */
  readonly timeoutMs: number
  /** Heap limit of the worker (MiB): an update that needs more is refused, the server goes on. */
  readonly memoryMb: number
  /** How long the worker stays up after its last update (ms); default `WORKER_IDLE_MS`. */
  readonly idleMs?: number
}

interface Pending {
  readonly id: number
  readonly update: Uint8Array
  readonly resolve: (summary: UpdateSummary | null) => void
  /** `performance.now()` when it was handed over, for the validation time metric. */
  readonly since: number
}

/**
 * Validates untrusted updates in a worker thread under a time and memory budget, so a crafted
 * update that makes Yjs loop or allocate without end (yjs #687) costs one refused update, not a
 * frozen server. Requests are pipelined and answered in order. The worker tells, through shared
 * memory, which update it is working on and since when; an update that overruns its time, or kills
 * the worker, is refused, the worker is replaced and the rest are re-sent. Only the offending update
 * is refused: start-up, queueing and a busy main thread do not count against anyone. The worker
 * runs only while there is work for it, and a little longer (`idleMs`).
 *
 * What the bounded inline decoder proves well-formed (a keystroke, a paste) never reaches the
 * worker; only what it cannot prove does (THREAT_MODEL.md P35).
 */
export class WorkerValidator implements UpdateValidator {
  readonly #url: URL
  readonly #options: WorkerValidatorOptions
  /** Null while idle. */
  #worker: Worker | null = null
  /** [id of the update the worker is working on (0: none), when it started (ms)], written by the worker. */
  #progress = new Float64Array(new SharedArrayBuffer(16))
  #queue: Pending[] = []
  /** Requests not yet posted: posted together once per turn of the event loop. */
  #unsent: Pending[] = []
  #nextId = 1
  #closed = false
  /** Runs while the worker does. */
  #watchdog: NodeJS.Timeout | undefined
  #idleTimer: NodeJS.Timeout | undefined

  constructor(url: URL, options: WorkerValidatorOptions) {
    this.#url = url
    this.#options = options
  }

  /** Whether the worker thread is up (`rancang_validation_worker_running`). */
  get running(): boolean {
    return this.#worker !== null
  }

  prove(update: Uint8Array): UpdateSummary | null {
    if (this.#closed || update.byteLength > INLINE_MAX_BYTES) return null
    const started = performance.now()
    const summary = decodeUpdateSummary(update)
    if (summary) metrics.validation.observe((performance.now() - started) / 1000)
    return summary
  }

  validate(update: Uint8Array): Promise<UpdateSummary | null> {
    if (this.#closed) return Promise.resolve(null)
    const proven = this.prove(update)
    if (proven) return Promise.resolve(proven)
    return new Promise((resolve) => {
      const pending: Pending = { id: this.#nextId++, update, resolve, since: performance.now() }
      this.#queue.push(pending)
      if (this.#unsent.push(pending) === 1) queueMicrotask(() => this.#post())
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const pending of this.#queue) pending.resolve(null)
    this.#queue = []
    this.#unsent = []
    await this.#stop()
  }

  #start(): Worker {
    this.#worker = this.#spawn()
    this.#watchdog = setInterval(() => this.#check(), Math.max(50, Math.floor(this.#options.timeoutMs / 4)))
    this.#watchdog.unref()
    return this.#worker
  }

  /** Stops the worker, if running; whatever it still works on must have been answered or re-queued. */
  async #stop(): Promise<void> {
    const worker = this.#worker
    this.#worker = null
    clearInterval(this.#watchdog)
    clearTimeout(this.#idleTimer)
    await worker?.terminate()
  }

  #spawn(): Worker {
    this.#progress = new Float64Array(new SharedArrayBuffer(16))
    const worker = new Worker(this.#url, {
      workerData: { progress: this.#progress.buffer },
      resourceLimits: { maxOldGenerationSizeMb: this.#options.memoryMb, maxYoungGenerationSizeMb: 32 },
    })
    worker.unref()
    worker.on('message', (results: Array<{ id: number; summary: UpdateSummary | null }>) => {
      for (const { id, summary } of results) {
        const head = this.#queue[0]
        if (!head || head.id !== id) continue
        this.#queue.shift()
        metrics.validation.observe((performance.now() - head.since) / 1000)
        head.resolve(summary)
      }
      if (worker === this.#worker && this.#queue.length === 0) {
        this.#idleTimer = setTimeout(() => void this.#stop(), this.#options.idleMs ?? WORKER_IDLE_MS)
        this.#idleTimer.unref()
      }
    })
    worker.on('error', (error) => {
      if (worker === this.#worker) this.#replace('worker failed', error)
    })
    worker.on('exit', (code) => {
      if (worker === this.#worker && !this.#closed) this.#replace('worker exited', code)
    })
    return worker
  }

  #post() {
    if (this.#unsent.length === 0) return
    const batch = this.#unsent.map(({ id, update }) => ({ id, update }))
    this.#unsent = []
    clearTimeout(this.#idleTimer)
    const worker = this.#worker ?? this.#start()
    worker.postMessage(batch)
  }

  #check() {
    const [working, since] = this.#progress
    if (working && working === this.#queue[0]?.id && Date.now() - since! > this.#options.timeoutMs) this.#replace('update took too long to validate')
  }

  /** Refuses the request at the head (it killed or stalled the worker) and restarts with the rest, if any. */
  #replace(reason: string, detail?: unknown) {
    const head = this.#queue.shift()
    log.warn('refused an update in validation', { reason, detail: detail instanceof Error ? detail.message : detail, bytes: head?.update.byteLength })
    head?.resolve(null)
    void this.#stop()
    this.#unsent = [...this.#queue]
    this.#post()
  }
}
