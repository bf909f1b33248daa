import { readFileSync } from 'node:fs'

/**
 * The hostile Yjs updates every server test replays: a copy of the team's `../shared/vectors/`
 * (in `test/fixtures/`, so the tests run on a machine without the reference material).
 */
interface Vector {
  readonly name: string
  readonly hex?: string
  readonly bytes?: number[]
}

export const HOSTILE_UPDATES: ReadonlyArray<{ readonly name: string; readonly bytes: Uint8Array }> = (
  JSON.parse(readFileSync(new URL('../fixtures/vectors/hostile-yjs-updates.json', import.meta.url), 'utf8')) as { vectors: Vector[] }
).vectors.map((v) => ({ name: v.name, bytes: v.hex ? new Uint8Array(Buffer.from(v.hex, 'hex')) : new Uint8Array(v.bytes ?? []) }))
