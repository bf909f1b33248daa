import { Plugin, type EditorState } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type * as Y from 'yjs'
import type { Thread } from '../../../../../shared/comments.js'
import { resolveAnchor, type AnchorState } from '../../../../../shared/anchors.js'
import { commentsKey, numberingKey } from './keys.js'

export interface CommentsState {
  readonly threads: ReadonlyMap<string, Thread>
  /** Where each thread hangs now (recomputed on every change of text or threads). */
  readonly anchors: ReadonlyMap<string, AnchorState>
  /** The thread the panel has open, highlighted more strongly. */
  readonly active: string | null
  readonly decorations: DecorationSet
}

export interface CommentsPluginOptions {
  readonly ydoc: Y.Doc
  readonly fragment: Y.XmlFragment
  /** A Pasal's comment badge was clicked. */
  readonly onBadge: (pasalId: string) => void
}

type Meta = { readonly threads?: ReadonlyMap<string, Thread>; readonly active?: string | null }

function badge(count: number, label: string, pasalId: string, onBadge: (pasalId: string) => void) {
  return () => {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'lencana-komentar'
    button.contentEditable = 'false'
    button.textContent = String(count)
    button.title = `${count} komentar terbuka pada ${label}`
    button.setAttribute('aria-label', button.title)
    button.addEventListener('mousedown', (event) => event.preventDefault())
    button.addEventListener('click', () => onBadge(pasalId))
    return button
  }
}

function build(state: EditorState, threads: ReadonlyMap<string, Thread>, active: string | null, options: CommentsPluginOptions): CommentsState {
  const numbering = numberingKey.getState(state)!.numbering
  const anchors = new Map<string, AnchorState>()
  const decorations: Decoration[] = []
  const open = new Map<string, { pos: number; label: string; count: number }>()
  for (const thread of threads.values()) {
    const anchor = resolveAnchor(thread.anchor, state.doc, numbering, options.ydoc, options.fragment)
    anchors.set(thread.id, anchor)
    if (anchor.status !== 'attached' || thread.status !== 'open') continue
    const entry = open.get(thread.anchor.pasalId) ?? { pos: anchor.pasalPos, label: anchor.pasalLabel, count: 0 }
    entry.count += 1
    open.set(thread.anchor.pasalId, entry)
    if (anchor.range) {
      const cls = thread.id === active ? 'sorot-komentar aktif' : 'sorot-komentar'
      decorations.push(Decoration.inline(anchor.range.from, anchor.range.to, { class: cls, 'data-thread': thread.id }))
    }
  }
  for (const [pasalId, { pos, label, count }] of open) {
    decorations.push(
      Decoration.widget(pos + 1, badge(count, label, pasalId, options.onBadge), {
        side: -1,
        // The number is part of the key: a widget with the same key keeps its DOM, and with it a stale label (S22).
        key: `komentar-${pasalId}-${count}-${label}`,
        ignoreSelection: true,
      }),
    )
  }
  return { threads, anchors, active, decorations: DecorationSet.create(state.doc, decorations) }
}

/**
 * Comment anchors in the text: a badge with the number of open threads beside each Pasal, and a
 * highlight on every phrase a thread is about. Threads come in through `setThreads`.
 */
export function commentsPlugin(options: CommentsPluginOptions): Plugin<CommentsState> {
  return new Plugin<CommentsState>({
    key: commentsKey,
    state: {
      init: (_, state) => build(state, new Map(), null, options),
      apply: (tr, previous, _old, state) => {
        const meta = tr.getMeta(commentsKey) as Meta | undefined
        if (!meta && !tr.docChanged) return previous
        return build(state, meta?.threads ?? previous.threads, meta?.active !== undefined ? meta.active : previous.active, options)
      },
    },
    props: {
      decorations: (state) => commentsKey.getState(state)?.decorations,
    },
  })
}

/** A transaction that hands the plugin the current threads (and optionally the active one). */
export const setThreads = (state: EditorState, threads: ReadonlyMap<string, Thread>) => state.tr.setMeta(commentsKey, { threads } satisfies Meta)
export const setActiveThread = (state: EditorState, active: string | null) => state.tr.setMeta(commentsKey, { active } satisfies Meta)
