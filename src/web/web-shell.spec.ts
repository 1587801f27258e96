import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeEngine } from '../host/testing/fake-engine'
import { makeQuote } from '../host/testing/quote-fixture'
import { BootstrapSchema, callChannel, eventChannel } from '../shared/ipc/contract'
import { BRIDGE_PATH } from '../shared/ipc/web-bridge'
import { connectBridge, type BridgeTestClient } from './testing/bridge-client'
import { rawGet } from './testing/raw-http'
import { startWebShell, type WebShell } from './web-shell'

let base: string
let engine: FakeEngine
let shell: WebShell | undefined
let clients: BridgeTestClient[]

function dirs(): { dataDir: string; rendererDir: string } {
  return { dataDir: path.join(base, 'data'), rendererDir: path.join(base, 'renderer') }
}

async function start(extra: { provider?: 'simulated'; refreshIntervalSec?: number; allHours?: boolean } = {}): Promise<WebShell> {
  shell = await startWebShell({ port: 0, host: '127.0.0.1', ...dirs(), engine, env: {}, ...extra })
  return shell
}

async function connect(s: WebShell): Promise<BridgeTestClient> {
  const outcome = await connectBridge(`ws://127.0.0.1:${s.port}${BRIDGE_PATH}?token=${s.token}`, { origin: `http://127.0.0.1:${s.port}` })
  if (!outcome.ok) throw new Error(`bridge refused: ${outcome.status} ${outcome.body}`)
  clients.push(outcome.client)
  return outcome.client
}

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'tickerdesk-web-'))
  mkdirSync(dirs().rendererDir)
  writeFileSync(path.join(dirs().rendererDir, 'index.html'), '<!doctype html><title>TickerDesk web</title>')
  engine = new FakeEngine()
  clients = []
})

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await shell?.close()
  shell = undefined
  rmSync(base, { recursive: true, force: true })
})

describe('startWebShell', () => {
  it('prints an address with a fresh random token that opens the app', async () => {
    const s = await start()
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/)
    expect(s.url).toContain(`http://127.0.0.1:${s.port}/`)
    expect(s.url.endsWith(s.token)).toBe(true)
    const page = await rawGet(s.port, new URL(s.url).pathname + new URL(s.url).search)
    expect(page.status).toBe(200)
    expect(page.body).toContain('TickerDesk web')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")

    const first = s.token
    await s.close()
    const again = await start()
    expect(again.token).not.toBe(first)
  })

  it('runs calls through a real HostCore: bootstrap and interest reach the engine per client', async () => {
    const s = await start()
    const client = await connect(s)
    const boot = (await client.call(callChannel('bootstrap'), {})) as { ok: boolean; value: unknown }
    expect(boot.ok).toBe(true)
    const bootstrap = BootstrapSchema.parse(boot.value)
    expect(bootstrap.watchlists.lists.length).toBeGreaterThan(0)

    expect(await client.call(callChannel('setInterest'), { symbols: ['aapl', 'MSFT'] })).toEqual({ ok: true, value: null })
    const interest = engine.sentOfType('set-interest').find((c) => c.consumer.startsWith('web-'))
    expect(interest?.symbols).toEqual(['AAPL', 'MSFT'])

    const bad = await client.call(callChannel('addSymbol'), { listId: bootstrap.watchlists.activeId, symbol: 'not a symbol!' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } })

    await client.close()
    await vi.waitFor(() => expect(engine.sentOfType('drop-consumer').map((c) => c.consumer)).toContain(interest?.consumer))
  })

  it('broadcasts engine quotes to every connected page', async () => {
    const s = await start()
    const a = await connect(s)
    const b = await connect(s)
    await a.call(callChannel('setInterest'), { symbols: ['AAPL'] })
    engine.push({ type: 'quotes', patches: [makeQuote('AAPL', { price: 187.42 })] })
    for (const client of [a, b]) {
      const event = await client.waitFor((m) => m.kind === 'event' && m.channel === eventChannel('quotes'))
      expect(event).toMatchObject({ payload: [{ symbol: 'AAPL', price: 187.42 }] })
    }
  })

  it('applies --provider for this run without saving it', async () => {
    const s = await start({ provider: 'simulated' })
    const client = await connect(s)
    const boot = (await client.call(callChannel('bootstrap'), {})) as { value: unknown }
    expect(BootstrapSchema.parse(boot.value).settings.provider).toBe('simulated')
    expect(engine.sentOfType('configure').at(-1)?.config.provider).toBe('simulated')
    await s.close()
    const saved = readFileSync(path.join(dirs().dataDir, 'app-state.json'), 'utf8')
    expect(saved).not.toContain('simulated')
  })

  it('applies --refresh-interval for this run without saving it', async () => {
    const s = await start({ refreshIntervalSec: 2 })
    expect(engine.sentOfType('configure').at(-1)?.config.refreshIntervalSec).toBe(2)
    await s.close()
    const saved = JSON.parse(readFileSync(path.join(dirs().dataDir, 'app-state.json'), 'utf8')) as { settings?: { refreshIntervalSec?: number } }
    expect(saved.settings?.refreshIntervalSec ?? 15).not.toBe(2)
  })

  it('polls at all hours with --all-hours, and follows the saved extended-hours setting without it', async () => {
    const plain = await start()
    expect(engine.sentOfType('configure').at(-1)?.config.marketHours).toEqual({ extendedHours: false })
    await plain.close()
    engine = new FakeEngine()
    const s = await start({ allHours: true })
    expect(engine.sentOfType('configure').at(-1)?.config.marketHours).toBeNull()
    await s.close()
  })

  it('refuses the bridge without the token', async () => {
    const s = await start()
    const outcome = await connectBridge(`ws://127.0.0.1:${s.port}${BRIDGE_PATH}`, { origin: `http://127.0.0.1:${s.port}` })
    expect(outcome).toMatchObject({ ok: false, status: 401 })
  })

  it('close() disconnects pages, stops the engine and frees the port', async () => {
    const s = await start()
    const client = await connect(s)
    const closed = new Promise<void>((resolve) => client.socket.once('close', () => resolve()))
    await s.close()
    await closed
    expect(engine.disposed).toBe(true)
    await expect(rawGet(s.port, '/')).rejects.toThrow()
  })

  it('explains a port that is already taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      await expect(startWebShell({ port, host: '127.0.0.1', ...dirs(), engine, env: {} })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use`
      )
      expect(engine.startCalls).toBe(0)
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()))
    }
  })
})
