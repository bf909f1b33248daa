import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { covers, RawClient } from './clients.js'

/** One join as measured from a process of its own. */
export interface JoinProbe {
  /**
   * Socket opened → the answer to its sync step 1 is complete (ms): the sync step 2 arrived, and
   * with the updates received before it (our server's stored tail, sent just ahead of it in the
   * same turn) the joiner holds at least everything the server had when the socket opened (the
   * state vector of the server's own sync step 1). The probe checks that, and fails if not.
   */
  readonly ms: number
  /** Applying that state to a fresh Y.Doc (ms): the client's part, reported beside the server's. */
  readonly applyMs: number
  readonly bytes: number
}

const SELF = fileURLToPath(import.meta.url)

/**
 * Joins `url` from a separate process. The load generator's own event loop is busy with the
 * typists (and with applying the previous joiner's megabytes), so a joiner inside it would time
 * the load generator as much as the server; a process of its own times only the server and the wire.
 */
export function probeJoin(url: string): Promise<JoinProbe> {
  return new Promise((resolve, reject) => {
    // execArgv carries tsx's loader, so the child runs this TypeScript file as the parent does.
    execFile(process.execPath, [...process.execArgv, SELF, url], { maxBuffer: 1 << 20 }, (error, stdout) => {
      if (error) reject(error)
      else resolve(JSON.parse(stdout) as JoinProbe)
    })
  })
}

async function main(url: string) {
  const start = performance.now()
  const joiner = new RawClient(url)
  let announced: Uint8Array | null = null
  joiner.onSyncStep1 = (stateVector) => (announced ??= stateVector)
  const { at, update } = await joiner.synced
  if (!announced || !covers(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)), Y.decodeStateVector(announced))) {
    throw new Error('joinProbe: the answer lacks what the server had stored when the socket opened')
  }
  const applyStart = performance.now()
  Y.applyUpdate(new Y.Doc(), update)
  const probe: JoinProbe = { ms: at - start, applyMs: performance.now() - applyStart, bytes: update.byteLength }
  await joiner.close()
  process.stdout.write(JSON.stringify(probe))
}

if (process.argv[1] === SELF) await main(process.argv[2]!)
