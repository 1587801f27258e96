import type { ProviderId } from '../../shared/providers'
import type { MarketState, Quote } from '../../shared/quote'
import { assetClassOf, CLOSE_GRACE_MS, type AssetClass } from './market-policy'
import { sessionAt as nyseSessionAt, type MarketSession } from './nyse-calendar'

/**
 * Providers whose market state is their own word: Yahoo reports pre/post itself, and the
 * simulated market is a demo that trades around the clock.
 */
const OWN_STATE: ReadonlySet<ProviderId> = new Set(['yahoo', 'simulated'])
/** Crypto exchanges only list pairs that trade around the clock. */
const CRYPTO_ONLY: ReadonlySet<ProviderId> = new Set(['coinbase', 'binance', 'coingecko'])

/** Sessions change on whole minutes (04:00, 09:30, 13:00, 16:00, 20:00 New York). */
const MINUTE_MS = 60_000
/** Enough minutes for a day of distinct quote times; cleared past it so memory stays flat. */
const SESSION_CACHE_MAX = 2_048
const CLASS_CACHE_MAX = 50_000

export interface MarketStateStampOptions {
  /** Seam for tests; the NYSE calendar otherwise. */
  sessionAt?: (time: number) => MarketSession
}

/**
 * Marks pre- and post-market on US-equity quotes from providers that cannot tell them apart
 * (Twelve Data only knows open/closed; others compute the state at receipt). A polled quote
 * takes the session at its provider time while that is recent (a delayed feed still shows the
 * session its price belongs to), else the session now; it only replaces the adapter's plain
 * 'regular'/'closed'. A live tick takes the session at its trade time outright, since the quote
 * it was merged onto may be from an earlier session.
 * Runs for every quote: a per-minute session cache and a per-symbol class cache keep it to a
 * couple of map lookups.
 */
export class MarketStateStamp {
  private readonly sessionAt: (time: number) => MarketSession
  private readonly sessions = new Map<number, MarketSession>()
  private readonly classes = new Map<string, AssetClass>()

  constructor(options: MarketStateStampOptions = {}) {
    this.sessionAt = options.sessionAt ?? nyseSessionAt
  }

  /** The quote itself when nothing changes, else a copy with the calendar's state. */
  stamp(quote: Quote, provider: ProviderId, live = false): Quote {
    if (OWN_STATE.has(provider) || CRYPTO_ONLY.has(provider)) return quote
    if (this.classOf(quote.symbol) !== 'us-equity') return quote
    const state = this.stateFor(quote, live)
    if (state === null || state === quote.marketState) return quote
    return { ...quote, marketState: state }
  }

  private stateFor(quote: Quote, live: boolean): MarketState | null {
    const { providerTime, receivedAt } = quote
    if (live) return this.session(providerTime)
    if (quote.marketState !== 'regular' && quote.marketState !== 'closed') return null
    const recent = Math.abs(receivedAt - providerTime) <= CLOSE_GRACE_MS
    const session = this.session(recent ? providerTime : receivedAt)
    return session === 'pre' || session === 'post' ? session : null
  }

  private session(time: number): MarketSession {
    const minute = Math.floor(time / MINUTE_MS)
    let session = this.sessions.get(minute)
    if (session === undefined) {
      if (this.sessions.size >= SESSION_CACHE_MAX) this.sessions.clear()
      session = this.sessionAt(minute * MINUTE_MS)
      this.sessions.set(minute, session)
    }
    return session
  }

  private classOf(symbol: string): AssetClass {
    let cls = this.classes.get(symbol)
    if (cls === undefined) {
      if (this.classes.size >= CLASS_CACHE_MAX) this.classes.clear()
      cls = assetClassOf(symbol)
      this.classes.set(symbol, cls)
    }
    return cls
  }
}
