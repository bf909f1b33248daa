/**
 * Key combinations the operating system or the browser takes before a web page sees them (or
 * that close, reload or switch away from it), written as ProseMirror names them with `Mod`
 * resolved: `Ctrl-` on Windows, Linux and ChromeOS, `Meta-` (⌘) on macOS. A shortcut of ours must
 * be none of them on any platform (keymap.test.ts).
 */

/** Windows, Linux desktops (GNOME, KDE, X11) and ChromeOS; Chromium, Firefox and Edge. */
const PC = [
  'Ctrl-Alt-Delete', // Windows secure attention sequence; GNOME log out
  'Ctrl-Alt-Backspace', // X11 "zap" (kills the session where enabled)
  'Ctrl-Alt-ArrowUp', // GNOME, KDE: switch workspace
  'Ctrl-Alt-ArrowDown',
  'Ctrl-Alt-ArrowLeft',
  'Ctrl-Alt-ArrowRight',
  'Ctrl-Alt-t', // Ubuntu: terminal
  'Ctrl-Alt-l', // Ubuntu, KDE: lock screen
  'Ctrl-Alt-d', // GNOME: show desktop
  'Ctrl-Alt-Tab',
  'Ctrl-Alt-z', // ChromeOS: ChromeVox
  'Ctrl-Shift-Escape', // Windows: Task Manager
  'Ctrl-Shift-Delete', // browsers: clear browsing data
  'Alt-F4',
  'Ctrl-F4',
  'Ctrl-w',
  'Ctrl-t',
  'Ctrl-n',
  'Ctrl-Shift-w',
  'Ctrl-Shift-t',
  'Ctrl-Shift-n',
  'Ctrl-Shift-q', // Chromium on Linux, ChromeOS: quit / sign out
  'Ctrl-Shift-i', // developer tools
  'Ctrl-Shift-j',
  'Ctrl-Shift-c',
  'Ctrl-Tab',
  'Ctrl-Shift-Tab',
  'Ctrl-PageUp',
  'Ctrl-PageDown',
  'Alt-Tab',
  'Alt-Home',
  'Alt-ArrowLeft', // back and forward
  'Alt-ArrowRight',
  'F5',
  'Ctrl-r',
  'F11',
  'F12',
  'Ctrl-l', // address bar
]

/** macOS (system and app menu), Chrome, Safari and Firefox on it. */
const MAC = [
  'Meta-w',
  'Meta-t',
  'Meta-n',
  'Meta-q',
  'Meta-h', // hide the application
  'Meta-m', // minimise
  'Meta-Alt-h', // hide the others
  'Meta-Alt-m', // minimise all
  'Meta-Alt-d', // show / hide the Dock
  'Meta-Alt-Escape', // force quit
  'Meta-Alt-b', // Chrome: bookmark manager
  'Meta-Alt-l', // Chrome: downloads
  'Meta-Alt-i', // developer tools
  'Meta-Alt-j',
  'Meta-Alt-c',
  'Meta-Alt-u', // Chrome: view source
  'Meta-Alt-k', // Firefox: web console
  'Meta-Alt-f', // Chrome: search the web
  'Meta-Alt-ArrowLeft', // Chrome: previous / next tab
  'Meta-Alt-ArrowRight',
  'Meta-Alt- ', // Finder search
  'Meta-Shift-q', // log out
  'Meta-Shift-3', // screenshots
  'Meta-Shift-4',
  'Meta-Shift-5',
  'Meta-Tab',
  'Meta- ', // Spotlight
  'Meta-`',
  'Meta-,', // preferences
  'Meta-r',
  'Meta-l',
]

/** A key name with its modifiers in one order, so that "Alt-Ctrl-x" and "Ctrl-Alt-x" compare equal. */
function canonical(name: string): string {
  const parts = name.split(/-(?!$)/)
  const key = parts.pop()!
  const mods = new Set(parts.map((part) => part.toLowerCase()))
  const order = ['shift', 'ctrl', 'alt', 'meta'].filter((mod) => mods.has(mod))
  return [...order, key.length === 1 ? key.toLowerCase() : key].join('-')
}

const RESERVED = { pc: new Set(PC.map(canonical)), mac: new Set(MAC.map(canonical)) }

export type Platform = keyof typeof RESERVED

/** `binding` (ProseMirror's notation, `Mod-` allowed) as pressed on `platform`. */
export const onPlatform = (binding: string, platform: Platform) => binding.replace(/\bMod-/, platform === 'mac' ? 'Meta-' : 'Ctrl-')

/** Whether `binding` never reaches a page on `platform`. */
export const isReserved = (binding: string, platform: Platform): boolean => RESERVED[platform].has(canonical(onPlatform(binding, platform)))
