import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EventPayload, HostEventName } from '../shared/ipc/contract'
import { dispatchCall } from '../shared/ipc/helpers'
import { HostCore } from './host-core'
import type { SecretStore } from './secrets/secret-store'
import { MemorySecretStore } from './secrets/secret-store'
import { memoryBackend } from './state/memory-backend'
import { openHostStores } from './state/open-host-stores'
import { FakeEngine } from './testing/fake-engine'

const SECRET = 'fh-live-SECRET-0123456789'
const ENV_SECRET = 'td-env-SECRET-9876543210'

function setup(options: { secrets?: SecretStore; env?: Record<string, string> } = {}) {
  const backend = memoryBackend()
  const stores = openHostStores(backend, { now: () => 1_000, onNotice: () => {}, files: backend.fileOps })
  const engine = new FakeEngine()
  const emitted: { event: HostEventName; payload: unknown }[] = []
  const logs: string[] = []
  const core = new HostCore({
    engine,
    stores,
    now: () => 1_000,
    emit: <K extends HostEventName>(event: K, payload: EventPayload<K>) => void emitted.push({ event, payload }),
    log: (_level, message) => logs.push(message),
    secrets: options.secrets ?? new MemorySecretStore(),
    env: options.env ?? {}
  })
  // Every event, including what in-process listeners (the tray) see.
  core.onHostEvent((event, payload) => void emitted.push({ event, payload }))
  const call = (name: string, payload: unknown) => dispatchCall(core.impl, name, payload, { clientId: 'window:1' })
  return { core, engine, emitted, logs, call, backend }
}

describe('HostCore API keys', () => {
  let rig: ReturnType<typeof setup> | null = null
  afterEach(async () => {
    await rig?.core.dispose()
    rig = null
  })

  it('hands a saved key to the engine and nowhere else: not in events, bootstrap, answers or logs', async () => {
    const r = (rig = setup())
    await r.core.start()
    const answer = await r.call('setProviderKey', { provider: 'finnhub', key: `  ${SECRET}  ` })
    expect(answer).toEqual({ ok: true, value: expect.objectContaining({ finnhub: { hasKey: true, source: 'settings' } }) })
    expect(r.engine.sentOfType('set-keys').at(-1)).toEqual({ type: 'set-keys', keys: { finnhub: SECRET } })

    // The engine talks about it (an error message quoting the URL with the key, say) and fails.
    r.engine.push({ type: 'log', level: 'warn', message: `GET /quote?token=${SECRET} failed` })
    r.engine.push({
      type: 'status',
      status: { provider: 'finnhub', online: true, offlineSince: null, lastSuccess: null, lastError: 'Finnhub rejected the key: invalid API key', rateLimitedUntil: null }
    })
    await r.call('setProviderKey', { provider: 'finnhub', key: null })
    const bootstrap = await r.call('bootstrap', {})

    expect(r.emitted.map((e) => e.event)).toContain('providerKeys')
    const everything = JSON.stringify([r.emitted, bootstrap, answer, r.core.notices])
    expect(everything).not.toContain(SECRET)
    expect(r.logs.join('\n')).not.toContain(SECRET)
    expect(r.logs.join('\n')).toContain('token=[redacted]')
  })

  it('removes a key: the engine gets an empty set and bootstrap says there is none', async () => {
    const r = (rig = setup())
    await r.core.start()
    await r.call('setProviderKey', { provider: 'twelvedata', key: SECRET })
    await r.call('setProviderKey', { provider: 'twelvedata', key: null })
    expect(r.engine.sentOfType('set-keys').at(-1)).toEqual({ type: 'set-keys', keys: {} })
    const bootstrap = await r.call('bootstrap', {})
    expect(bootstrap).toMatchObject({ ok: true, value: { providerKeys: { twelvedata: { hasKey: false, source: null } } } })
  })

  it('reports environment keys as such, and a saved key as winning over them', async () => {
    const r = (rig = setup({ env: { TICKERDESK_TWELVEDATA_KEY: ENV_SECRET } }))
    await r.core.start()
    expect(r.core.impl.bootstrap({}, { clientId: 'w' })).toMatchObject({
      providerKeys: { twelvedata: { hasKey: true, source: 'environment' }, finnhub: { hasKey: false, source: null } }
    })
    // The engine reads environment keys itself; the host only sends saved ones.
    expect(r.engine.sentOfType('set-keys')[0]).toEqual({ type: 'set-keys', keys: {} })
    await r.call('setProviderKey', { provider: 'twelvedata', key: SECRET })
    expect(r.core.impl.bootstrap({}, { clientId: 'w' })).toMatchObject({ providerKeys: { twelvedata: { hasKey: true, source: 'settings' } } })
    expect(r.engine.sentOfType('set-keys').at(-1)).toEqual({ type: 'set-keys', keys: { twelvedata: SECRET } })
    r.engine.push({ type: 'log', level: 'info', message: `env key ${ENV_SECRET}` })
    expect(r.logs.join('\n')).not.toContain(ENV_SECRET)
  })

  it('sends saved keys before the first configure and again after an engine restart', async () => {
    const secrets = new MemorySecretStore()
    secrets.set('finnhub', SECRET)
    const r = (rig = setup({ secrets }))
    await r.core.start()
    const types = r.engine.sent.map((c) => c.type)
    expect(types.indexOf('set-keys')).toBeGreaterThanOrEqual(0)
    expect(types.indexOf('set-keys')).toBeLessThan(types.indexOf('configure'))
    r.engine.clearSent()
    r.engine.setState('reconnecting')
    r.engine.setState('running')
    expect(r.engine.sentOfType('set-keys')).toEqual([{ type: 'set-keys', keys: { finnhub: SECRET } }])
  })

  it('refuses keys for keyless providers and malformed keys, in plain words, storing nothing', async () => {
    const r = (rig = setup())
    await r.core.start()
    r.engine.clearSent()
    expect(await r.call('setProviderKey', { provider: 'yahoo', key: SECRET })).toMatchObject({ ok: false, error: { message: 'Yahoo Finance needs no API key.' } })
    expect(await r.call('setProviderKey', { provider: 'finnhub', key: '   ' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Enter the API key/) } })
    expect(await r.call('setProviderKey', { provider: 'finnhub', key: 'has space inside' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no spaces/) } })
    expect(r.engine.sentOfType('set-keys')).toEqual([])
  })

  it('passes a store failure on as a plain-words error without the key', async () => {
    const failing: SecretStore = {
      get: () => null,
      list: () => [],
      set: (_provider, key) => {
        throw new Error(`could not write ${key ?? ''}`)
      }
    }
    const r = (rig = setup({ secrets: failing }))
    await r.core.start()
    const answer = await r.call('setProviderKey', { provider: 'finnhub', key: SECRET })
    expect(answer).toMatchObject({ ok: false, error: { message: 'could not write [redacted]' } })
  })
})

describe('HostCore provider limits', () => {
  it('validates overrides, saves them and sends them in configure', async () => {
    const r = setup()
    await r.core.start()
    r.engine.clearSent()
    const bad = await r.call('updateSettings', { providerLimits: { finnhub: { perMinute: 0 } } })
    expect(bad).toMatchObject({ ok: false })
    await expect(async () => r.core.impl.updateSettings({ providerLimits: { finnhub: { perMinute: 0 } } }, { clientId: 'w' })).rejects.toThrow(
      /Finnhub: Requests per minute must be at least 1/
    )
    await expect(async () => r.core.impl.updateSettings({ providerLimits: { finnhub: { premium: true } } }, { clientId: 'w' })).rejects.toThrow(
      /Finnhub has no premium switch/
    )
    expect(r.engine.sentOfType('configure')).toEqual([])

    const ok = await r.call('updateSettings', { providerLimits: { alphavantage: { perDay: 75, premium: true }, finnhub: {} } })
    expect(ok).toMatchObject({ ok: true, value: { providerLimits: { alphavantage: { perDay: 75, premium: true } } } })
    expect(r.engine.sentOfType('configure').at(-1)?.config.providerLimits).toEqual({ alphavantage: { perDay: 75, premium: true } })
    const saved = JSON.parse(r.backend.files.get('app-state') ?? '{}') as { settings: { providerLimits?: unknown } }
    expect(saved.settings.providerLimits).toEqual({ alphavantage: { perDay: 75, premium: true } })
    await r.core.dispose()
  })

  it('keeps saved limits across a restart (migration keeps them)', async () => {
    const r = setup()
    await r.core.start()
    await r.call('updateSettings', { providerLimits: { twelvedata: { perMinute: 55, perDay: 5000, batch: 120 } } })
    const files = Object.fromEntries(r.backend.files)
    await r.core.dispose()
    const backend = memoryBackend(files)
    const stores = openHostStores(backend, { now: () => 1, onNotice: vi.fn(), files: backend.fileOps })
    expect(stores.appState.settings.providerLimits).toEqual({ twelvedata: { perMinute: 55, perDay: 5000, batch: 120 } })
    stores.dispose()
  })
})
