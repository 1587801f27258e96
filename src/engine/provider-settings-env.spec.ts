import { describe, expect, it } from 'vitest'
import { effectiveQuota } from './quota/provider-quotas'
import { changedLimits, changedProviders, quotaOverridesFrom, settingsEnv } from './provider-settings-env'

describe('provider settings for the engine', () => {
  it('writes saved keys and the premium switch as the variables adapters read', () => {
    expect(settingsEnv({ finnhub: 'k1', twelvedata: '' }, { alphavantage: { premium: true } })).toEqual({
      TICKERDESK_FINNHUB_KEY: 'k1',
      TICKERDESK_ALPHAVANTAGE_PREMIUM: '1'
    })
  })

  it('names only the providers whose inputs changed', () => {
    expect(changedProviders({ TICKERDESK_FINNHUB_KEY: 'a' }, { TICKERDESK_FINNHUB_KEY: 'b', TICKERDESK_TWELVEDATA_KEY: 'c' })).toEqual(['finnhub', 'twelvedata'])
    expect(changedProviders({ TICKERDESK_FINNHUB_KEY: 'a' }, { TICKERDESK_FINNHUB_KEY: 'a' })).toEqual([])
    expect(changedLimits({ finnhub: { perMinute: 300 } }, { finnhub: { perMinute: 300 }, alphavantage: { perDay: 75 } })).toEqual(['alphavantage'])
  })

  it('maps overrides onto the quota planner, batch as maxBatch, over the free tier', () => {
    const overrides = quotaOverridesFrom({ twelvedata: { perMinute: 55, perDay: 5000, batch: 120 }, alphavantage: { premium: true } })
    expect(overrides).toEqual({ twelvedata: { perMinute: 55, perDay: 5000, maxBatch: 120 } })
    expect(effectiveQuota('twelvedata', overrides)).toMatchObject({ perMinute: 55, perDay: 5000, maxBatch: 120, costModel: 'symbol' })
    expect(effectiveQuota('finnhub', overrides)).toMatchObject({ perMinute: 60, perSecond: 30 })
  })
})
