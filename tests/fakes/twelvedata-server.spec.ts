import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TD_MESSAGES, startFakeTwelveData, type FakeTwelveData } from './twelvedata-server'

const START = Date.UTC(2026, 0, 6, 15, 0, 20)
let clock = START
let fake: FakeTwelveData

beforeEach(async () => {
  clock = START
  fake = await startFakeTwelveData({ now: () => clock })
})

afterEach(async () => {
  await fake.close()
})

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${fake.url}${path}`, { headers })
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> }
}

describe('fake Twelve Data server', () => {
  it('takes the key from ?apikey= or the Authorization header, and refuses without one', async () => {
    expect((await get('/quote?symbol=AAPL&apikey=k')).status).toBe(200)
    expect((await get('/quote?symbol=AAPL', { Authorization: 'apikey k' })).status).toBe(200)
    const refused = await get('/quote?symbol=AAPL')
    expect(refused.status).toBe(401)
    expect(refused.json).toEqual({ code: 401, message: TD_MESSAGES.badKey, status: 'error' })
    expect(fake.requests.map((r) => r.keyFrom)).toEqual(['query', 'header', null])
  })

  it('keys a batch by the symbols asked for, with inline errors and the Is_batch header', async () => {
    const res = await get('/quote?symbol=AAPL,NOPE:NASDAQ&apikey=k')
    expect(res.headers.get('is_batch')).toBe('true')
    expect(Object.keys(res.json)).toEqual(['AAPL', 'NOPE:NASDAQ'])
    expect(res.json['NOPE:NASDAQ']).toEqual({ code: 404, message: TD_MESSAGES.notFound('NOPE:NASDAQ'), status: 'error' })
    expect((res.json.AAPL as { close: string; timestamp: number }).close).toBe('319.97000')
    expect(res.headers.get('api-credits-used')).toBe('2')
    expect(res.headers.get('api-credits-left')).toBe('6')
  })

  it('charges credits per symbol and answers the documented 429 bodies, as a status or in the body', async () => {
    await get('/quote?symbol=AAPL,MSFT,IBM,TSLA,NVDA,AMZN,GOOGL&apikey=k')
    const over = await get('/quote?symbol=AAPL,MSFT&apikey=k')
    expect(over.status).toBe(429)
    expect(over.json).toEqual({ code: 429, message: TD_MESSAGES.minute(9, 8), status: 'error' })
    fake.setErrorMode('body')
    const inBody = await get('/quote?symbol=AAPL,MSFT&apikey=k')
    expect(inBody.status).toBe(200)
    expect(inBody.json.code).toBe(429)
    expect(fake.overQuota.minute).toBe(2)
    clock += 40_000
    expect((await get('/quote?symbol=AAPL,MSFT&apikey=k')).status).toBe(200)
    fake.exhaustDaily()
    expect((await get('/quote?symbol=AAPL&apikey=k')).json.message).toBe(TD_MESSAGES.day(800))
  })

  it('serves time series newest first and validates interval and outputsize', async () => {
    const series = await get('/time_series?symbol=AAPL&interval=5min&outputsize=3&apikey=k')
    const values = series.json.values as { datetime: string }[]
    expect(values.map((v) => v.datetime)).toEqual(['2026-01-06 10:00:00', '2026-01-06 09:55:00', '2026-01-06 09:50:00'])
    expect(series.json.status).toBe('ok')
    clock += 60_000
    expect((await get('/time_series?symbol=AAPL&interval=3min&apikey=k')).status).toBe(400)
    expect((await get('/time_series?symbol=AAPL&interval=1day&outputsize=0&apikey=k')).status).toBe(400)
  })
})
