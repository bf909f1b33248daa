import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHILDREN_DIR_ENV, killRecordedChildren } from './children.js'

/**
 * Vitest's global setup: one directory for the run where harness starts record their children
 * (servers, PostgreSQL, nginx). Workers are started after this and inherit the variable. The
 * teardown kills whatever is still running, which only a test that timed out or crashed leaves.
 */
export async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'rancang-children-'))
  process.env[CHILDREN_DIR_ENV] = dir
  return async () => {
    const killed = await killRecordedChildren(dir)
    if (killed.length > 0) console.warn(`killed ${killed.length} test process(es) left running: ${killed.join(', ')}`)
    await rm(dir, { recursive: true, force: true })
  }
}
