import { describe, expect, it } from 'vitest'
import { formatTime } from './format.js'

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
