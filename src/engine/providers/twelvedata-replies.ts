import type { HttpReply } from './http-client'
import { looksLikeHtml, snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'
import { nextUtcMidnight } from './alphavantage-time'
import { TWELVEDATA_CREDITS_PER_DAY, TWELVEDATA_CREDITS_PER_MINUTE } from './twelvedata-limits'
import { isRecord } from './json-reply'

export const TD_LABEL = 'Twelve Data'
export const TD_NO_KEY_MESSAGE = `${TD_LABEL} needs an API key (invalid API key: none set); set TICKERDESK_TWELVEDATA_KEY`

/** The error body every endpoint uses, whether it came with HTTP 200 or a real 4xx. */
export interface TdErrorBody {
  code: number
  message: string
}


/** `{"code":…,"message":…,"status":"error"}`, or null when the object is something else. */
export function tdErrorBody(value: unknown): TdErrorBody | null {
  if (!isRecord(value) || value.status !== 'error') return null
  const code = typeof value.code === 'number' ? value.code : Number(value.code)
  return { code: Number.isFinite(code) ? code : 0, message: typeof value.message === 'string' ? value.message : '' }
}

/** 400 and 404 are what Twelve Data says about a symbol it does not know. */
export const isUnknownSymbolCode = (code: number): boolean => code === 400 || code === 404

function firstSentence(text: string): string {
  const flat = text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim()
  const end = flat.search(/\.(\s|$)/)
  return (end > 0 ? flat.slice(0, end) : flat).slice(0, 160)
}

/** The whole-request error a Twelve Data error means. */
export function tdError(error: TdErrorBody, now: number): ProviderError {
  const detail = firstSentence(error.message)
  switch (error.code) {
    case 401:
      return new ProviderError('auth', `${TD_LABEL} rejected the key: invalid API key (${detail || 'HTTP 401'})`)
    case 403:
      return new ProviderError('auth', `${TD_LABEL} refused the request for this key's plan (${detail || 'HTTP 403'})`)
    case 429:
      if (/for the day|per day|daily/i.test(error.message)) {
        return new ProviderError(
          'rate-limit',
          `${TD_LABEL} daily limit reached (${TWELVEDATA_CREDITS_PER_DAY} credits/day); resumes 00:00 UTC`,
          nextUtcMidnight(now) - now
        )
      }
      // Credits reset on the minute.
      return new ProviderError(
        'rate-limit',
        `${TD_LABEL} rate limit reached (${TWELVEDATA_CREDITS_PER_MINUTE} credits/min); resumes at the next minute`,
        60_000 - (now % 60_000)
      )
    case 414:
      return new ProviderError('server', `${TD_LABEL} refused the request: too many symbols in one request.`)
    default:
      if (error.code >= 500) return new ProviderError('server', `${TD_LABEL} had a server problem (${error.code}${detail ? `: ${detail}` : ''}).`)
      return new ProviderError('server', `${TD_LABEL} refused the request (${error.code}${detail ? `: ${detail}` : ''}).`)
  }
}

/**
 * The body of a reply as JSON, or the ProviderError it stands for when it is no data at all
 * (web page, broken JSON, a non-JSON error status).
 */
export function tdJson(reply: HttpReply, deps: ProviderDeps, what: string): unknown {
  if (looksLikeHtml(reply.body, reply.headers['content-type'])) {
    deps.log('warn', `${TD_LABEL} ${what}: HTML instead of JSON (HTTP ${reply.status}): ${snippet(reply.body)}`)
    if (reply.status >= 500) throw new ProviderError('server', `${TD_LABEL} had a server problem (HTTP ${reply.status}).`)
    throw new ProviderError('bad-payload', `${TD_LABEL} sent a web page instead of market data.`)
  }
  try {
    return JSON.parse(reply.body)
  } catch (error) {
    if (reply.status !== 200) throw tdError({ code: reply.status, message: snippet(reply.body) }, deps.now())
    const reason = error instanceof Error ? error.message : String(error)
    deps.log('warn', `${TD_LABEL} ${what}: malformed JSON (${reason}): ${snippet(reply.body)}`)
    throw tdMalformed()
  }
}

/** The error a reply carries, from its body or, failing that, its HTTP status. */
export function replyError(reply: HttpReply, body: unknown): TdErrorBody | null {
  const fromBody = tdErrorBody(body)
  if (fromBody) return { ...fromBody, code: fromBody.code || reply.status }
  if (reply.status !== 200) return { code: reply.status, message: '' }
  return null
}

export function tdMalformed(): ProviderError {
  return new ProviderError('bad-payload', `${TD_LABEL} sent malformed data.`)
}

/** Prices come as strings ("189.71001"); numbers are accepted too. */
export function tdNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null
  const n = Number(text)
  return Number.isFinite(n) ? n : null
}
