import { describe, expect, it } from 'vitest'
import { providerEndpoint } from './provider-env'

describe('providerEndpoint', () => {
  it('reads the upper-cased TICKERDESK_<ID>_* variables and ignores blanks', () => {
    const env = { TICKERDESK_TWELVEDATA_URL: ' http://127.0.0.1:9 ', TICKERDESK_TWELVEDATA_KEY: 'k', TICKERDESK_TWELVEDATA_WS_URL: '  ' }
    expect(providerEndpoint('twelvedata', env)).toEqual({ baseUrl: 'http://127.0.0.1:9', wsUrl: undefined, key: 'k' })
    expect(providerEndpoint('finnhub', env)).toEqual({ baseUrl: undefined, wsUrl: undefined, key: undefined })
  })
})
