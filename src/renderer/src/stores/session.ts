import { defineStore } from 'pinia'
import { shallowRef, watch } from 'vue'
import type { RendererApi } from '@shared/ipc/contract'
import type { HostConnection } from '../api/connection'
import type { FrameScheduler } from '../lib/patch-queue'
import { InterestSender } from '../lib/interest-sender'
import { useAlertsStore } from './alerts'
import { useApiStore } from './api'
import { useBrowserNotificationsStore } from './browser-notifications'
import { useClockStore } from './clock'
import { useFocusStore } from './focus'
import { useNoticesStore } from './notices'
import { useProviderKeysStore } from './provider-keys'
import { useQuotesStore } from './quotes'
import { useSettingsStore } from './settings'
import { useStatusStore } from './status'
import { useVisibleRowsStore } from './visible-rows'
import { useWatchlistsStore } from './watchlists'

export interface SessionOptions {
  api: RendererApi
  connection: HostConnection
  now?: () => number
  schedule?: FrameScheduler
  /** Where 'online' events come from (window by default). */
  network?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>
  /** Timers for spacing out interest updates while scrolling (setTimeout by default). */
  setTimer?: (callback: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'Something went wrong talking to TickerDesk.'
}

/**
 * Wires the host API to the stores: bootstrap, every event, and the interest set (the active
 * list's symbols and the rows on screen), and does it all again after the web bridge reconnects.
 */
export const useSessionStore = defineStore('session', () => {
  const ready = shallowRef(false)
  const bootstrapError = shallowRef<string | null>(null)
  const disposers: Array<() => void> = []

  async function start(options: SessionOptions): Promise<void> {
    stop()
    const { api, connection } = options
    const now = options.now ?? (() => Date.now())
    useApiStore().set(api)
    const quotes = useQuotesStore()
    quotes.configure({ now, ...(options.schedule ? { schedule: options.schedule } : {}) })
    const watchlists = useWatchlistsStore()
    const settings = useSettingsStore()
    const status = useStatusStore()
    const notices = useNoticesStore()
    const clock = useClockStore()
    const alerts = useAlertsStore()
    const browserNotifications = useBrowserNotificationsStore()
    const focus = useFocusStore()
    const providerKeys = useProviderKeysStore()
    clock.start(now)
    disposers.push(() => clock.stop(), () => alerts.reset())

    disposers.push(
      api.on('quotes', (patches) => quotes.enqueue(patches)),
      api.on('status', (next) => status.apply(next)),
      api.on('watchlists', (next) => watchlists.apply(next)),
      api.on('settings', (next) => settings.apply(next)),
      api.on('symbolErrors', (list) => quotes.setErrors(list)),
      api.on('notice', (notice) => notices.add(notice)),
      api.on('alerts', (next) => alerts.apply(next)),
      api.on('alertFired', (entry) => alerts.fired(entry)),
      api.on('notification', (n) => void browserNotifications.show(n)),
      api.on('tickFlags', (list) => alerts.applyTickFlags(list)),
      api.on('providerKeys', (next) => providerKeys.apply(next)),
      api.on('focusSymbol', ({ symbol }) => void focus.focusSymbol(symbol).catch(() => {}))
    )

    let needsBootstrap = false
    const visibleRows = useVisibleRowsStore()
    const currentInterest = () => ({ symbols: watchlists.activeSymbols, visible: visibleRows.symbols })
    const interest = new InterestSender({
      send: async ({ symbols, visible }) => {
        if (!ready.value) throw new Error('Not bootstrapped yet.')
        await api.setInterest(visible === null ? { symbols: [...symbols] } : { symbols: [...symbols], visible: [...visible] })
      },
      now,
      setTimer: options.setTimer ?? ((callback, ms) => setTimeout(callback, ms)),
      clearTimer: options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>))
    })
    disposers.push(() => interest.dispose())

    async function bootstrap(): Promise<void> {
      needsBootstrap = false
      try {
        const data = await api.bootstrap({})
        watchlists.apply(data.watchlists)
        settings.apply(data.settings)
        status.apply(data.status)
        quotes.load(data.quotes)
        quotes.replaceErrors(data.symbolErrors)
        notices.replaceHost(data.notices)
        alerts.apply(data.alerts)
        if (data.providerKeys) providerKeys.apply(data.providerKeys)
        bootstrapError.value = null
        status.everConnected = true
        ready.value = true
        interest.reset()
        interest.update(currentInterest())
      } catch (error) {
        needsBootstrap = true
        bootstrapError.value = messageOf(error)
      }
    }

    status.setConnection(connection.state, now(), connection.problem)
    disposers.push(
      connection.onChange((state) => {
        status.setConnection(state, now(), connection.problem)
        if (state !== 'connected') {
          // The host forgets a client's interest when its socket closes.
          needsBootstrap = true
          interest.reset()
        } else if (needsBootstrap) {
          void bootstrap()
        }
      })
    )
    disposers.push(
      watch(currentInterest, (next) => {
        if (ready.value) interest.update(next)
      })
    )

    // Request failures decide "offline"; the OS saying the network is back is only a hint, but
    // a good one: ask for a refresh at once instead of waiting out the engine's retry backoff.
    const network = options.network ?? (typeof window === 'undefined' ? undefined : window)
    if (network) {
      const onOnline = (): void => {
        if (ready.value && status.status?.online === false) void api.refreshNow({ automatic: true }).catch(() => {})
      }
      network.addEventListener('online', onOnline)
      disposers.push(() => network.removeEventListener('online', onOnline))
    }

    if (connection.problem) {
      bootstrapError.value = connection.problem
      return
    }
    await bootstrap()
  }

  function stop(): void {
    for (const dispose of disposers.splice(0)) dispose()
  }

  return { ready, bootstrapError, start, stop }
})
