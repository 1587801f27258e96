import type { ProviderId } from '../../shared/providers'
import type { MarketSession } from './nyse-calendar'

/**
 * - 'crypto': trades around the clock, always polled.
 * - 'us-equity': follows the NYSE calendar.
 * - 'other': everything the NYSE calendar does not describe (exchange suffixes such as .L or .T,
 *   FX "=X", futures "=F", indices "^"). Always polled: their own exchange hours are not modelled.
 */
export type AssetClass = 'crypto' | 'us-equity' | 'other'

const CRYPTO_PROVIDERS: readonly ProviderId[] = ['coinbase', 'binance', 'coingecko']

/** Quote currencies of crypto pairs: BTC-USD, ETH/EUR, SOL-USDT. */
const PAIR_QUOTES = new Set(['USD', 'USDT', 'USDC', 'BUSD', 'FDUSD', 'DAI', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'BTC', 'ETH'])
/** Fiat bases make a pair FX (EUR/USD), not crypto. */
const FIAT = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'CHF', 'NZD', 'CNY', 'HKD', 'SEK', 'NOK', 'DKK', 'MXN', 'INR', 'ZAR'])
/** Stablecoin quotes mark unseparated pairs (BTCUSDT) as crypto; a plain "USD" ending would catch equities. */
const STABLE_SUFFIX = /^[A-Z0-9]{2,10}(USDT|USDC|BUSD|FDUSD)$/

/**
 * Exchange suffixes of non-US listings (Yahoo style). Single letters A–C after a dot are US share
 * classes (BRK.B), so only listed suffixes count as foreign.
 */
const FOREIGN_SUFFIXES = new Set([
  'L', 'IL', 'T', 'TO', 'V', 'NE', 'CN', 'DE', 'F', 'BE', 'DU', 'HM', 'MU', 'SG', 'PA', 'AS', 'BR', 'LS', 'MI', 'MC',
  'SW', 'VX', 'ST', 'OL', 'CO', 'HE', 'IC', 'IR', 'VI', 'WA', 'PR', 'BD', 'AT', 'IS', 'HK', 'SS', 'SZ', 'TW', 'TWO',
  'KS', 'KQ', 'AX', 'NZ', 'NS', 'BO', 'SI', 'JK', 'KL', 'BK', 'SA', 'MX', 'BA', 'SN', 'JO', 'TA', 'QA', 'SR', 'CA'
])

/**
 * Decides a symbol's asset class: anything from a crypto-only provider is crypto; BASE-QUOTE or
 * BASE/QUOTE with a crypto base and a known quote currency is crypto, and so is BASE+stablecoin;
 * FX, futures, indices and non-US exchange suffixes are 'other'; the rest are US equities.
 */
export function assetClassOf(symbol: string, provider?: ProviderId): AssetClass {
  if (provider !== undefined && CRYPTO_PROVIDERS.includes(provider)) return 'crypto'
  const s = symbol.toUpperCase()
  if (s.startsWith('^') || s.endsWith('=X') || s.endsWith('=F')) return 'other'
  const pair = /^([A-Z0-9]{2,10})[-/]([A-Z]{3,5})$/.exec(s)
  if (pair !== null && PAIR_QUOTES.has(pair[2]!)) return FIAT.has(pair[1]!) ? 'other' : 'crypto'
  if (s.includes('/')) return 'other'
  if (STABLE_SUFFIX.test(s)) return 'crypto'
  const dot = s.lastIndexOf('.')
  if (dot > 0 && FOREIGN_SUFFIXES.has(s.slice(dot + 1))) return 'other'
  return 'us-equity'
}

/**
 * Whether to poll now: US equities only in the regular session, or also pre/post-market when
 * extended hours are enabled; crypto and 'other' always.
 */
export function shouldPoll(_symbol: string, assetClass: AssetClass, session: MarketSession, extendedHoursEnabled: boolean): boolean {
  if (assetClass !== 'us-equity') return true
  if (session === 'regular') return true
  if (session === 'pre' || session === 'post') return extendedHoursEnabled
  return false
}

/**
 * Quotes settle a few minutes after the close (closing auction, 15-minute delayed feeds), so a
 * symbol last fetched before close + this grace is still fetched once after it.
 */
export const CLOSE_GRACE_MS = 20 * 60_000

/**
 * Whether a US equity that shouldPoll() leaves out should still be fetched once: it has no
 * quote yet, or its last one predates the final settled quote of the last session.
 */
export function needsClosingFetch(lastFetchedAt: number | null, now: number, lastSessionEnd: number): boolean {
  if (lastFetchedAt === null) return true
  const settled = lastSessionEnd + CLOSE_GRACE_MS
  return now >= settled && lastFetchedAt < settled
}
