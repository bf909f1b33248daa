/**
 * One binary WebSocket data frame as a server sends it (RFC 6455 §5.2: FIN, opcode 2, unmasked),
 * header and payload in one buffer.
 *
 * Why not `ws.send`: a relay sends the same message to every connection of a draft, and `ws`
 * frames it anew for each and hands the socket two buffers (a `writev`). Framed once, each
 * connection costs one plain `write`: at 200 connections that is the difference between the first
 * and the last reader seeing a keystroke.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const offset = headerBytes(payload.byteLength)
  const frame = Buffer.allocUnsafe(offset + payload.byteLength)
  writeHeader(frame, payload.byteLength)
  frame.set(payload, offset)
  return frame
}

/** The header of a binary data frame of `length` payload bytes, alone: to write before a payload too large to copy. */
export function binaryFrameHeader(length: number): Buffer {
  const header = Buffer.allocUnsafe(headerBytes(length))
  writeHeader(header, length)
  return header
}

const headerBytes = (length: number) => (length < 126 ? 2 : length <= 0xffff ? 4 : 10)

/** Writes the header for `length` payload bytes (`headerBytes(length)` of them) at the start of `frame`. */
function writeHeader(frame: Buffer, length: number) {
  frame[0] = 0x82
  if (length < 126) frame[1] = length
  else if (length <= 0xffff) {
    frame[1] = 126
    frame.writeUInt16BE(length, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(length), 2)
  }
}
