import type { AxiosInstance } from 'axios'
import type { ProviderDeps } from './provider'

export interface YahooUrls {
  /** Any page that sets Yahoo's session cookies; its status does not matter. */
  cookie: string
  crumb: string
  quote: string
  /** Prefix; the URL-encoded symbol follows. */
  chart: string
  search: string
}

export function yahooUrls(baseUrl?: string): YahooUrls {
  if (baseUrl !== undefined && baseUrl.trim() !== '') {
    const base = baseUrl.trim().replace(/\/+$/, '')
    return {
      cookie: `${base}/`,
      crumb: `${base}/v1/test/getcrumb`,
      quote: `${base}/v7/finance/quote`,
      chart: `${base}/v8/finance/chart/`,
      search: `${base}/v1/finance/search`
    }
  }
  return {
    cookie: 'https://fc.yahoo.com/',
    crumb: 'https://query1.finance.yahoo.com/v1/test/getcrumb',
    quote: 'https://query2.finance.yahoo.com/v7/finance/quote',
    chart: 'https://query2.finance.yahoo.com/v8/finance/chart/',
    search: 'https://query2.finance.yahoo.com/v1/finance/search'
  }
}

/** What every Yahoo request needs, passed around instead of living in module state. */
export interface YahooContext {
  http: AxiosInstance
  urls: YahooUrls
  deps: ProviderDeps
  timeoutMs: number
}
