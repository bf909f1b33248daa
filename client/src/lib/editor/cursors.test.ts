import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness'
import { EditorState } from 'prosemirror-state'
import { initProseMirrorDoc, relativePositionToAbsolutePosition, yCursorPlugin, yCursorPluginKey, ySyncPlugin } from 'y-prosemirror'
import { bab, pasal, regulation } from '../../../../shared/model/builders.js'
import { encodeDocument, FRAGMENT } from '../../../../shared/model/ydoc.js'
import { schema } from '../../../../shared/model/schema.js'
import { encodeAwarenessEntries } from '../../../../shared/protocol/awareness.js'
import { remoteCursorFilter } from './cursors.js'

const draft = regulation({
  nama: 'UJI KEHADIRAN',
  menimbang: ['bahwa kehadiran perlu diuji;'],
  mengingat: ['Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;'],
  batangTubuh: [bab('KETENTUAN UMUM', pasal('Perangkat Daerah wajib menyediakan layanan digital.'))],
})

/** One browser's editor state with the cursor plugin, and a way to receive remote awareness states as the provider does. */
function editor(filter?: ReturnType<typeof remoteCursorFilter>) {
  const ydoc = new Y.Doc()
  Y.applyUpdate(ydoc, encodeDocument(draft))
  const fragment = ydoc.getXmlFragment(FRAGMENT)
  const { doc, mapping } = initProseMirrorDoc(fragment, schema)
  const awareness = new Awareness(ydoc)
  const receive = (clientId: number, state: unknown) =>
    applyAwarenessUpdate(awareness, encodeAwarenessEntries([{ clientId, clock: 1, state: JSON.stringify(state) }]), 'remote')
  const create = () =>
    EditorState.create({
      schema,
      doc,
      plugins: [ySyncPlugin(fragment, { mapping }), yCursorPlugin(awareness, filter ? { awarenessStateFilter: filter } : {})],
    })
  return { ydoc, fragment, mapping, receive, create }
}

const user = { username: 'tamu', name: 'Tamu', bidang: 'Inspektorat', role: 'viewer', color: '#1d4ed8' }

describe('remote cursors', () => {
  it("without the guard, one remote state with a cursor y-prosemirror cannot read breaks this browser's editor", () => {
    const { receive, create } = editor()
    receive(7, { user, cursor: {} })
    expect(create).toThrow()
  })

  it('skips malformed remote states, logs each client once, and still draws the valid cursors', () => {
    const warnings: number[] = []
    const filter = remoteCursorFilter(
      (position) => relativePositionToAbsolutePosition(ydoc, fragment, position, mapping),
      (message) => warnings.push(Number(/client (\d+)/.exec(message)?.[1])),
    )
    const { ydoc, fragment, mapping, receive, create } = editor(filter)
    const caret = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(fragment.get(0) as Y.XmlElement, 0))) as unknown
    receive(7, { user, cursor: {} })
    receive(8, { user, cursor: { anchor: 1, head: 'x' } })
    receive(9, { user: 'tamu', cursor: { anchor: caret, head: caret } })
    receive(10, { user, cursor: { anchor: { type: null, tname: FRAGMENT, item: { client: 1, clock: 1e9 }, assoc: 0 }, head: caret } })
    receive(11, { user, cursor: { anchor: caret, head: caret } })
    const state = create()
    // Drawing again (the plugin redraws on every awareness change) logs nobody twice.
    create()
    const cursors = yCursorPluginKey
      .getState(state)
      .find()
      .filter((d: { spec: { key?: string } }) => d.spec.key !== undefined)
    expect(cursors.map((d: { spec: { key: string } }) => d.spec.key)).toEqual(['11'])
    expect(warnings.sort()).toEqual([7, 8, 9])
  })

  it('never draws its own cursor', () => {
    const filter = remoteCursorFilter(() => 0)
    expect(filter(5, 5, { user, cursor: null })).toBe(false)
    expect(filter(5, 6, { user, cursor: null })).toBe(true)
  })
})
