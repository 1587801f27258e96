import { describe, expect, it } from 'vitest'
import type { ProviderId } from '../../shared/providers'
import { createProvider } from './index'
import { YAHOO_LIMITS } from './yahoo-limits'

const deps = { now: () => 1_700_000_000_000, log: () => undefined }

describe('createProvider', () => {
  it('builds the simulated market, seeded from TICKERDESK_SIM_SEED', async () => {
    const a = createProvider('simulated', deps, { TICKERDESK_SIM_SEED: '42' })
    const b = createProvider('simulated', deps, { TICKERDESK_SIM_SEED: '42' })
    expect(a.id).toBe('simulated')
    const [ra, rb] = await Promise.all([a.fetchQuotes(['AAPL']), b.fetchQuotes(['AAPL'])])
    expect(ra.quotes[0]?.price).toBe(rb.quotes[0]?.price)
  })

  it('builds the Yahoo provider, pointed at TICKERDESK_YAHOO_URL when set', async () => {
    const provider = createProvider('yahoo', deps, { TICKERDESK_YAHOO_URL: 'http://127.0.0.1:9' })
    expect(provider.id).toBe('yahoo')
    expect(provider.limits).toEqual(YAHOO_LIMITS)
    // Nothing listens on port 9: the loaded adapter really went to that address and failed there.
    await expect(provider.fetchQuotes(['AAPL'])).rejects.toMatchObject({ name: 'ProviderError', kind: 'network' })
  })

  it('refuses ids it has no adapter for, in plain words', () => {
    expect(() => createProvider('polygon' as ProviderId, deps, {})).toThrow('"polygon" is not available yet; choose Yahoo Finance or the simulated market.')
  })
})
