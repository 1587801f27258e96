import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_FINNHUB_KEY, startFakeFinnhub, type FakeFinnhub } from '../../../tests/fakes/finnhub-server'
import { createDirectorySource, createSearchSource } from '../search/search-sources'
import type { ProviderDeps } from './provider'

let fake: FakeFinnhub
const deps: ProviderDeps = { now: () => Date.now(), log: () => undefined }
const env = () => ({ TICKERDESK_FINNHUB_URL: fake.url, TICKERDESK_FINNHUB_KEY: FAKE_FINNHUB_KEY })

beforeEach(async () => {
  fake = await startFakeFinnhub({ pingIntervalMs: 0 })
})

afterEach(async () => {
  await fake.close()
})

describe('Finnhub search and directory sources', () => {
  it('answers searches as symbol matches', async () => {
    const source = createSearchSource('finnhub', deps, env())
    expect(source?.minTimeMs).toBe(1000)
    const matches = await source!.search('micro', 5, new AbortController().signal)
    expect(matches).toEqual([{ symbol: 'MSFT', name: 'MICROSOFT CORP', exchange: null, type: 'COMMON STOCK', source: 'finnhub' }])
  })

  it('lists US symbols with exchange names, and nothing without a key', async () => {
    const listing = await createDirectorySource('finnhub', deps, env())!.fetchListing(new AbortController().signal)
    expect(listing).toContainEqual({ symbol: 'IBM', name: 'INTERNATIONAL BUSINESS MACHINES CORP', exchange: 'NYSE', type: 'COMMON STOCK', source: 'finnhub' })
    const keyless = createDirectorySource('finnhub', deps, { TICKERDESK_FINNHUB_URL: fake.url })!
    expect(await keyless.fetchListing(new AbortController().signal)).toEqual([])
    expect(fake.requests).toHaveLength(1)
  })

  it('fails a search in plain words when the key is refused', async () => {
    const source = createSearchSource('finnhub', deps, { TICKERDESK_FINNHUB_URL: fake.url, TICKERDESK_FINNHUB_KEY: 'bad' })!
    await expect(source.search('apple', 5, new AbortController().signal)).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('invalid API key') })
  })
})
