import { describe, expect, it } from 'vitest'
import type { DOMOutputSpec, Mark, Node } from 'prosemirror-model'
import { readChange, schema } from './schema.js'

const render = (node: Node) => node.type.spec.toDOM!(node) as unknown as [string, Record<string, string>, ...unknown[]]
const renderMark = (mark: Mark) => mark.type.spec.toDOM!(mark, true) as unknown as [string, Record<string, string>, ...unknown[]]
/** Every [tag, attrs?] element of a rendered spec, nested ones included. */
function elements(spec: DOMOutputSpec): Array<[string, Record<string, unknown>]> {
  if (!Array.isArray(spec)) return []
  const [tag, second, ...rest] = spec as unknown[]
  const attrs = second && typeof second === 'object' && !Array.isArray(second) ? (second as Record<string, unknown>) : {}
  const children = attrs === second ? rest : [second, ...rest]
  return [[tag as string, attrs], ...children.flatMap((child) => elements(child as DOMOutputSpec))]
}

const hostile = { type: 'added', user: 'Gubernur', color: 'red; position: fixed; inset: 0; z-index: 99' }

describe('schema rendering of attributes', () => {
  it("writes only a checked colour into a compared unit's style, and its author only as text", () => {
    const pasal = schema.nodes.pasal!.create({ id: 'p1', ychange: hostile })
    const [, attrs] = render(pasal)
    expect(attrs.style).toBe('--warna-perubahan: #64748b')
    expect(attrs.title).toBe('Gubernur')
    expect(render(schema.nodes.pasal!.create({ id: 'p1', ychange: { ...hostile, color: '#1D4ED8' } }))[1].style).toBe('--warna-perubahan: #1D4ED8')
  })

  it('draws no change at all for a ychange of an unknown kind', () => {
    const [, attrs] = render(schema.nodes.pasal!.create({ id: 'p1', ychange: { type: 'x" style="position:fixed', color: '#000000' } }))
    expect(attrs).not.toHaveProperty('style')
    expect(attrs).not.toHaveProperty('data-perubahan')
    expect(readChange('added')).toBeNull()
  })

  it("writes only a checked colour into a change mark's style", () => {
    const [, attrs] = renderMark(schema.marks.ychange!.create(hostile))
    expect(attrs.style).toBe('--warna-perubahan: #64748b')
  })

  it('never writes an id that is not an id into data-id', () => {
    expect(render(schema.nodes.pasal!.create({ id: '"><script>' }))[1]['data-id']).toBeNull()
  })

  it('draws signature attributes that are not text as nothing, never as elements', () => {
    const node = schema.nodes.penandatanganan!.create({ jabatan: ['div', { style: 'position:fixed;inset:0' }, 'PALSU'], tempat: { style: 'x' } })
    const drawn = elements(render(node) as unknown as DOMOutputSpec)
    expect(drawn.some(([, attrs]) => 'style' in attrs)).toBe(false)
    expect(JSON.stringify(render(node))).not.toContain('PALSU')
  })

  it('draws a reference whose targets are not ids without failing', () => {
    const [, attrs] = render(schema.nodes.rujukan!.create({ targets: 5 }))
    expect(attrs['data-targets']).toBe('')
  })
})
