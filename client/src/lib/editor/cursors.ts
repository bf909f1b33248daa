import * as Y from 'yjs'
import type { DecorationAttrs } from 'prosemirror-view'
import { decodeCursor, type PresenceUser } from '../../../../shared/presence.js'

/**
 * Remote cursors for y-prosemirror: a coloured caret with a label "Nama · Bidang". Built with DOM
 * properties (not style attributes) and text nodes only, so names can never inject markup. The label
 * would cover the line above, so it shows only on hover and, when `moved`, for a moment after the
 * cursor moved; `data-klien` lets "Sedang membuka" scroll to it.
 */
export function buildCursor(user: Partial<PresenceUser>, clientId: number, moved: boolean): HTMLElement {
  const caret = document.createElement('span')
  caret.className = moved ? 'kursor-jauh baru-bergerak' : 'kursor-jauh'
  caret.dataset.klien = String(clientId)
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

/** Resolves a relative position against the editor's document; throws when it cannot. */
export type PositionResolver = (position: Y.RelativePosition) => unknown

/**
 * The `awarenessStateFilter` for y-prosemirror's cursor plugin. The plugin reads every remote state
 * unchecked while it draws cursors, inside the transaction that applies remote edits: one state it
 * cannot read would throw there, and this browser would stop showing edits. So a remote state is
 * drawn only when its `user` is an object and its `cursor` is null or two relative positions that
 * `resolve` accepts; anything else is skipped and logged once per client id. The server already
 * drops such states (shared/presence.ts); this guard keeps the editor alive if one gets through.
 */
export function remoteCursorFilter(resolve: PositionResolver, warn: (message: string, error: unknown) => void = console.warn) {
  const warned = new Set<number>()
  return (localClientId: number, clientId: number, state: unknown): boolean => {
    if (localClientId === clientId) return false
    try {
      checkRemoteState(state, resolve)
      return true
    } catch (error) {
      if (!warned.has(clientId)) {
        warned.add(clientId)
        warn(`Ignoring the presence of client ${clientId}: its state cannot be read`, error)
      }
      return false
    }
  }
}

function checkRemoteState(state: unknown, resolve: PositionResolver) {
  if (typeof state !== 'object' || state === null) throw new TypeError('state is not an object')
  const { user, cursor } = state as { user?: unknown; cursor?: unknown }
  if (user != null && (typeof user !== 'object' || Array.isArray(user))) throw new TypeError('user is not an object')
  if (cursor == null) return
  const positions = decodeCursor(cursor)
  if (!positions) throw new TypeError('cursor is not two relative positions')
  resolve(Y.createRelativePositionFromJSON(positions.anchor))
  resolve(Y.createRelativePositionFromJSON(positions.head))
}
