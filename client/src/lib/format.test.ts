import { describe, expect, it } from 'vitest'
import { formatRelative, formatTime } from './format.js'

describe('dates as Indonesian readers expect them', () => {
  it('says "pukul" once between the date and the time, whatever the ICU version writes', () => {
    const text = formatTime('2026-01-01T08:00:00.000Z', { now: new Date('2026-03-01T00:00:00.000Z') })
    expect(text).toMatch(/^1 Januari 2026 pukul \d\d\.\d\d$/)
  })

  it('says "hari ini" for today', () => {
    const now = new Date()
    expect(formatTime(now.toISOString(), { now })).toMatch(/^hari ini pukul \d\d\.\d\d$/)
  })
})

describe('formatRelative', () => {
  const now = new Date('2026-11-30T10:00:00.000Z')
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString()

  it('says "baru saja" under a minute and counts whole minutes, hours and days after it, in Indonesian', () => {
    expect(formatRelative(ago(20), now)).toBe('baru saja')
    expect(formatRelative(ago(5 * 60 + 30), now)).toBe('5 menit yang lalu')
    expect(formatRelative(ago(3 * 3600), now)).toBe('3 jam yang lalu')
    expect(formatRelative(ago(24 * 3600), now)).toBe('kemarin')
    expect(formatRelative(ago(15 * 24 * 3600), now)).toBe('2 minggu yang lalu')
    expect(formatRelative(ago(400 * 24 * 3600), now)).toBe('tahun lalu')
  })

  it('pairs with formatTime, which gives the exact moment', () => {
    expect(formatTime('2026-11-27T07:30:00.000Z', { now })).toMatch(/^27 November 2026 pukul \d{2}\.30$/)
  })
})
