import { describe, expect, it } from 'vitest'
import type { ProviderStatus } from '../shared/ipc/engine-protocol'
import { composeStatus, ENGINE_RESTARTING_MESSAGE } from './host-status'

const healthy: ProviderStatus = { provider: 'yahoo', online: true, offlineSince: null, lastSuccess: 1_000, lastError: null, rateLimitedUntil: null }

describe('composeStatus', () => {
  it('defaults to online with nothing known', () => {
    expect(composeStatus({ engine: 'starting', provider: 'yahoo', providerStatus: null, lastQuoteAt: null, engineError: null })).toEqual({
      engine: 'starting',
      provider: 'yahoo',
      online: true,
      offlineSince: null,
      lastUpdate: null,
      lastError: null,
      rateLimitedUntil: null,
      paused: false,
      providers: []
    })
  })

  it('lists every provider report while the single fields describe the configured provider', () => {
    const coinbase: ProviderStatus = { ...healthy, provider: 'coinbase', online: false, lastError: 'Cannot reach Coinbase Exchange' }
    const status = composeStatus({ engine: 'running', provider: 'yahoo', providerStatus: healthy, providerStatuses: [healthy, coinbase], lastQuoteAt: null, engineError: null })
    expect(status).toMatchObject({ provider: 'yahoo', online: true, lastError: null })
    expect(status.providers).toEqual([healthy, coinbase])
    expect(composeStatus({ engine: 'running', provider: 'yahoo', providerStatus: healthy, lastQuoteAt: null, engineError: null }).providers).toEqual([healthy])
  })

  it('carries the provider report and takes the later of quote receipt and last success', () => {
    const offline: ProviderStatus = { ...healthy, online: false, offlineSince: 5_000, lastError: 'Cannot reach Yahoo Finance', rateLimitedUntil: 9_000 }
    const status = composeStatus({ engine: 'running', provider: 'yahoo', providerStatus: offline, lastQuoteAt: 2_000, engineError: null })
    expect(status).toMatchObject({ online: false, offlineSince: 5_000, lastError: 'Cannot reach Yahoo Finance', rateLimitedUntil: 9_000, lastUpdate: 2_000 })
    expect(composeStatus({ engine: 'running', provider: 'yahoo', providerStatus: { ...healthy, lastSuccess: 7_000 }, lastQuoteAt: 2_000, engineError: null }).lastUpdate).toBe(7_000)
  })

  it('ignores a report about another provider', () => {
    const status = composeStatus({ engine: 'running', provider: 'simulated', providerStatus: { ...healthy, online: false, lastError: 'x' }, lastQuoteAt: null, engineError: null })
    expect(status).toMatchObject({ provider: 'simulated', online: true, lastError: null })
  })

  it('says the engine is restarting while it reconnects, and why it is stopped', () => {
    expect(composeStatus({ engine: 'reconnecting', provider: 'yahoo', providerStatus: healthy, lastQuoteAt: null, engineError: null }).lastError).toBe(ENGINE_RESTARTING_MESSAGE)
    expect(composeStatus({ engine: 'stopped', provider: 'yahoo', providerStatus: null, lastQuoteAt: null, engineError: 'boom' }).lastError).toBe('boom')
  })
})
