import { untrack } from 'svelte'
import type { EditorSession, Peer } from '../editor/EditorSession.svelte.js'

/** Keys that do not move through the text or change it: pressing them does not end following. */
const PASSIVE_KEYS = new Set(['Tab', 'Shift', 'Control', 'Alt', 'Meta', 'Escape'])
/** A unit counts as being read once more than this much of it is below the top of the text (px, under the scroll padding). */
const READING_MARGIN = 24

/**
 * Following another participant through the draft, as in a rapat with a presenter: this browser
 * publishes the Pasal at the top of its text as `viewing`, and while it follows someone it scrolls
 * to the Pasal they publish. Following only scrolls: it never moves this person's cursor or
 * selection (SPEC S20). It ends when they scroll, click or type themselves, or leave.
 */
export class Following {
  readonly #session: EditorSession
  #clientId = $state<number | null>(null)
  readonly #target: Peer | null
  /** A string, so that other changes to their presence (their cursor moving) do not scroll again. */
  readonly #targetPasal: string | null
  readonly #ready: boolean
  #scroller: HTMLElement | null = null
  #frame = 0
  readonly #cleanup: () => void

  constructor(session: EditorSession) {
    this.#session = session
    this.#target = $derived(this.#clientId === null ? null : (session.peers.find((p) => p.clientId === this.#clientId) ?? null))
    this.#targetPasal = $derived(this.#target?.viewing?.pasalId ?? null)
    this.#ready = $derived(session.state !== null)
    this.#cleanup = $effect.root(() => {
      // Each time the followed person reaches another Pasal, go there too.
      $effect(() => {
        const pasalId = this.#targetPasal
        if (pasalId) untrack(() => this.#session.revealUnit(pasalId))
      })
      // Publish once the text is shown, not only after the first scroll.
      $effect(() => {
        if (this.#ready) untrack(() => this.#schedulePublish())
      })
      // The followed person closed the draft.
      $effect(() => {
        if (this.#clientId !== null && this.#target === null) untrack(() => this.stop())
      })
    })
  }

  /** The person followed, while following. */
  get target(): Peer | null {
    return this.#target
  }

  /** Follows `clientId` (one of the people in "Sedang membuka", not oneself). */
  follow(clientId: number) {
    if (clientId === this.#session.ydoc.clientID) throw new Error('Following.follow: cannot follow oneself')
    this.#clientId = clientId
  }

  stop() {
    this.#clientId = null
  }

  /**
   * Attachment for the element the text scrolls in: scrolling publishes the Pasal at its top, and
   * this person's own scrolling, clicking or typing there ends following.
   */
  attachScroller = (element: HTMLElement) => {
    this.#scroller = element
    const onScroll = () => this.#schedulePublish()
    const onOwnMove = () => this.stop()
    const onKey = (event: KeyboardEvent) => {
      if (!PASSIVE_KEYS.has(event.key)) this.stop()
    }
    element.addEventListener('scroll', onScroll, { passive: true })
    const moves = ['wheel', 'touchmove', 'mousedown'] as const
    for (const type of moves) element.addEventListener(type, onOwnMove, { passive: true })
    element.addEventListener('keydown', onKey)
    onScroll()
    return () => {
      cancelAnimationFrame(this.#frame)
      element.removeEventListener('scroll', onScroll)
      for (const type of moves) element.removeEventListener(type, onOwnMove)
      element.removeEventListener('keydown', onKey)
      if (this.#scroller === element) this.#scroller = null
    }
  }

  destroy() {
    this.#cleanup()
  }

  #schedulePublish() {
    cancelAnimationFrame(this.#frame)
    this.#frame = requestAnimationFrame(() => this.#publish())
  }

  /** Publishes the first Pasal that reaches below the top of the scrolled area. */
  #publish() {
    const scroller = this.#scroller
    if (!scroller) return
    // Below the scroll padding: where scrolling to a unit puts its top.
    const top = scroller.getBoundingClientRect().top + (parseFloat(getComputedStyle(scroller).scrollPaddingTop) || 0) + READING_MARGIN
    const pasal = [...scroller.querySelectorAll<HTMLElement>('.naskah[role=textbox] article.pasal[data-id]')].find(
      (element) => element.getBoundingClientRect().bottom > top,
    )
    this.#session.publishViewing(pasal?.dataset.id ?? null)
  }
}
