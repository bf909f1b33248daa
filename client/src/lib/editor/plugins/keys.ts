import { PluginKey } from 'prosemirror-state'
import type { DecorationSet } from 'prosemirror-view'
import type { NumberingState } from './numbering.js'
import type { CommentsState } from './comments.js'

/** Every PluginKey of the editor, in one place. */
export const numberingKey = new PluginKey<NumberingState>('rancang-numbering')
export const unitIdsKey = new PluginKey('rancang-unit-ids')
export const placeholderKey = new PluginKey<DecorationSet>('rancang-placeholder')
export const commentsKey = new PluginKey<CommentsState>('rancang-comments')
