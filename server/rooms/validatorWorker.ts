import { parentPort } from 'node:worker_threads'
import { summariseUpdate } from './validation.js'

/** The validation worker: answers each `{id, update}` with `{id, summary}` in arrival order. */
parentPort!.on('message', ({ id, update }: { id: number; update: Uint8Array }) => {
  parentPort!.postMessage({ id, summary: summariseUpdate(update) })
})
