import { describe, expect, it } from 'vitest'
import type { Quote } from '../../shared/quote'
import { makeQuote } from '../testing/fake-quote-provider'
import { TickGuard } from './tick-guard'

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0)
const q = (price: number, extra: Partial<Quote> = {}): Quote => makeQuote('AAPL', { price, providerTime: NOW, receivedAt: NOW, ...extra })

describe('TickGuard', () => {
  const guard = () => new TickGuard({ staleAfterMs: 70_000 })

  it('accepts the first good tick and ordinary moves', () => {
    const g = guard()
    expect(g.check(q(100), NOW)).toBeNull()
    expect(g.check(q(110), NOW)).toBeNull()
    expect(g.check(q(95), NOW)).toBeNull()
  })

  it('flags zero and negative prices without moving the baseline', () => {
    const g = guard()
    g.check(q(100), NOW)
    expect(g.check(q(0), NOW)).toBe('zero')
    expect(g.check(q(-3), NOW)).toBe('negative')
    expect(g.check(q(101), NOW)).toBeNull()
  })

  it('flags live ticks older than the threshold, allowing for delayed data and closed markets', () => {
    expect(guard().check(q(100, { providerTime: NOW - 71_000 }), NOW)).toBe('stale')
    expect(guard().check(q(100, { providerTime: NOW - 69_000 }), NOW)).toBeNull()
    expect(guard().check(q(100, { providerTime: NOW - 16 * 60_000, delayed: true }), NOW)).toBeNull()
    expect(guard().check(q(100, { providerTime: NOW - 16 * 60_000, delayed: false }), NOW)).toBe('stale')
    expect(guard().check(q(100, { providerTime: NOW - 2 * 86_400_000, marketState: 'closed' }), NOW)).toBeNull()
  })

  it('flags a tick older than the last accepted one', () => {
    const g = guard()
    g.check(q(100, { providerTime: NOW }), NOW)
    expect(g.check(q(100, { providerTime: NOW - 1000 }), NOW)).toBe('stale')
    expect(g.check(q(100, { providerTime: NOW }), NOW)).toBeNull()
  })

  it('rejects an outlier the next tick does not confirm', () => {
    const g = guard()
    g.check(q(100), NOW)
    expect(g.check(q(130), NOW)).toBe('outlier')
    expect(g.check(q(101), NOW)).toBeNull()
    // The baseline stayed at ~100, so the same jump is an outlier again.
    expect(g.check(q(130), NOW)).toBe('outlier')
  })

  it('accepts an outlier confirmed by the next tick as the new baseline', () => {
    const g = guard()
    g.check(q(100), NOW)
    expect(g.check(q(70), NOW)).toBe('outlier')
    expect(g.check(q(72), NOW)).toBeNull()
    expect(g.check(q(71), NOW)).toBeNull()
    expect(g.check(q(100), NOW)).toBe('outlier')
  })

  it('a second, different outlier replaces the pending one', () => {
    const g = guard()
    g.check(q(100), NOW)
    expect(g.check(q(150), NOW)).toBe('outlier')
    expect(g.check(q(60), NOW)).toBe('outlier')
    expect(g.check(q(61), NOW)).toBeNull()
  })

  it('forgets a symbol and follows a new stale threshold', () => {
    const g = guard()
    g.check(q(100), NOW)
    g.forget('AAPL')
    expect(g.check(q(200), NOW)).toBeNull()
    g.setStaleAfter(10_000)
    expect(g.check(q(200, { providerTime: NOW }), NOW + 11_000)).toBe('stale')
  })
})
