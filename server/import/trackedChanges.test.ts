import { describe, expect, it } from 'vitest'
import { Refusal } from '../refusal.js'
import { afterText, beforeText, decodeDocumentXml } from './trackedChanges.js'

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
const body = (content: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${content}</w:body></w:document>`
const run = (text: string) => `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${text}</w:t></w:r>`
const deleted = (text: string) => `<w:r><w:delText xml:space="preserve">${text}</w:delText></w:r>`
const by = 'w:id="1" w:author="Sari" w:date="2026-12-01T09:00:00Z"'

const refusal = (xml: string) => {
  try {
    decodeDocumentXml(xml)
  } catch (error) {
    expect(error).toBeInstanceOf(Refusal)
    return (error as Error).message
  }
  throw new Error('not refused')
}

describe('reading the tracked changes of word/document.xml', () => {
  it('reads insertions, deletions and moves as Word saves them, through hyperlinks, fields and tables, with tabs and breaks', () => {
    const paragraphs = decodeDocumentXml(
      body(
        `<w:p><w:pPr><w:rPr><w:ins ${by}/></w:rPr></w:pPr>${run('(1)')}<w:r><w:tab/></w:r><w:hyperlink w:anchor="x">${run('Setiap ')}</w:hyperlink>` +
          `<w:del ${by}>${deleted('dapat')}</w:del><w:ins ${by}>${run('wajib')}</w:ins>${run(' menyusun')}<w:r><w:br/></w:r>` +
          `<w:moveFrom ${by}>${deleted('lama')}</w:moveFrom><w:moveTo ${by}>${run('baru')}</w:moveTo>` +
          `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>${run('.')}</w:p>` +
          `<w:tbl><w:tr><w:tc><w:p>${run('sel')}<w:ins ${by}>${run('!')}</w:ins></w:p></w:tc></w:tr></w:tbl>` +
          `<w:sectPr/>`,
      ),
    )
    expect(paragraphs).toHaveLength(2)
    const sari = { author: 'Sari', date: '2026-12-01T09:00:00Z' }
    expect(paragraphs[0]!.segments).toEqual([
      { text: '(1)\tSetiap ' },
      { text: 'dapat', change: { kind: 'del', ...sari } },
      { text: 'wajib', change: { kind: 'ins', ...sari } },
      { text: ' menyusun\n' },
      { text: 'lama', change: { kind: 'del', ...sari } },
      { text: 'baru', change: { kind: 'ins', ...sari } },
      { text: '.' },
    ])
    expect(beforeText(paragraphs[0]!)).toBe('(1)\tSetiap dapat menyusun\nlama.')
    expect(afterText(paragraphs[0]!)).toBe('(1)\tSetiap wajib menyusun\nbaru.')
    expect(afterText(paragraphs[1]!)).toBe('sel!')
  })

  it('refuses XML that is not well-formed, or not a Word document, with a reason in Indonesian', () => {
    expect(refusal(body('<w:p>').replace('</w:body>', ''))).toMatch(/tidak dapat dibaca/)
    expect(refusal('<?xml version="1.0"?><html><body/></html>')).toMatch(/bukan dokumen Word/)
    expect(refusal('')).toMatch(/tidak dapat dibaca|bukan dokumen Word/)
  })

  it('never expands entities declared in a DTD (an entity bomb stays small)', () => {
    const lol = [
      '<!ENTITY a "aaaaaaaaaa">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`),
    ]
    const xml = `<?xml version="1.0"?><!DOCTYPE w:document [${lol.join('')}]><w:document ${W}><w:body><w:p>${run('&bbbbbbbbb;')}</w:p></w:body></w:document>`
    let text = ''
    try {
      text = decodeDocumentXml(xml)
        .map((p) => afterText(p))
        .join('')
    } catch (error) {
      expect(error).toBeInstanceOf(Refusal)
    }
    // Expanded, it would be 10^10 characters.
    expect(text.length).toBeLessThan(100)
  })
})
