import { keymap } from 'prosemirror-keymap'
import { baseKeymap, chainCommands, toggleMark } from 'prosemirror-commands'
import type { Plugin } from 'prosemirror-state'
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

/** A keyboard shortcut as shown to people, with the command's Indonesian name. */
export interface Shortcut {
  readonly keys: string
  readonly label: string
}

/** The shortcuts listed in the "Pintasan papan ketik" dialog; the bindings below follow it. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Ctrl+Alt+P', label: 'Tambah pasal sesudah pasal ini' },
  { keys: 'Ctrl+Alt+A', label: 'Tambah ayat' },
  { keys: 'Ctrl+Alt+H', label: 'Tambah huruf/angka (rincian)' },
  { keys: 'Ctrl+Alt+B', label: 'Tambah BAB' },
  { keys: 'Ctrl+Alt+G', label: 'Tambah Bagian' },
  { keys: 'Alt+Shift+↑ / ↓', label: 'Pindahkan pasal ke atas / ke bawah' },
  { keys: 'Ctrl+Alt+Delete', label: 'Hapus pasal ini' },
  { keys: 'Enter', label: 'Ayat atau rincian baru (di rincian kosong: keluar dari rincian)' },
  { keys: 'Tab / Shift+Tab', label: 'Turunkan / naikkan tingkat rincian; di tabel: sel berikutnya / sebelumnya' },
  { keys: 'Ctrl+Alt+K', label: 'Sisipkan rujukan ke pasal, ayat atau huruf' },
  { keys: 'Ctrl+Alt+R', label: 'Jadikan rujukan yang diketik manual rujukan hidup' },
  { keys: 'Ctrl+Alt+M', label: 'Beri komentar pada pasal ini' },
  { keys: 'Ctrl+Alt+S', label: 'Mode usulan (Menyarankan) nyala / mati: ketikan menjadi usulan perubahan' },
  { keys: 'Ctrl+Z', label: 'Urungkan (hanya perubahan Anda sendiri)' },
  { keys: 'Ctrl+Y / Ctrl+Shift+Z', label: 'Ulangi' },
  { keys: 'Ctrl+I', label: 'Cetak miring (istilah asing)' },
  { keys: 'Esc', label: 'Keluar dari naskah ke bilah alat' },
]

/** The editor's key bindings, before ProseMirror's base keymap. */
export function editorKeymap(): Plugin[] {
  return [
    keymap({
      'Mod-Alt-p': insertPasal,
      'Mod-Alt-a': insertAyat,
      'Mod-Alt-h': insertButir,
      'Mod-Alt-b': insertBab,
      'Mod-Alt-g': insertBagian,
      'Alt-Shift-ArrowUp': movePasal(-1),
      'Alt-Shift-ArrowDown': movePasal(1),
      'Mod-Alt-Delete': deletePasal,
      'Mod-Alt-Backspace': deletePasal,
      'Mod-Alt-r': makeReferencesLive,
      Enter: chainCommands(enterMovesOn, splitButir, splitAyat),
      Backspace: joinAyatBackward,
      // In a Lampiran's table, Tab moves between cells; elsewhere it changes a rincian's level.
      Tab: chainCommands(goToNextCell(1), sinkButir),
      'Shift-Tab': chainCommands(goToNextCell(-1), liftButir),
      'Mod-z': undoCommand,
      'Mod-y': redoCommand,
      'Shift-Mod-z': redoCommand,
      'Mod-i': toggleMark(schema.marks.em!),
      'Mod-b': toggleMark(schema.marks.strong!),
    }),
    keymap(baseKeymap),
  ]
}
