import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as Y from 'yjs'
import { RawClient } from './clients.js'

/** One join as measured from a process of its own. */
export interface JoinProbe {
  /** Socket opened → complete sync step 2 arrived (ms). */
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
  const { at, update } = await joiner.synced
  const applyStart = performance.now()
  Y.applyUpdate(new Y.Doc(), update)
  const probe: JoinProbe = { ms: at - start, applyMs: performance.now() - applyStart, bytes: update.byteLength }
  await joiner.close()
  process.stdout.write(JSON.stringify(probe))
}

if (process.argv[1] === SELF) await main(process.argv[2]!)
