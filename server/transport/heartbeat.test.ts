import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Heartbeat } from './heartbeat.js'

const INTERVAL = 30_000
const SLICES = 30
const TICK = INTERVAL / SLICES

describe('Heartbeat', () => {
  let pings: number[][]
  let terminated: number[]
  let heartbeat: Heartbeat<number>

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    pings = []
    terminated = []
    heartbeat = new Heartbeat<number>({
      intervalMs: INTERVAL,
      slices: SLICES,
      ping: (socket) => pings.at(-1)!.push(socket),
      terminate: (socket) => terminated.push(socket),
    })
  })

  afterEach(() => {
    heartbeat.stop()
    vi.useRealTimers()
  })

  /** Advances one tick; returns what it pinged. */
  const tick = () => {
    pings.push([])
    vi.advanceTimersByTime(TICK)
    return pings.at(-1)!
  }

  it('pings every socket once per interval, a slice per tick, even when they all connected at once', () => {
    const sockets = Array.from({ length: 2000 }, (_, i) => i)
    for (const socket of sockets) heartbeat.add(socket)
    const perTick = Array.from({ length: SLICES }, () => tick().length)
    // 2,000 sockets over 30 slices: 66 or 67 a tick, never all at once.
    expect(Math.max(...perTick)).toBe(Math.ceil(2000 / SLICES))
    expect(Math.min(...perTick)).toBe(Math.floor(2000 / SLICES))
    expect(pings.flat().sort((a, b) => a - b)).toEqual(sockets)
  })

  it('terminates a socket that did not answer its ping by its next turn, and keeps one that did', () => {
    for (const socket of [1, 2]) heartbeat.add(socket)
    for (let i = 0; i < SLICES; i++) tick()
    expect(pings.flat().sort()).toEqual([1, 2])
    heartbeat.answered(1)
    for (let i = 0; i < SLICES; i++) tick()
    expect(terminated).toEqual([2])
    // The dead one is gone; the live one goes on being pinged.
    expect(pings.slice(-SLICES).flat()).toEqual([1])
    for (let i = 0; i < SLICES; i++) tick()
    expect(terminated).toEqual([2, 1])
  })

  it('forgets a socket once removed (closed)', () => {
    heartbeat.add(1)
    heartbeat.add(2)
    heartbeat.remove(2)
    for (let i = 0; i < SLICES * 3; i++) tick()
    expect(pings.flat()).not.toContain(2)
    expect(terminated).toEqual([1])
  })
})
