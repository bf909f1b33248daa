import { Plugin, type EditorState } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import { STATUS_LABELS, type StatusRecord } from '../../../../../shared/agreement.js'
import { agreementKey, numberingKey } from './keys.js'

export interface AgreementState {
  readonly statuses: ReadonlyMap<string, StatusRecord>
  readonly decorations: DecorationSet
}

function chip(status: StatusRecord['status'], label: string, pasalId: string, onChip: (pasalId: string) => void) {
  return () => {
    const button = document.createElement('button')
    button.type = 'button'
    button.className = `status-pasal ${status}`
    button.contentEditable = 'false'
    button.tabIndex = -1
    button.textContent = STATUS_LABELS[status]
    button.title = `${label}: ${STATUS_LABELS[status]}`
    button.setAttribute('aria-label', button.title)
    button.addEventListener('mousedown', (event) => event.preventDefault())
    button.addEventListener('click', () => onChip(pasalId))
    return button
  }
}

function build(state: EditorState, statuses: ReadonlyMap<string, StatusRecord>, onChip: (pasalId: string) => void): AgreementState {
  const decorations: Decoration[] = []
  for (const label of numberingKey.getState(state)!.numbering.labels) {
    if (label.kind !== 'pasal' || !label.id) continue
    const status = statuses.get(label.id)?.status ?? 'draf'
    decorations.push(
      Decoration.widget(label.pos + 1, chip(status, label.label, label.id, onChip), {
        side: -2,
        // The number is part of the key: a widget with the same key keeps its DOM, and with it a stale tooltip (S22).
        key: `status-${label.id}-${status}-${label.label}`,
        ignoreSelection: true,
      }),
    )
  }
  return { statuses, decorations: DecorationSet.create(state.doc, decorations) }
}

/** The agreement status of each Pasal in the margin (Draf, Dibahas, Disepakati). */
export function agreementPlugin(onChip: (pasalId: string) => void): Plugin<AgreementState> {
  return new Plugin<AgreementState>({
    key: agreementKey,
    state: {
      init: (_, state) => build(state, new Map(), onChip),
      apply: (tr, previous, _old, state) => {
        const statuses = tr.getMeta(agreementKey) as ReadonlyMap<string, StatusRecord> | undefined
        if (!statuses && !tr.docChanged) return previous
        return build(state, statuses ?? previous.statuses, onChip)
      },
    },
    props: {
      decorations: (state) => agreementKey.getState(state)?.decorations,
    },
  })
}

/** A transaction that hands the plugin the current statuses. */
export const setStatuses = (state: EditorState, statuses: ReadonlyMap<string, StatusRecord>) => state.tr.setMeta(agreementKey, statuses)
