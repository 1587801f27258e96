/**
 * The price model behind the simulated provider: one small mutable record per symbol driven by
 * its own seeded generator, so a symbol's path depends only on the seed and how often it was
 * fetched, never on which other symbols shared its batches.
 */

export const DAY_MS = 86_400_000

export interface SimSymbol {
  readonly symbol: string
  readonly name: string
  /** mulberry32 state. */
  rng: number
  price: number
  previousClose: number
  open: number
  high: number
  low: number
  /** 52-week range: seeded around the start price, widened whenever the walk leaves it. */
  yearHigh: number
  yearLow: number
  volume: number
  day: number
  /** 10^decimals, for rounding prices the way the market quotes them. */
  readonly scale: number
  /** Largest relative move per step. */
  readonly volatility: number
  readonly volumeStep: number
  /** Shares or coins outstanding; 0 for things without a market cap (indices, FX). */
  readonly supply: number
}

/** FNV-1a: a stable 32-bit hash of the symbol text. */
export function hashSymbol(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32: advances the record's state and returns a float in [0, 1). No allocation. */
export function nextRandom(s: SimSymbol): number {
  s.rng = (s.rng + 0x6d2b79f5) | 0
  let t = s.rng
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

type Kind = 'crypto' | 'index' | 'fx' | 'future' | 'equity'

const CRYPTO_PAIR = /^[A-Z0-9]{2,10}[-/](USD|USDT|USDC|EUR|GBP|BTC|ETH)$/

function kindOf(symbol: string): Kind {
  if (symbol.startsWith('^')) return 'index'
  if (symbol.endsWith('=X')) return 'fx'
  if (symbol.endsWith('=F')) return 'future'
  if (CRYPTO_PAIR.test(symbol)) return 'crypto'
  return 'equity'
}

/** Starting level, volatility and size per kind of instrument, so rows look plausible side by side. */
const PROFILES: Record<Kind, { min: number; max: number; decimals: number; volatility: number; volume: number; supply: number }> = {
  crypto: { min: 1_000, max: 70_000, decimals: 2, volatility: 0.004, volume: 50_000, supply: 20_000_000 },
  index: { min: 1_000, max: 20_000, decimals: 2, volatility: 0.001, volume: 2_000_000, supply: 0 },
  fx: { min: 0.5, max: 2, decimals: 4, volatility: 0.0005, volume: 0, supply: 0 },
  future: { min: 50, max: 5_000, decimals: 2, volatility: 0.002, volume: 10_000, supply: 0 },
  equity: { min: 10, max: 510, decimals: 2, volatility: 0.002, volume: 20_000, supply: 1_000_000_000 }
}

export function roundTo(value: number, scale: number): number {
  return Math.round(value * scale) / scale
}

export function createSimSymbol(symbol: string, seed: number, now: number): SimSymbol {
  const profile = PROFILES[kindOf(symbol)]
  const scale = 10 ** profile.decimals
  const s: SimSymbol = {
    symbol,
    name: `${symbol} (simulated)`,
    rng: (hashSymbol(symbol) ^ Math.imul(seed | 0, 0x9e3779b1)) | 0,
    price: 0,
    previousClose: 0,
    open: 0,
    high: 0,
    low: 0,
    yearHigh: 0,
    yearLow: 0,
    volume: 0,
    day: Math.floor(now / DAY_MS),
    scale,
    volatility: profile.volatility,
    volumeStep: profile.volume,
    supply: 0
  }
  const price = roundTo(profile.min + (profile.max - profile.min) * nextRandom(s), scale)
  // Yesterday's close sits within ±2% so the first quote already shows a change.
  const previousClose = roundTo(price * (1 + (nextRandom(s) - 0.5) * 0.04), scale)
  const supply = profile.supply === 0 ? 0 : Math.round(profile.supply * (0.2 + 4 * nextRandom(s)))
  return Object.assign(s, {
    price,
    previousClose,
    open: previousClose,
    high: Math.max(price, previousClose),
    low: Math.min(price, previousClose),
    yearHigh: roundTo(Math.max(price, previousClose) * 1.3, scale),
    yearLow: roundTo(Math.min(price, previousClose) * 0.75, scale),
    volume: Math.round(profile.volume * 50 * nextRandom(s)),
    supply
  })
}

/** One tick: a new day resets the session, then the price takes a small random step. */
export function step(s: SimSymbol, now: number): void {
  const day = Math.floor(now / DAY_MS)
  if (day !== s.day) {
    s.day = day
    s.previousClose = s.price
    s.open = s.price
    s.high = s.price
    s.low = s.price
    s.volume = 0
  }
  const move = (nextRandom(s) - 0.5) * 2 * s.volatility
  const floor = 1 / s.scale
  s.price = Math.max(floor, roundTo(s.price * (1 + move), s.scale))
  if (s.price > s.high) s.high = s.price
  if (s.price < s.low) s.low = s.price
  if (s.price > s.yearHigh) s.yearHigh = s.price
  if (s.price < s.yearLow) s.yearLow = s.price
  s.volume += Math.round(s.volumeStep * nextRandom(s))
}
