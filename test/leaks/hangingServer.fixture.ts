import { beforeAll, test } from 'vitest'
import { startServer, type TestServer } from '../harness/server.js'

let server: TestServer

beforeAll(async () => {
  server = await startServer()
  // The parent test reads this line from the run's output.
  console.log(`leaked server ${JSON.stringify({ pid: server.process.pid, dataDir: server.dataDir })}`)
})

test('hangs past its timeout while its server runs, never disposing it', async () => {
  await new Promise(() => {})
})
