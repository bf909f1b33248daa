import { describe, expect, it } from 'vitest'
import { isLoopback, mayReadMetrics } from './metricsAccess.js'

describe('metrics access', () => {
  it('counts 127.0.0.1 and ::1 (also IPv6-mapped) as this machine, nothing else', () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(isLoopback(address)).toBe(true)
    for (const address of ['127.0.0.2', '10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '::', 'unknown', '127.0.0.1 '])
      expect(isLoopback(address)).toBe(false)
  })

  it('lets other peers in only with the configured token', () => {
    expect(mayReadMetrics('10.0.0.1', null, null)).toBe(false)
    expect(mayReadMetrics('10.0.0.1', 'rahasia', null)).toBe(false)
    expect(mayReadMetrics('10.0.0.1', 'rahasia', 'rahasia')).toBe(true)
    expect(mayReadMetrics('10.0.0.1', 'rahasi', 'rahasia')).toBe(false)
    expect(mayReadMetrics('10.0.0.1', null, 'rahasia')).toBe(false)
    expect(mayReadMetrics('127.0.0.1', null, 'rahasia')).toBe(true)
  })
})
