import { vi } from 'vitest'
import type { AlertsState } from '../../shared/alerts'
import { DEFAULT_NOTIFICATION_SETTINGS, DEFAULT_TRAY_SETTINGS, type Settings, type Status } from '../../shared/ipc/contract'
import type { Quote } from '../../shared/quote'
import type { HostEventListener, TrayHost } from '../tray-controller'

export function testQuote(symbol: string, price: number, changePercent: number): Quote {
  return {
    symbol, name: null, price, change: null, changePercent, open: null, previousClose: null, dayHigh: null, dayLow: null,
    volume: null, marketCap: null, currency: 'USD', marketState: 'regular', preMarketPrice: null, postMarketPrice: null,
    fiftyTwoWeekHigh: null, fiftyTwoWeekLow: null, providerTime: 0, receivedAt: 0, source: 'simulated', delayed: false
  }
}

/** An in-memory stand-in for HostCore as the tray and desktop shell see it. */
export class FakeTrayHost implements TrayHost {
  settings: Settings = {
    provider: 'simulated',
    cryptoProvider: 'simulated',
    fallbackProviders: [],
    symbolProviders: {},
    refreshIntervalSec: 5,
    extendedHours: false,
    theme: 'system',
    notifications: DEFAULT_NOTIFICATION_SETTINGS,
    tray: { ...DEFAULT_TRAY_SETTINGS, pinnedSymbols: ['AAPL', 'MSFT'] }
  }
  alerts: AlertsState = { rules: [], inbox: [], unread: 0 }
  current: Status = { engine: 'running', provider: 'simulated', online: true, offlineSince: null, lastUpdate: null, lastError: null, rateLimitedUntil: null, paused: false, providers: [] }
  quotes = new Map<string, Quote>([['AAPL', testQuote('AAPL', 187.42, 1.2)], ['MSFT', testQuote('MSFT', 410, 0.3)]])
  listeners = new Set<HostEventListener>()
  impl = { refreshNow: vi.fn(() => null), setUpdatesPaused: vi.fn(() => null) }
  focusSymbol = vi.fn()
  status = () => this.current
  getQuote = (symbol: string) => this.quotes.get(symbol)
  onHostEvent(listener: HostEventListener) {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }
  emit: HostEventListener = (event, payload) => this.listeners.forEach((l) => l(event, payload))
  setPrice(symbol: string, price: number, changePercent = 1.2) {
    this.quotes.set(symbol, testQuote(symbol, price, changePercent))
    this.emit('quotes', [{ symbol, price, changePercent }])
  }
}
