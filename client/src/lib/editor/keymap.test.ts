import { describe, expect, it } from 'vitest'
import { bindingsOf, editorBindings, matchesBinding, SHORTCUTS } from './keymap.js'
import { isReserved, type Platform } from './reservedKeys.js'

describe('keyboard shortcuts', () => {
  it('no shortcut is a combination Windows, Linux, ChromeOS or macOS (or their browsers) keep for themselves', () => {
    const taken: string[] = []
    for (const platform of ['pc', 'mac'] as Platform[])
      for (const shortcut of SHORTCUTS)
        for (const binding of bindingsOf(shortcut.id, platform === 'mac'))
          if (isReserved(binding, platform)) taken.push(`${shortcut.keys} (${binding} on ${platform})`)
    expect(taken).toEqual([])
  })

  it('knows the combinations that never reach a page: Ctrl+Alt+Delete on Windows, ⌘⌥H and ⌘H on macOS', () => {
    expect(isReserved('Mod-Alt-Delete', 'pc')).toBe(true)
    expect(isReserved('Alt-Mod-Delete', 'pc')).toBe(true)
    expect(isReserved('Mod-Alt-h', 'mac')).toBe(true)
    expect(isReserved('Mod-h', 'mac')).toBe(true)
    expect(isReserved('Mod-h', 'pc')).toBe(false)
    expect(isReserved('Mod-w', 'pc')).toBe(true)
    expect(isReserved('Mod-Alt-p', 'pc')).toBe(false)
  })

  it('every key the editor binds is listed in the shortcuts dialog', () => {
    const listed = new Set(SHORTCUTS.flatMap((s) => [...s.bind, ...(s.pcBind ?? [])]))
    // Backspace joins an ayat to the one before: plain editing, as in any text.
    const unlisted = Object.keys(editorBindings()).filter((key) => key !== 'Backspace' && !listed.has(key))
    expect(unlisted).toEqual([])
  })

  it('replace is Ctrl+H off macOS and ⌘⇧H on it, where ⌘H hides the browser', () => {
    expect(bindingsOf('replace', false)).toContain('Mod-h')
    expect(bindingsOf('replace', true)).not.toContain('Mod-h')
    expect(bindingsOf('replace', true)).toContain('Shift-Mod-h')
  })
})

describe('page shortcuts', () => {
  const press = (init: KeyboardEventInit & { code: string; key: string }) => init as unknown as KeyboardEvent
  const none = { ctrlKey: false, metaKey: false, altKey: false, shiftKey: false }

  it("match by the key's place, so ⌥ or Shift changing the character still matches", () => {
    expect(matchesBinding(press({ ...none, ctrlKey: true, altKey: true, shiftKey: true, code: 'KeyM', key: 'M' }), 'Shift-Mod-Alt-m', false)).toBe(
      true,
    )
    expect(matchesBinding(press({ ...none, metaKey: true, altKey: true, shiftKey: true, code: 'KeyM', key: 'Â' }), 'Shift-Mod-Alt-m', true)).toBe(
      true,
    )
    expect(matchesBinding(press({ ...none, ctrlKey: true, code: 'KeyF', key: 'f' }), 'Mod-f', false)).toBe(true)
    expect(matchesBinding(press({ ...none, ctrlKey: true, shiftKey: true, code: 'KeyF', key: 'F' }), 'Mod-f', false)).toBe(false)
    expect(matchesBinding(press({ ...none, ctrlKey: true, code: 'Slash', key: '/' }), 'Mod-/', false)).toBe(true)
  })
})
