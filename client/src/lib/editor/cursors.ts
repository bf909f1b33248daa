import type { DecorationAttrs } from 'prosemirror-view'
import type { PresenceUser } from '../../../../shared/presence.js'

/**
 * Remote cursors for y-prosemirror: a coloured caret with a label "Nama · Bidang". Built with DOM
 * properties (not style attributes) and text nodes only, so names can never inject markup.
 */
export function buildCursor(user: Partial<PresenceUser>): HTMLElement {
  const caret = document.createElement('span')
  caret.className = 'kursor-jauh'
  caret.style.borderColor = user.color ?? '#64748b'
  const label = document.createElement('span')
  label.className = 'kursor-label'
  label.style.backgroundColor = user.color ?? '#64748b'
  label.textContent = user.bidang ? `${user.name ?? 'Tanpa nama'} · ${user.bidang}` : (user.name ?? 'Tanpa nama')
  caret.append('\u2060', label, '\u2060')
  return caret
}

export function buildSelection(user: Partial<PresenceUser>): DecorationAttrs {
  return { class: 'seleksi-jauh', style: `background-color: ${user.color ?? '#64748b'}33` }
}
