import { describe, expect, it } from 'vitest'
import { completeMention, mentionAt, mentionedUsernames, MAX_MENTIONS, splitMentions } from './mentions.js'

describe('mentionedUsernames', () => {
  it('finds each @username once, lower case, in order, and ignores e-mail addresses and a trailing full stop', () => {
    expect(mentionedUsernames('@Rina tolong cek, juga @bayu.s dan @rina lagi. Kirim ke hukum@kaltim.go.id atau @biro-hukum.')).toEqual([
      'rina',
      'bayu.s',
      'biro-hukum',
    ])
  })

  it('finds none in a lone "@" or a one-letter name, and at most MAX_MENTIONS', () => {
    expect(mentionedUsernames('@ @a')).toEqual([])
    const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => `@user${i}`).join(' ')
    expect(mentionedUsernames(many)).toHaveLength(MAX_MENTIONS)
  })
})

describe('mentionAt and completeMention', () => {
  it('finds the mention typed at the caret and completes it to the username followed by a space', () => {
    const text = 'Mohon @ri cek'
    expect(mentionAt(text, 9)).toEqual({ start: 6, query: 'ri' })
    expect(completeMention(text, 6, 9, 'rina')).toEqual({ text: 'Mohon @rina cek', caret: 12 })
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' })
  })

  it('finds none outside a mention or inside an e-mail address', () => {
    expect(mentionAt('Mohon ri', 8)).toBeNull()
    expect(mentionAt('hukum@kaltim', 12)).toBeNull()
  })
})

describe('splitMentions', () => {
  it('marks only the stored mentions, keeping every character of the text', () => {
    const text = 'Mohon @Rina. dan @orang periksa'
    const pieces = splitMentions(text, ['rina'])
    expect(pieces).toEqual([
      { text: 'Mohon ', mention: false },
      { text: '@Rina', mention: true },
      { text: '. dan @orang periksa', mention: false },
    ])
    expect(pieces.map((p) => p.text).join('')).toBe(text)
    expect(splitMentions('tanpa sebutan')).toEqual([{ text: 'tanpa sebutan', mention: false }])
  })
})
