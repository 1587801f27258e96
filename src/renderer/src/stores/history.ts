import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { HistoryRange, HistoryResponse } from '@shared/history'
import { useApiStore } from './api'

/**
 * The details panel's state: which symbol is open, the chosen range and its price history.
 * Only the latest request counts; a slower answer for a range the user already left is dropped.
 */
export const useHistoryStore = defineStore('history', () => {
  const symbol = shallowRef<string | null>(null)
  const range = shallowRef<HistoryRange>('1mo')
  const response = shallowRef<HistoryResponse | null>(null)
  const loading = shallowRef(false)
  /** Why nothing can be charted, in plain words (the provider's or the call's). */
  const error = shallowRef<string | null>(null)
  let seq = 0

  /** Asking again is pointless while a request runs or a chart is shown; after an error it is a retry. */
  function settled(): boolean {
    return loading.value || (response.value !== null && response.value.error === null)
  }

  function open(next: string): void {
    if (symbol.value === next && settled()) return
    symbol.value = next
    void load()
  }

  function close(): void {
    seq++
    symbol.value = null
    response.value = null
    error.value = null
    loading.value = false
  }

  function setRange(next: HistoryRange): void {
    if (next === range.value && settled()) return
    range.value = next
    void load()
  }

  async function load(): Promise<void> {
    const wanted = symbol.value
    if (wanted === null) return
    const mine = ++seq
    const asked = range.value
    loading.value = true
    error.value = null
    response.value = null
    try {
      const answer = await useApiStore().api().getHistory({ symbol: wanted, range: asked })
      if (mine !== seq) return
      response.value = answer
      error.value = answer.error
    } catch (failure) {
      if (mine !== seq) return
      error.value = failure instanceof Error && failure.message ? failure.message : 'The price history could not be loaded.'
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { symbol, range, response, loading, error, open, close, setRange, reload: load }
})
