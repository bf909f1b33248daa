import { keymap } from 'prosemirror-keymap'
import { baseKeymap, chainCommands, toggleMark } from 'prosemirror-commands'
import type { Command, Plugin } from 'prosemirror-state'
import { goToNextCell } from 'prosemirror-tables'
import { redoCommand, undoCommand } from 'y-prosemirror'
import { schema } from '../../../../shared/model/schema.js'
import {
  deletePasal,
  enterMovesOn,
  insertAyat,
  insertBab,
  insertBagian,
  insertButir,
  insertPasal,
  joinAyatBackward,
  makeReferencesLive,
  liftButir,
  movePasal,
  sinkButir,
  splitAyat,
  splitButir,
} from './commands.js'

/** What a shortcut does; the toolbar names its buttons' shortcuts by it. */
export type ShortcutId =
  | 'insertPasal'
  | 'insertAyat'
  | 'insertButir'
  | 'insertBab'
  | 'insertBagian'
  | 'movePasal'
  | 'deletePasal'
  | 'enter'
  | 'level'
  | 'reference'
  | 'liveReference'
  | 'comment'
  | 'suggesting'
  | 'find'
  | 'replace'
  | 'undo'
  | 'redo'
  | 'italic'
  | 'shortcuts'
  | 'leave'

/** A keyboard shortcut as shown to people, with the command's Indonesian name and the keys it listens to. */
export interface Shortcut {
  readonly id: ShortcutId
  readonly keys: string
  readonly label: string
  /** The key bindings, in ProseMirror's notation (`Mod` is ⌘ on macOS, Ctrl elsewhere). */
  readonly bind: readonly string[]
  /** Bindings only off macOS, where the same keys are the system's (⌘H hides the browser). */
  readonly pcBind?: readonly string[]
  /** A command (not typing or moving): the toolbar offers it as a button too. */
  readonly command: boolean
}

/**
 * The shortcuts listed in the "Pintasan papan ketik" dialog; the bindings below and the page's
 * follow it. None is a combination an operating system or browser keeps for itself
 * (reservedKeys.ts): Ctrl+Alt+Delete never reaches a browser on Windows, ⌘⌥H hides it on macOS.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'insertPasal', keys: 'Ctrl+Alt+P', label: 'Tambah pasal sesudah pasal ini', bind: ['Mod-Alt-p'], command: true },
  { id: 'insertAyat', keys: 'Ctrl+Alt+A', label: 'Tambah ayat', bind: ['Mod-Alt-a'], command: true },
  { id: 'insertButir', keys: 'Ctrl+Alt+Shift+H', label: 'Tambah huruf/angka (rincian)', bind: ['Shift-Mod-Alt-h'], command: true },
  { id: 'insertBab', keys: 'Ctrl+Alt+Shift+B', label: 'Tambah BAB', bind: ['Shift-Mod-Alt-b'], command: true },
  { id: 'insertBagian', keys: 'Ctrl+Alt+G', label: 'Tambah Bagian', bind: ['Mod-Alt-g'], command: true },
  {
    id: 'movePasal',
    keys: 'Alt+Shift+↑ / ↓',
    label: 'Pindahkan pasal ke atas / ke bawah',
    bind: ['Alt-Shift-ArrowUp', 'Alt-Shift-ArrowDown'],
    command: true,
  },
  { id: 'deletePasal', keys: 'Ctrl+Alt+Shift+X', label: 'Hapus pasal ini', bind: ['Shift-Mod-Alt-x'], command: true },
  { id: 'enter', keys: 'Enter', label: 'Ayat atau rincian baru (di rincian kosong: keluar dari rincian)', bind: ['Enter'], command: false },
  {
    id: 'level',
    keys: 'Tab / Shift+Tab',
    label: 'Turunkan / naikkan tingkat rincian; di tabel: sel berikutnya / sebelumnya',
    bind: ['Tab', 'Shift-Tab'],
    command: true,
  },
  { id: 'reference', keys: 'Ctrl+K', label: 'Sisipkan rujukan ke pasal, ayat atau huruf', bind: ['Mod-k'], command: true },
  { id: 'liveReference', keys: 'Ctrl+Alt+R', label: 'Jadikan rujukan yang diketik manual rujukan hidup', bind: ['Mod-Alt-r'], command: true },
  { id: 'comment', keys: 'Ctrl+Alt+Shift+M', label: 'Beri komentar pada pasal ini', bind: ['Shift-Mod-Alt-m'], command: true },
  {
    id: 'suggesting',
    keys: 'Ctrl+Alt+S',
    label: 'Mode usulan (Menyarankan) nyala / mati: ketikan menjadi usulan perubahan',
    bind: ['Mod-Alt-s'],
    command: true,
  },
  { id: 'find', keys: 'Ctrl+F', label: 'Cari di naskah', bind: ['Mod-f'], command: true },
  { id: 'replace', keys: 'Ctrl+H (⌘⇧H di macOS)', label: 'Cari dan ganti', bind: ['Shift-Mod-h'], pcBind: ['Mod-h'], command: true },
  { id: 'undo', keys: 'Ctrl+Z', label: 'Urungkan (hanya perubahan Anda sendiri)', bind: ['Mod-z'], command: true },
  { id: 'redo', keys: 'Ctrl+Y / Ctrl+Shift+Z', label: 'Ulangi', bind: ['Mod-y', 'Shift-Mod-z'], command: true },
  { id: 'italic', keys: 'Ctrl+I', label: 'Cetak miring (istilah asing)', bind: ['Mod-i'], command: true },
  { id: 'shortcuts', keys: 'Ctrl+/', label: 'Daftar pintasan papan ketik', bind: ['Mod-/'], command: true },
  { id: 'leave', keys: 'Esc', label: 'Keluar dari naskah ke bilah alat', bind: ['Escape'], command: false },
]

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** The bindings of a shortcut on this computer. */
export function bindingsOf(id: ShortcutId, mac = IS_MAC): readonly string[] {
  const shortcut = SHORTCUTS.find((s) => s.id === id)
  if (!shortcut) throw new RangeError(`bindingsOf: no shortcut "${id}"`)
  return mac ? shortcut.bind : [...shortcut.bind, ...(shortcut.pcBind ?? [])]
}

/** A binding as `aria-keyshortcuts` writes it ("Control+Alt+Shift+X"). */
function ariaKeys(binding: string, mac: boolean): string {
  const parts = binding.split(/-(?!$)/)
  const key = parts.pop()!
  const modifiers: ReadonlyArray<[string, string]> = [
    ['Mod', mac ? 'Meta' : 'Control'],
    ['Alt', 'Alt'],
    ['Shift', 'Shift'],
  ]
  const held = modifiers.filter(([mod]) => parts.includes(mod)).map(([, name]) => name)
  return [...held, key.length === 1 ? key.toUpperCase() : key].join('+')
}

/** A shortcut's bindings on this computer as `aria-keyshortcuts` lists them ("Control+Y Control+Shift+Z"). */
export const ariaKeysOf = (id: ShortcutId, mac = IS_MAC): string =>
  bindingsOf(id, mac)
    .map((binding) => ariaKeys(binding, mac))
    .join(' ')

const bind = (id: ShortcutId, command: Command): Record<string, Command> => Object.fromEntries(bindingsOf(id).map((key) => [key, command]))

/** The editor's key bindings, before ProseMirror's base keymap. */
export function editorKeymap(): Plugin[] {
  return [keymap(editorBindings()), keymap(baseKeymap)]
}

/** The commands of the text itself, by key (exported for keymap.test.ts). */
export function editorBindings(): Record<string, Command> {
  return {
    ...bind('insertPasal', insertPasal),
    ...bind('insertAyat', insertAyat),
    ...bind('insertButir', insertButir),
    ...bind('insertBab', insertBab),
    ...bind('insertBagian', insertBagian),
    'Alt-Shift-ArrowUp': movePasal(-1),
    'Alt-Shift-ArrowDown': movePasal(1),
    ...bind('deletePasal', deletePasal),
    ...bind('liveReference', makeReferencesLive),
    Enter: chainCommands(enterMovesOn, splitButir, splitAyat),
    Backspace: joinAyatBackward,
    // In a Lampiran's table, Tab moves between cells; elsewhere it changes a rincian's level.
    Tab: chainCommands(goToNextCell(1), sinkButir),
    'Shift-Tab': chainCommands(goToNextCell(-1), liftButir),
    ...bind('undo', undoCommand),
    ...bind('redo', redoCommand),
    ...bind('italic', toggleMark(schema.marks.em!)),
  }
}

/**
 * Whether `event` is the key combination `binding` (ProseMirror's notation) on this computer. Letters
 * are matched by their key's place (`event.code`), so that ⌥ on macOS or Shift changing the
 * character does not hide them.
 */
export function matchesBinding(event: KeyboardEvent, binding: string, mac = IS_MAC): boolean {
  const parts = binding.split(/-(?!$)/)
  const key = parts.pop()!
  const mod = parts.includes('Mod')
  const wanted = {
    ctrl: parts.includes('Ctrl') || (mod && !mac),
    meta: parts.includes('Meta') || (mod && mac),
    alt: parts.includes('Alt'),
    shift: parts.includes('Shift'),
  }
  if (event.ctrlKey !== wanted.ctrl || event.metaKey !== wanted.meta || event.altKey !== wanted.alt || event.shiftKey !== wanted.shift) return false
  if (/^[a-z]$/i.test(key)) return event.code === `Key${key.toUpperCase()}`
  return event.key === key
}

/** A keydown listener for the shortcuts the page handles (dialogs, panels, modes); true when one matched. */
export function pageKeys(handlers: Partial<Record<ShortcutId, () => void>>): (event: KeyboardEvent) => boolean {
  const entries = Object.entries(handlers) as Array<[ShortcutId, () => void]>
  return (event) => {
    for (const [id, handler] of entries)
      if (bindingsOf(id).some((binding) => matchesBinding(event, binding))) {
        handler()
        return true
      }
    return false
  }
}
