import type { HttpReply } from './http-client'
import { looksLikeHtml, snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'
import { nextUtcMidnight } from './alphavantage-time'

export const AV_LABEL = 'Alpha Vantage'
export const AV_DAILY_LIMIT = 25
/** The free key's burst rule is "1 request per second"; a couple of seconds clears it. */
export const AV_BURST_RETRY_MS = 2_000
/** The legacy "5 calls per minute" note: wait out the minute. */
export const AV_MINUTE_RETRY_MS = 60_000

export const AV_NO_KEY_MESSAGE = `${AV_LABEL} needs an API key (invalid API key: none set); set TICKERDESK_ALPHAVANTAGE_KEY`

/** What an HTTP 200 body says besides data: Alpha Vantage signals every problem this way. */
export type AvSignal =
  | { kind: 'daily-limit' }
  | { kind: 'burst' }
  | { kind: 'minute-limit' }
  | { kind: 'premium' }
  | { kind: 'bad-key'; text: string }
  | { kind: 'invalid-call'; text: string }
  | { kind: 'other'; text: string }

/**
 * Reads the `Information` / `Note` / `Error Message` keys. The burst message also mentions the
 * daily quota and "premium endpoints" ("lift the free key rate limit (25 requests per day) …
 * unlock all premium endpoints"), so "per second" is tested first.
 */
export function avSignal(body: unknown): AvSignal | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null
  const record = body as Record<string, unknown>
  const error = record['Error Message']
  if (typeof error === 'string') {
    if (/apikey|api key/i.test(error)) return { kind: 'bad-key', text: error }
    return { kind: 'invalid-call', text: error }
  }
  const info = typeof record.Information === 'string' ? record.Information : typeof record.Note === 'string' ? record.Note : null
  if (info === null) return null
  if (/per second|sparingly/i.test(info)) return { kind: 'burst' }
  if (/is a premium endpoint/i.test(info)) return { kind: 'premium' }
  if (/per minute/i.test(info)) return { kind: 'minute-limit' }
  if (/per day|daily/i.test(info)) return { kind: 'daily-limit' }
  if (/apikey.*(invalid|missing)|invalid api key|demo api key|\*\*demo\*\*/i.test(info)) return { kind: 'bad-key', text: info }
  return { kind: 'other', text: info }
}

/**
 * The whole-request error a signal means. `invalid-call` is left to the caller: on a quote it
 * means the symbol was not understood, which is that symbol's problem only.
 */
export function signalError(signal: Exclude<AvSignal, { kind: 'invalid-call' }>, fn: string, now: number): ProviderError {
  switch (signal.kind) {
    case 'daily-limit': {
      const wait = nextUtcMidnight(now) - now
      return new ProviderError('rate-limit', `${AV_LABEL} daily limit reached (${AV_DAILY_LIMIT}/day); resumes 00:00 UTC`, wait)
    }
    case 'burst':
      return new ProviderError(
        'rate-limit',
        `${AV_LABEL} rate limit: at most 1 request per second on this key; trying again in a few seconds`,
        AV_BURST_RETRY_MS
      )
    case 'minute-limit':
      return new ProviderError(
        'rate-limit',
        `${AV_LABEL} rate limit: at most 5 requests per minute on this key; trying again in a minute`,
        AV_MINUTE_RETRY_MS
      )
    case 'premium':
      return new ProviderError(
        'auth',
        `${AV_LABEL}: ${fn} is a premium endpoint and this key is not premium; unset TICKERDESK_ALPHAVANTAGE_PREMIUM or upgrade the key`
      )
    case 'bad-key':
      return new ProviderError('auth', `${AV_LABEL} rejected the key: invalid API key (${firstSentence(signal.text)})`)
    case 'other':
      return new ProviderError('server', `${AV_LABEL} did not answer with data: ${firstSentence(signal.text)}`)
  }
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const end = flat.search(/\.(\s|$)/)
  return (end > 0 ? flat.slice(0, end) : flat).slice(0, 160)
}

/** Problems that are the same on every function: server trouble, web pages, odd statuses. */
export function transportFailure(reply: HttpReply, deps: ProviderDeps, fn: string): ProviderError | null {
  if (reply.status === 429) {
    return new ProviderError('rate-limit', `${AV_LABEL} rate limit: the service answered HTTP 429; slowing down`, null)
  }
  if (reply.status >= 500) return new ProviderError('server', `${AV_LABEL} had a server problem (HTTP ${reply.status}).`)
  if (reply.status !== 200) {
    const kind = reply.status === 401 || reply.status === 403 ? 'auth' : 'server'
    return new ProviderError(kind, `${AV_LABEL} refused the ${fn} request (HTTP ${reply.status}).`)
  }
  if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
    deps.log('warn', `${AV_LABEL} ${fn}: HTML instead of data: ${snippet(reply.body)}`)
    return new ProviderError('bad-payload', `${AV_LABEL} sent a web page instead of market data.`)
  }
  return null
}

export function parseAvJson(reply: HttpReply, deps: ProviderDeps, fn: string): unknown {
  try {
    return JSON.parse(reply.body)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    deps.log('warn', `${AV_LABEL} ${fn}: malformed JSON (${reason}): ${snippet(reply.body)}`)
    throw avMalformed()
  }
}

export function avMalformed(): ProviderError {
  return new ProviderError('bad-payload', `${AV_LABEL} sent malformed data.`)
}

/** Every number on the wire is a string; "None", "-" and blanks mean the value is missing. */
export function avNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string') return null
  const text = value.trim().replace(/%$/, '')
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null
  const n = Number(text)
  return Number.isFinite(n) ? n : null
}
