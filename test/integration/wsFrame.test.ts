import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { binaryFrame, binaryFrameHeader } from '../../server/transport/frame.js'

/** Sizes at and around the three length encodings of RFC 6455 (7 bits, 16 bits, 64 bits). */
const SIZES = [0, 1, 125, 126, 127, 65_535, 65_536, 300_000]
/** Sent as a header and then the payload, as the transport sends a large message. */
const SPLIT_SIZES = [0, 126, 65_536, 300_000]

describe('binaryFrame', () => {
  let server: Server
  let port: number
  beforeAll(async () => {
    const wss = new WebSocketServer({ noServer: true })
    server = createServer()
    // As the transport does: frames written to the upgraded socket itself, next to ws's own.
    server.on('upgrade', (request, socket: Duplex, head) =>
      wss.handleUpgrade(request, socket, head, (ws) => {
        for (const size of SIZES) socket.write(binaryFrame(payloadOf(size)))
        ws.ping()
        socket.write(binaryFrame(payloadOf(3)))
        for (const size of SPLIT_SIZES) {
          socket.cork()
          socket.write(binaryFrameHeader(size))
          socket.write(payloadOf(size))
          socket.uncork()
        }
        ws.close(1000, 'done')
      }),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('is read by a stock WebSocket client as the binary message it holds, at every length encoding, whole or as header and payload', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${port}/`)
    const received: Buffer[] = []
    client.on('message', (data: Buffer, isBinary) => {
      expect(isBinary).toBe(true)
      received.push(data)
    })
    const code = await new Promise<number>((resolve, reject) => {
      client.on('close', resolve)
      client.on('error', reject)
    })
    expect(code).toBe(1000)
    expect(received.map((data) => data.byteLength)).toEqual([...SIZES, 3, ...SPLIT_SIZES])
    for (const data of received) expect(data.equals(payloadOf(data.byteLength))).toBe(true)
  })
})

function payloadOf(size: number): Buffer {
  const payload = Buffer.alloc(size)
  for (let i = 0; i < size; i++) payload[i] = (i * 31 + size) & 0xff
  return payload
}
