import type { IncomingMessage } from 'node:http'
import { Refusal } from '../refusal.js'

/**
 * A body this many times over the limit is not even drained: the connection is closed instead.
 * Below it, the rest is read and discarded so the connection can carry the next request.
 */
const DRAIN_FACTOR = 16

const tooLarge = (limit: number, close: boolean) =>
  new Refusal('too-large', `Isi permintaan melebihi batas ${limit} byte.`, close ? { Connection: 'close' } : {})

/**
 * Reads a request body of at most `limit` bytes. Oversized → 413 with nothing kept beyond the
 * limit; far oversized (declared or sent) → 413 and the connection closed without reading on.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'])
  if (declared > limit * DRAIN_FACTOR) throw tooLarge(limit, true)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit * DRAIN_FACTOR) throw tooLarge(limit, true)
    if (size <= limit) chunks.push(chunk)
  }
  if (size > limit) throw tooLarge(limit, false)
  return Buffer.concat(chunks)
}

/** Reads a JSON request body of at most `limit` bytes: not JSON → 415, malformed → 400, all with a message. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const type = request.headers['content-type']
  if (type && !/^application\/json\b/i.test(type)) throw new Refusal('unsupported', 'Request body must be application/json.')
  const text = (await readBody(request, limit)).toString('utf8')
  if (text.trim() === '') throw new Refusal('invalid', 'Request body is empty; expected JSON.')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new Refusal('invalid', `Malformed JSON: ${(error as Error).message}`)
  }
}

/** The body as an object; anything else (array, string, null) → 400. */
export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Refusal('invalid', 'Request body must be a JSON object.')
  return body as Record<string, unknown>
}
