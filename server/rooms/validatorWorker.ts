import { parentPort, workerData } from 'node:worker_threads'
import { summariseUpdate } from './validation.js'

/**
 * The validation worker: answers each batch of `{id, update}` with their `{id, summary}` in order. Before
 * each update it writes the update's id and its own start time into the shared `progress` array,
 * so the watchdog times the update itself — not the worker's start-up, not queueing, not a busy
 * main thread.
 */
const progress = new Float64Array(workerData.progress as SharedArrayBuffer)

parentPort!.on('message', (batch: Array<{ id: number; update: Uint8Array }>) => {
  const results = batch.map(({ id, update }) => {
    progress[1] = Date.now()
    progress[0] = id
    const summary = summariseUpdate(update)
    progress[0] = 0
    return { id, summary }
  })
  parentPort!.postMessage(results)
})
