import { describe, expect, it } from 'vitest'
import { hasUnprintable } from './text.js'

describe('hasUnprintable', () => {
  it('accepts ordinary text, line breaks, tabs and characters outside the BMP', () => {
    for (const text of ['Bidang Persandian', 'baris satu\nbaris dua\r\n\tmenjorok', 'Rapat 😀 selesai', 'Ä ñ é']) {
      expect(hasUnprintable(text), JSON.stringify(text)).toBe(false)
    }
  })

  it('refuses lone surrogates and control characters', () => {
    for (const text of ['\ud800', 'a\udfffb', '\udc00\ud800', 'nul\u0000', 'bel\u0007', '\u001b[31m', 'del\u007f']) {
      expect(hasUnprintable(text), JSON.stringify(text)).toBe(true)
    }
  })
})
