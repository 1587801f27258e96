import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AV_BODIES, startFakeAlphaVantage, type FakeAlphaVantage } from './alphavantage-server'

const START = Date.UTC(2026, 0, 6, 15, 0)
let clock = START
let fake: FakeAlphaVantage

beforeEach(async () => {
  clock = START
  fake = await startFakeAlphaVantage({ now: () => clock })
})

afterEach(async () => {
  await fake.close()
})

const get = async (query: string): Promise<{ status: number; type: string | null; body: string }> => {
  const res = await fetch(`${fake.url}/query?${query}`)
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
}

describe('fake Alpha Vantage server', () => {
  it('answers GLOBAL_QUOTE with string values and an empty object for unknown symbols', async () => {
    const ok = JSON.parse((await get('function=GLOBAL_QUOTE&symbol=IBM&apikey=k')).body) as { 'Global Quote': Record<string, string> }
    expect(Object.keys(ok['Global Quote'])).toEqual([
      '01. symbol', '02. open', '03. high', '04. low', '05. price', '06. volume', '07. latest trading day', '08. previous close', '09. change', '10. change percent'
    ])
    expect(ok['Global Quote']['05. price']).toBe('291.3500')
    expect(ok['Global Quote']['07. latest trading day']).toBe('2026-01-06')
    expect(ok['Global Quote']['10. change percent']).toMatch(/^-?\d+\.\d{4}%$/)
    clock += 2_000
    expect(JSON.parse((await get('function=GLOBAL_QUOTE&symbol=NOPE&apikey=k')).body)).toEqual({ 'Global Quote': {} })
  })

  it('signals every problem with HTTP 200 and the documented bodies', async () => {
    const noKey = await get('function=GLOBAL_QUOTE&symbol=IBM')
    expect(noKey.status).toBe(200)
    expect(JSON.parse(noKey.body)).toEqual({ 'Error Message': AV_BODIES.badKey })
    expect(JSON.parse((await get('function=REALTIME_BULK_QUOTES&symbol=IBM,MSFT&apikey=k')).body)).toEqual({ Information: AV_BODIES.premium })
    expect(JSON.parse((await get('function=GLOBAL_QUOTE&symbol=IBM&apikey=k')).body)).toEqual({ Information: AV_BODIES.burst })
    clock += 1_000
    expect(JSON.parse((await get('function=NOPE&apikey=k')).body)).toEqual({ 'Error Message': 'This API function (NOPE) does not exist.' })
    expect(fake.overQuota.burst).toBe(1)
  })

  it('counts 25 requests per key per UTC day and resets at midnight', async () => {
    for (let i = 0; i < 25; i++) {
      clock += 1_000
      expect((await get('function=GLOBAL_QUOTE&symbol=IBM&apikey=k')).body).toContain('Global Quote')
    }
    clock += 1_000
    expect(JSON.parse((await get('function=GLOBAL_QUOTE&symbol=IBM&apikey=k')).body)).toEqual({ Information: AV_BODIES.daily('k', 25) })
    expect((await get('function=GLOBAL_QUOTE&symbol=IBM&apikey=other')).body).toContain('Global Quote')
    expect(fake.usedToday('k')).toBe(25)
    clock = Date.UTC(2026, 0, 7)
    expect((await get('function=GLOBAL_QUOTE&symbol=IBM&apikey=k')).body).toContain('Global Quote')
    expect(fake.overQuota.daily).toBe(1)
  })

  it('serves LISTING_STATUS as CSV only, and keeps its port across stop and start', async () => {
    const listing = await get('function=LISTING_STATUS&apikey=k')
    expect(listing.type).toBe('application/x-download')
    expect(listing.body.split('\r\n')[0]).toBe('symbol,name,exchange,assetType,ipoDate,delistingDate,status')
    expect(listing.body).toContain('IBM,International Business Machines,NYSE,Stock,1962-01-02,null,Active')
    const port = fake.port
    await fake.stop()
    await expect(fetch(`${fake.url}/query`)).rejects.toThrow()
    await fake.start()
    expect(fake.port).toBe(port)
  })
})
