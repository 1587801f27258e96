import type { HttpReply } from './http-client'
import { describeWait, looksLikeHtml, parseRetryAfter, snippet } from './http-errors'
import { ProviderError, type ProviderDeps } from './provider'
import { FINNHUB_PER_MINUTE } from './finnhub-limits'

export const FINNHUB_LABEL = 'Finnhub'

/** `{"error":"..."}`, the body of every Finnhub refusal. */
export function finnhubErrorText(body: string): string | null {
  try {
    const json: unknown = JSON.parse(body)
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const error = (json as { error?: unknown }).error
      if (typeof error === 'string' && error.trim() !== '') return error.trim()
    }
  } catch {
    // not JSON: the caller reports the status alone
  }
  return null
}

const header = (reply: HttpReply, name: string): unknown => reply.headers[name.toLowerCase()]

/**
 * How long to wait after a 429: Retry-After when sent, else X-Ratelimit-Reset (epoch seconds of
 * the next window; small values are read as seconds from now), else unknown.
 */
export function retryAfterOf(reply: HttpReply, now: number): number | null {
  const retryAfter = parseRetryAfter(header(reply, 'retry-after'), now)
  if (retryAfter !== null) return retryAfter
  const raw = header(reply, 'x-ratelimit-reset')
  const text = Array.isArray(raw) ? raw[0] : raw
  const value = typeof text === 'number' ? text : typeof text === 'string' && /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : NaN
  if (!Number.isFinite(value)) return null
  const ms = value > 1e9 ? value * 1000 - now : value * 1000
  return Math.max(0, Math.round(ms))
}

export function rateLimitError(reply: HttpReply, now: number): ProviderError {
  const retryAfterMs = retryAfterOf(reply, now)
  const when = retryAfterMs === null ? 'TickerDesk will slow down and try again.' : `trying again in ${describeWait(retryAfterMs)}.`
  return new ProviderError('rate-limit', `${FINNHUB_LABEL} rate limit reached (${FINNHUB_PER_MINUTE}/min); ${when}`, retryAfterMs)
}

export function invalidKeyError(): ProviderError {
  return new ProviderError(
    'auth',
    `${FINNHUB_LABEL} rejected the key: invalid API key. Check the Finnhub key in Settings or TICKERDESK_FINNHUB_KEY.`
  )
}

export function missingKeyError(): ProviderError {
  return new ProviderError(
    'auth',
    `No ${FINNHUB_LABEL} API key is set, and Finnhub refuses every request without one as an invalid API key; add a free key in Settings or set TICKERDESK_FINNHUB_KEY.`
  )
}

export function notInPlanError(what: string): ProviderError {
  return new ProviderError('auth', `${FINNHUB_LABEL} refused ${what}: it is not included in your Finnhub plan.`)
}

export function malformed(): ProviderError {
  return new ProviderError('bad-payload', `${FINNHUB_LABEL} sent malformed data.`)
}

/**
 * Reads one reply: the parsed JSON of a 200, or the ProviderError its status means. `what`
 * names the data for messages ("quotes", "the symbol search").
 */
export function readReply(reply: HttpReply, deps: ProviderDeps, what: string): unknown {
  const detail = finnhubErrorText(reply.body)
  if (reply.status === 429 || (detail !== null && /api limit reached/i.test(detail))) return fail(rateLimitError(reply, deps.now()))
  if (reply.status === 401) return fail(invalidKeyError())
  if (reply.status === 403) return fail(notInPlanError(what))
  if (reply.status >= 500) {
    return fail(new ProviderError('server', `${FINNHUB_LABEL} had a server problem (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`))
  }
  if (looksLikeHtml(reply.body, header(reply, 'content-type'))) {
    deps.log('warn', `${FINNHUB_LABEL} ${what}: HTML instead of JSON (HTTP ${reply.status}): ${snippet(reply.body)}`)
    return fail(new ProviderError('bad-payload', `${FINNHUB_LABEL} sent a web page instead of market data.`))
  }
  if (reply.status !== 200) {
    return fail(new ProviderError('server', `${FINNHUB_LABEL} refused ${what} (HTTP ${reply.status}${detail ? `: ${detail}` : ''}).`))
  }
  let json: unknown
  try {
    json = JSON.parse(reply.body)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    deps.log('warn', `${FINNHUB_LABEL} ${what}: malformed JSON (${reason}): ${snippet(reply.body)}`)
    return fail(malformed())
  }
  // A 200 that only carries an error is still a refusal.
  if (detail !== null && typeof json === 'object' && json !== null && Object.keys(json).length === 1) {
    if (/api key/i.test(detail)) return fail(invalidKeyError())
    if (/access/i.test(detail)) return fail(notInPlanError(what))
    return fail(new ProviderError('server', `${FINNHUB_LABEL} refused ${what}: ${detail}`))
  }
  return json
}

function fail(error: ProviderError): never {
  throw error
}
