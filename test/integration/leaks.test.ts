import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { expect, test } from 'vitest'
import { CHILDREN_DIR_ENV } from '../harness/children.js'

const ROOT = resolve(import.meta.dirname, '../..')

/** Runs vitest as a child process on the fixture configuration, with none of this run's variables. */
function runFixture(): Promise<{ code: number | null; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== CHILDREN_DIR_ENV))
  const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/leaks/vitest.config.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })))
}

test('a server left running by a test that timed out is killed, and its data directory deleted, when the vitest run ends', async () => {
  const { code, output } = await runFixture()
  const leaked = /leaked server (\{.*\})/.exec(output)
  expect(leaked, output).not.toBeNull()
  const { pid, dataDir } = JSON.parse(leaked![1]!) as { pid: number; dataDir: string }
  expect(output).toMatch(/Test timed out in 200ms/)
  expect(code).toBe(1)
  try {
    expect(runsServer(pid)).toBe(false)
    expect(existsSync(dataDir)).toBe(false)
  } finally {
    // Without the global teardown the server would outlive this test too.
    if (runsServer(pid)) process.kill(pid, 'SIGKILL')
  }
})

/** Whether `pid` is a live Rancang server (not a zombie, not a reused PID running something else). */
function runsServer(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]
    return state !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/server/main.js')
  } catch {
    return false
  }
}
