import { defineStore } from 'pinia'
import { shallowRef } from 'vue'

/**
 * One shared "now" for every age label, ticking once a second. One timer for the whole UI
 * instead of one per row keeps a 1,000-row list cheap.
 */
export const useClockStore = defineStore('clock', () => {
  const now = shallowRef(Date.now())
  let timer: ReturnType<typeof setInterval> | null = null
  let read: () => number = () => Date.now()

  function start(clock: () => number = () => Date.now(), periodMs = 1000): void {
    stop()
    read = clock
    now.value = read()
    timer = setInterval(() => {
      now.value = read()
    }, periodMs)
  }

  function stop(): void {
    if (timer !== null) clearInterval(timer)
    timer = null
  }

  return { now, start, stop }
})
