import { parentPort, workerData } from 'node:worker_threads'
import { PresenceGroup, type PresenceGroupOptions } from './presenceLoad.js'

/**
 * A worker thread of the presence scenario: it runs a group of moving clients that read and drop
 * everything they receive, so the observers' thread only times deliveries. Commands from the main
 * thread: `announce`, `start` (with a rate), `stop` (answered with the moves sent), `close`.
 */
type Command =
  { readonly kind: 'announce' } | { readonly kind: 'start'; readonly rate: number } | { readonly kind: 'stop' } | { readonly kind: 'close' }

const port = parentPort!
const group = await PresenceGroup.connect(workerData as PresenceGroupOptions)
port.on('message', async (command: Command) => {
  switch (command.kind) {
    case 'announce':
      group.announce()
      break
    case 'start':
      group.start(command.rate)
      break
    case 'stop':
      group.stop()
      port.postMessage({ kind: 'sent', sent: group.sent })
      break
    case 'close':
      await group.close()
      port.postMessage({ kind: 'closed' })
      port.close()
      break
  }
})
port.postMessage({ kind: 'ready' })
