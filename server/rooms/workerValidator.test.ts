import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { WorkerValidator } from './workerValidator.js'
import { summariseUpdate } from './validation.js'

/** A stand-in worker that answers every update with this marker summary, so a test sees which updates reached it. */
const FROM_WORKER = { empty: false, clients: [-1], deletes: false }
const MARKING_WORKER = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { parentPort } from 'node:worker_threads'
     parentPort.on('message', (batch) => parentPort.postMessage(batch.map(({ id }) => ({ id, summary: ${JSON.stringify(FROM_WORKER)} }))))`,
  )}`,
)

const keystroke = () => {
  const doc = new Y.Doc()
  let update: Uint8Array | null = null
  doc.on('update', (u: Uint8Array) => (update = u))
  doc.getXmlFragment('prosemirror').insert(0, [new Y.XmlText('a')])
  return update!
}

describe('WorkerValidator', () => {
  let validator: WorkerValidator | null = null
  afterEach(() => validator?.close())

  it('proves a keystroke on the main thread and sends only what the inline decoder cannot prove to the worker (P35)', async () => {
    validator = new WorkerValidator(MARKING_WORKER, { timeoutMs: 10_000, memoryMb: 64 })
    const update = keystroke()
    // Trailing bytes: Yjs ignores them, the inline decoder does not prove such an update.
    const unproven = new Uint8Array([...update, 7])
    const [inline, worker] = await Promise.all([validator.validate(update), validator.validate(unproven)])
    expect(inline).toEqual(summariseUpdate(update))
    expect(worker).toEqual(FROM_WORKER)
  })

  it('starts its worker only for an update the main thread cannot prove, and stops it after idleMs without one', async () => {
    validator = new WorkerValidator(MARKING_WORKER, { timeoutMs: 10_000, memoryMb: 64, idleMs: 50 })
    expect(validator.running).toBe(false)
    const update = keystroke()
    expect(await validator.validate(update)).toEqual(summariseUpdate(update))
    expect(validator.running).toBe(false)
    const unproven = new Uint8Array([...update, 7])
    expect(await validator.validate(unproven)).toEqual(FROM_WORKER)
    expect(validator.running).toBe(true)
    await expect.poll(() => validator!.running, { timeout: 5000 }).toBe(false)
    // And starts again for the next one.
    expect(await validator.validate(unproven)).toEqual(FROM_WORKER)
    expect(validator.running).toBe(true)
  })
})
