import { describe, expect, it } from 'vitest'
import { findWordParts, readWordDocument } from './wordDocument.js'

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
const body = (xml: string) => `<?xml version="1.0"?><w:document ${W}><w:body>${xml}</w:body></w:document>`
const NUMBERING = `<w:numbering ${W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum><w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num></w:numbering>`
const STYLES = `<w:styles ${W}><w:style w:type="paragraph" w:styleId="Ayat"><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="AyatTebal"><w:basedOn w:val="Ayat"/></w:style></w:styles>`

describe('the body of a Word file (word/document.xml)', () => {
  it('reads runs, tabs and breaks, and leaves out deleted text and field codes', () => {
    const { blocks } = readWordDocument({
      document: body(
        '<w:p><w:r><w:t xml:space="preserve">pelayanan yang </w:t></w:r><w:del><w:r><w:delText>cepat</w:delText></w:r></w:del>' +
          '<w:ins><w:r><w:t>andal</w:t></w:r></w:ins><w:r><w:tab/><w:t>dan</w:t><w:br/><w:t>terpercaya</w:t></w:r>' +
          '<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText></w:r></w:p>',
      ),
    })
    expect(blocks).toEqual([{ kind: 'paragraph', label: null, segments: ['pelayanan yang andal dan', 'terpercaya'] }])
  })

  it('labels a paragraph numbered through its style (and the style it is based on), and one whose numbering is removed with list 0', () => {
    const { blocks } = readWordDocument({
      document: body(
        '<w:p><w:pPr><w:pStyle w:val="Ayat"/></w:pPr><w:r><w:t>Satu.</w:t></w:r></w:p>' +
          '<w:p><w:pPr><w:pStyle w:val="AyatTebal"/></w:pPr><w:r><w:t>Dua.</w:t></w:r></w:p>' +
          '<w:p><w:pPr><w:pStyle w:val="Ayat"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>Lepas.</w:t></w:r></w:p>',
      ),
      numbering: NUMBERING,
      styles: STYLES,
    })
    expect(blocks.map((b) => (b.kind === 'paragraph' ? b.label : null))).toEqual(['(1)', '(2)', null])
  })

  it('reads tables as rows of cells, a nested table as its paragraphs, and counts pictures', () => {
    const cell = (xml: string) => `<w:tc>${xml}</w:tc>`
    const p = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`
    const { blocks, figures } = readWordDocument({
      document: body(
        `<w:tbl><w:tr>${cell(p('No'))}${cell(`<w:tbl><w:tr>${cell(p('a'))}${cell(p('b'))}</w:tr></w:tbl>`)}</w:tr></w:tbl><w:p><w:r><w:drawing/></w:r></w:p>`,
      ),
    })
    expect(blocks[0]).toEqual({
      kind: 'table',
      rows: [
        [
          [{ kind: 'paragraph', label: null, segments: ['No'] }],
          [
            { kind: 'paragraph', label: null, segments: ['a'] },
            { kind: 'paragraph', label: null, segments: ['b'] },
          ],
        ],
      ],
    })
    expect(figures).toBe(1)
  })

  it('finds the main document, numbering and styles through the package relationships', () => {
    const bytes = (text: string) => new TextEncoder().encode(text)
    const files = new Map([
      [
        '_rels/.rels',
        bytes(
          '<Relationships><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/naskah/utama.xml"/></Relationships>',
        ),
      ],
      [
        'naskah/_rels/utama.xml.rels',
        bytes(
          '<Relationships><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="../bersama/nomor.xml"/></Relationships>',
        ),
      ],
      ['naskah/utama.xml', bytes(body(''))],
      ['bersama/nomor.xml', bytes(NUMBERING)],
    ])
    expect(findWordParts(files)).toEqual({ document: body(''), numbering: NUMBERING, styles: undefined })
    expect(findWordParts(new Map())).toBeUndefined()
  })
})
