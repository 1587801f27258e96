import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EngineEvent } from '../shared/ipc/engine-protocol'
import type { ProviderId } from '../shared/providers'
import { Engine } from './engine'
import { providerEndpoint, type ProviderEnv } from './providers/provider-env'
import { alphaVantagePremium } from './providers/alphavantage-limits'
import { FakeQuoteProvider, ManualHeartbeat } from './testing/fake-quote-provider'
import { immediateLimiter } from './testing/engine-harness'

const SECRET = 'sk-live-0123456789abcdef'
/** Records with which key (settings over the process environment) each provider was built. */
function setup(processEnv: ProviderEnv = {}) {
  const built: { id: ProviderId; key: string | undefined; premium: boolean; provider: FakeQuoteProvider }[] = []
  const searchBuilt: { id: ProviderId; key: string | undefined }[] = []
  const events: EngineEvent[] = []
  const logs: string[] = []
  const engine = new Engine({
    now: () => Date.now(),
    emit: (event) => events.push(event),
    log: (_level, message) => logs.push(message),
    createProvider: (id, settings) => {
      const env = { ...processEnv, ...settings }
      const provider = new FakeQuoteProvider(id)
      built.push({ id, key: providerEndpoint(id, env).key, premium: alphaVantagePremium(env), provider })
      return provider
    },
    createSearchSource: (id, settings) => {
      searchBuilt.push({ id, key: providerEndpoint(id, { ...processEnv, ...settings }).key })
      return { id, minTimeMs: 0, search: async () => [] }
    },
    createHeartbeat: () => new ManualHeartbeat(),
    createLimiter: immediateLimiter
  })
  const configure = (extra: object = {}) =>
    engine.handle({ type: 'configure', config: { provider: 'finnhub', refreshIntervalSec: 5, flushIntervalMs: 16, ...extra } })
  return { engine, built, searchBuilt, events, logs, configure }
}

describe('Engine API keys', () => {
  let rig: ReturnType<typeof setup> | null = null
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 0, 5, 15) }))
  afterEach(async () => {
    const done = rig?.engine.dispose()
    await vi.advanceTimersByTimeAsync(50)
    await done
    rig = null
    vi.useRealTimers()
  })

  it('builds providers with the key from settings, which wins over TICKERDESK_<ID>_KEY', async () => {
    const r = (rig = setup({ TICKERDESK_FINNHUB_KEY: 'from-env' }))
    r.engine.handle({ type: 'set-keys', keys: { finnhub: SECRET } })
    r.configure()
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built.map((b) => [b.id, b.key])).toEqual([['finnhub', SECRET]])
  })

  it('falls back to the environment key when no key is saved', async () => {
    const r = (rig = setup({ TICKERDESK_FINNHUB_KEY: 'from-env' }))
    r.configure()
    r.engine.handle({ type: 'set-keys', keys: {} })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built.map((b) => b.key)).toEqual(['from-env'])
  })

  it('rebuilds only the provider whose key changed, keeping its symbols', async () => {
    const r = (rig = setup())
    r.configure({ routing: { equity: 'finnhub', crypto: 'coinbase', fallbacks: [], pins: {} } })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'BTC-USD'] })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built.map((b) => b.id).sort()).toEqual(['coinbase', 'finnhub'])

    r.engine.handle({ type: 'set-keys', keys: { finnhub: SECRET } })
    await vi.advanceTimersByTimeAsync(20)
    const rebuilt = r.built.slice(2)
    expect(rebuilt.map((b) => [b.id, b.key])).toEqual([['finnhub', SECRET]])
    expect(rebuilt[0]?.provider.requested()).toEqual(['AAPL'])

    // The same key again changes nothing; removing it rebuilds without one.
    r.engine.handle({ type: 'set-keys', keys: { finnhub: SECRET } })
    r.engine.handle({ type: 'set-keys', keys: {} })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built.slice(3).map((b) => [b.id, b.key])).toEqual([['finnhub', undefined]])
  })

  it('hands the key to search sources too, rebuilding them when it changes', async () => {
    const r = (rig = setup())
    r.configure()
    r.engine.handle({ type: 'search', requestId: 'a', query: 'apple', limit: 5, providers: ['finnhub'] })
    await vi.advanceTimersByTimeAsync(20)
    r.engine.handle({ type: 'set-keys', keys: { finnhub: SECRET } })
    r.engine.handle({ type: 'search', requestId: 'b', query: 'apple', limit: 5, providers: ['finnhub'] })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.searchBuilt).toEqual([
      { id: 'finnhub', key: undefined },
      { id: 'finnhub', key: SECRET }
    ])
  })

  it('never puts a key into an event or a log line', async () => {
    const r = (rig = setup())
    r.engine.handle({ type: 'set-keys', keys: { finnhub: SECRET, alphavantage: `${SECRET}-av` } })
    r.configure({ routing: { equity: 'finnhub', crypto: 'coinbase', fallbacks: ['alphavantage'], pins: {} } })
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL'] })
    r.engine.handle({ type: 'set-keys', keys: { finnhub: 'short' } })
    // An invalid command is logged with its reason, not its content.
    r.engine.handle({ type: 'set-keys', keys: { finnhub: SECRET, nope: SECRET } })
    await vi.advanceTimersByTimeAsync(50)
    expect(r.events.length).toBeGreaterThan(0)
    expect(JSON.stringify(r.events)).not.toContain(SECRET)
    expect(r.logs.join('\n')).not.toContain(SECRET)
  })

  it('rebuilds a provider whose limit overrides change, and only that one', async () => {
    const r = (rig = setup())
    const config = (providerLimits?: object) =>
      r.engine.handle({
        type: 'configure',
        config: { provider: 'finnhub', refreshIntervalSec: 5, flushIntervalMs: 16, routing: { equity: 'finnhub', crypto: 'coinbase', fallbacks: [], pins: {} }, ...(providerLimits ? { providerLimits } : {}) }
      })
    config()
    r.engine.handle({ type: 'set-interest', consumer: 'w', symbols: ['AAPL', 'BTC-USD'] })
    await vi.advanceTimersByTimeAsync(20)
    config({ finnhub: { perMinute: 300 } })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built.slice(2).map((b) => b.id)).toEqual(['finnhub'])
    config({ finnhub: { perMinute: 300 } })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built).toHaveLength(3)
  })

  it('turns Alpha Vantage premium on from the limit overrides, rebuilding the adapter', async () => {
    const r = (rig = setup())
    r.engine.handle({ type: 'configure', config: { provider: 'alphavantage', refreshIntervalSec: 5, flushIntervalMs: 16 } })
    await vi.advanceTimersByTimeAsync(20)
    r.engine.handle({
      type: 'configure',
      config: { provider: 'alphavantage', refreshIntervalSec: 5, flushIntervalMs: 16, providerLimits: { alphavantage: { premium: true } } }
    })
    await vi.advanceTimersByTimeAsync(20)
    expect(r.built.map((b) => [b.id, b.premium])).toEqual([
      ['alphavantage', false],
      ['alphavantage', true]
    ])
  })
})
