import { PluginKey } from 'prosemirror-state'
import type { DecorationSet } from 'prosemirror-view'
import type { NumberingState } from './numbering.js'
import type { CommentsState } from './comments.js'
import type { ReferencesState } from './references.js'
import type { AgreementState } from './agreement.js'
import type { SuggestionsState } from './suggestions.js'
import type { WordingState } from './wording.js'
import type { ComparisonState } from './comparison.js'
import type { FindState } from './find.js'

/** Every PluginKey of the editor, in one place. */
export const numberingKey = new PluginKey<NumberingState>('rancang-numbering')
export const unitIdsKey = new PluginKey('rancang-unit-ids')
export const placeholderKey = new PluginKey<DecorationSet>('rancang-placeholder')
export const commentsKey = new PluginKey<CommentsState>('rancang-comments')
export const referencesKey = new PluginKey<ReferencesState>('rancang-references')
export const agreementKey = new PluginKey<AgreementState>('rancang-agreement')
export const suggestionsKey = new PluginKey<SuggestionsState>('rancang-suggestions')
export const wordingKey = new PluginKey<WordingState>('rancang-wording')
export const comparisonKey = new PluginKey<ComparisonState>('rancang-comparison')
export const structureKey = new PluginKey('rancang-structure')
export const pasteKey = new PluginKey('rancang-paste')
export const agreedEditsKey = new PluginKey('rancang-agreed-edits')
export const findKey = new PluginKey<FindState>('rancang-find')
export const brokenReferencesKey = new PluginKey<boolean>('rancang-broken-references')
