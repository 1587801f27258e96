import type { SearchSymbolsResponse } from '@shared/symbol-search'

export const SUGGEST_DEBOUNCE_MS = 200
export const SUGGEST_LIMIT = 8

export interface SuggestTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/**
 * Debounced lookups for the add-symbol box: one search per pause in typing, and only the answer
 * to the latest text is ever delivered (an older, slower answer is dropped).
 */
export class SymbolSuggester {
  private timer: unknown = null
  private sequence = 0

  constructor(
    private readonly search: (query: string) => Promise<SearchSymbolsResponse>,
    private readonly deliver: (response: SearchSymbolsResponse | null) => void,
    private readonly timers: SuggestTimers = { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as number) }
  ) {}

  /** Called on every edit; an empty text closes the suggestions at once. */
  update(text: string): void {
    this.cancel()
    const query = text.trim()
    if (query === '') {
      this.deliver(null)
      return
    }
    const ticket = this.sequence
    this.timer = this.timers.setTimeout(() => {
      this.timer = null
      this.search(query).then(
        (response) => {
          if (ticket === this.sequence) this.deliver(response)
        },
        () => {
          // Suggestions are a convenience: a failed lookup just shows none.
          if (ticket === this.sequence) this.deliver(null)
        }
      )
    }, SUGGEST_DEBOUNCE_MS)
  }

  /** Drops the pending lookup and any answer still on its way. */
  cancel(): void {
    this.sequence++
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
  }
}
