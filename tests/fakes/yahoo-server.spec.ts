import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeYahoo, type FakeYahoo } from './yahoo-server'

let fake: FakeYahoo

beforeEach(async () => {
  fake = await startFakeYahoo()
})

afterEach(async () => {
  await fake.close()
})

async function session(): Promise<{ cookie: string; crumb: string }> {
  const page = await fetch(`${fake.url}/`)
  const cookie = page.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
  const crumb = await (await fetch(`${fake.url}/v1/test/getcrumb`, { headers: { cookie } })).text()
  return { cookie, crumb }
}

describe('fake Yahoo server', () => {
  it('sets the A3 cookie on the cookie page even though it answers 404', async () => {
    const page = await fetch(`${fake.url}/`)
    expect(page.status).toBe(404)
    expect(page.headers.getSetCookie().some((c) => c.startsWith('A3='))).toBe(true)
    expect((await fetch(`${fake.url}/quote/AAPL`)).headers.getSetCookie()).toHaveLength(3)
  })

  it('gives a crumb only with a cookie it issued, as text/plain', async () => {
    const refused = await fetch(`${fake.url}/v1/test/getcrumb`, { headers: { cookie: 'A3=forged' } })
    expect(refused.status).toBe(401)
    const { crumb } = await session()
    expect(crumb).toHaveLength(11)
  })

  it('answers v7 only with cookie and crumb, and leaves unknown symbols out', async () => {
    const { cookie, crumb } = await session()
    const noCrumb = await fetch(`${fake.url}/v7/finance/quote?symbols=AAPL`, { headers: { cookie } })
    expect(noCrumb.status).toBe(401)
    expect(await noCrumb.json()).toEqual({ finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } })

    const ok = await fetch(`${fake.url}/v7/finance/quote?symbols=AAPL,ZZZZ,%5EGSPC&crumb=${encodeURIComponent(crumb)}`, { headers: { cookie } })
    const body = (await ok.json()) as { quoteResponse: { result: { symbol: string; regularMarketTime: number }[] } }
    expect(body.quoteResponse.result.map((r) => r.symbol)).toEqual(['AAPL', '^GSPC'])
    expect(body.quoteResponse.result[0]?.regularMarketTime).toBeLessThan(1e11) // seconds, like Yahoo
  })

  it('rotates crumbs on demand', async () => {
    const { cookie, crumb } = await session()
    fake.rotateCrumbs()
    const res = await fetch(`${fake.url}/v7/finance/quote?symbols=AAPL&crumb=${encodeURIComponent(crumb)}`, { headers: { cookie } })
    expect(res.status).toBe(401)
  })

  it('serves the chart keylessly and 404s unknown symbols', async () => {
    expect((await fetch(`${fake.url}/v8/finance/chart/AAPL`)).status).toBe(200)
    const missing = await fetch(`${fake.url}/v8/finance/chart/ZZZZ`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('No data found, symbol may be delisted')
  })

  it('needs q for search', async () => {
    expect((await fetch(`${fake.url}/v1/finance/search`)).status).toBe(400)
    expect((await fetch(`${fake.url}/v1/finance/search?q=apple`)).status).toBe(200)
  })

  it('queues failures for the next API requests in order', async () => {
    fake.rateLimit(1, 12)
    fake.serveHtml(1)
    const limited = await fetch(`${fake.url}/v8/finance/chart/AAPL`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('12')
    expect(await limited.text()).toBe('Too Many Requests\r\n')
    const html = await fetch(`${fake.url}/v8/finance/chart/AAPL`)
    expect(html.headers.get('content-type')).toContain('text/html')
    expect((await fetch(`${fake.url}/v8/finance/chart/AAPL`)).status).toBe(200)
  })

  it('refuses connections after stop() and serves again on the same port after start()', async () => {
    const { url } = fake
    await fake.stop()
    await expect(fetch(`${url}/v8/finance/chart/AAPL`)).rejects.toThrow()
    await fake.start()
    expect(fake.url).toBe(url)
    expect((await fetch(`${url}/v8/finance/chart/AAPL`)).status).toBe(200)
    expect(fake.requests.filter((r) => r.path === '/v8/finance/chart/AAPL')).toHaveLength(1)
  })
})
