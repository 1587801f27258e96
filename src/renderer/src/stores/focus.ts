import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { useWatchlistsStore } from './watchlists'

export interface FocusRequest {
  symbol: string
  /** Distinguishes two requests for the same symbol, so the table reacts to both. */
  seq: number
}

/**
 * "Show me this symbol" from a notification, a toast or the tray: selects a list holding the
 * symbol (the active one first) and leaves a request the watchlist table reads to scroll the
 * row into view and focus it.
 */
export const useFocusStore = defineStore('focus', () => {
  const request = shallowRef<FocusRequest | null>(null)
  let seq = 0

  /** Returns false when no watchlist holds the symbol. */
  async function focusSymbol(symbol: string): Promise<boolean> {
    const watchlists = useWatchlistsStore()
    const holder = watchlists.active?.symbols.includes(symbol) ? watchlists.active : watchlists.lists.find((l) => l.symbols.includes(symbol))
    if (!holder) return false
    if (holder.id !== watchlists.active?.id) await watchlists.select(holder.id)
    request.value = { symbol, seq: ++seq }
    return true
  }

  function done(): void {
    request.value = null
  }

  return { request, focusSymbol, done }
})
