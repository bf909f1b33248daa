import { describe, expect, it } from 'vitest'
import { diffWords, tokenize } from './diff.js'

const apply = (ops: ReturnType<typeof diffWords>, side: 'before' | 'after') =>
  ops
    .filter((op) => op.type === 'equal' || op.type === (side === 'before' ? 'delete' : 'insert'))
    .map((op) => op.text)
    .join('')

describe('word diff', () => {
  it('splits words, spaces and punctuation, Indonesian letters included', () => {
    expect(tokenize('Pasal 5, ayat (2): Perangkat Daerah.')).toEqual([
      'Pasal',
      ' ',
      '5',
      ',',
      ' ',
      'ayat',
      ' ',
      '(',
      '2',
      ')',
      ':',
      ' ',
      'Perangkat',
      ' ',
      'Daerah',
      '.',
    ])
  })

  it('reports a replaced word between equal context', () => {
    expect(diffWords('paling lama 2 tahun', 'paling lama 3 tahun')).toEqual([
      { type: 'equal', text: 'paling lama ' },
      { type: 'delete', text: '2' },
      { type: 'insert', text: '3' },
      { type: 'equal', text: ' tahun' },
    ])
  })

  it('reconstructs both texts exactly', () => {
    const before = 'Dinas menyusun rencana induk; dan Perangkat Daerah melaksanakan.'
    const after = 'Dinas bersama Bappeda menyusun rencana induk SPBE; Perangkat Daerah wajib melaksanakan.'
    const ops = diffWords(before, after)
    expect(apply(ops, 'before')).toBe(before)
    expect(apply(ops, 'after')).toBe(after)
  })

  it('handles empty sides', () => {
    expect(diffWords('', 'baru')).toEqual([{ type: 'insert', text: 'baru' }])
    expect(diffWords('lama', '')).toEqual([{ type: 'delete', text: 'lama' }])
    expect(diffWords('', '')).toEqual([])
  })
})
