import type { Quote } from '../../shared/quote'
import { getText } from './http-client'
import type { FetchResult } from './provider'
import type { YahooContext } from './yahoo-context'
import { quoteFromV7 } from './yahoo-normalise'
import { YAHOO_LABEL, commonFailure, malformed, parseJson, unexpectedStatus, yahooErrorDescription } from './yahoo-replies'
import { QuoteEnvelopeSchema, QuoteItemHeaderSchema, QuoteItemSchema } from './yahoo-schemas'

export type V7Outcome = { kind: 'ok'; result: FetchResult } | { kind: 'refused'; reason: string }

export function v7QuoteUrl(base: string, symbols: readonly string[], crumb: string): string {
  // Commas stay literal, as Yahoo's own pages send them; each symbol is encoded (^GSPC, EURUSD=X).
  return `${base}?symbols=${symbols.map(encodeURIComponent).join(',')}&crumb=${encodeURIComponent(crumb)}`
}

/**
 * One v7 batch request. Resolves 'refused' when Yahoo rejects the crumb or cookie (HTTP 401) so
 * the caller can renew the session; rejects with ProviderError for whole-batch failures.
 */
export async function fetchV7(
  ctx: YahooContext,
  symbols: readonly string[],
  crumb: string,
  cookie: string,
  signal?: AbortSignal
): Promise<V7Outcome> {
  const reply = await getText(ctx.http, YAHOO_LABEL, {
    url: v7QuoteUrl(ctx.urls.quote, symbols, crumb),
    timeoutMs: ctx.timeoutMs,
    signal,
    headers: { Cookie: cookie, Accept: 'application/json' }
  })
  const failure = commonFailure(reply, ctx.deps, 'quote')
  if (failure) throw failure
  if (reply.status === 401) {
    return { kind: 'refused', reason: yahooErrorDescription(reply.body) ?? 'HTTP 401' }
  }
  if (reply.status !== 200) throw unexpectedStatus(reply)

  const envelope = QuoteEnvelopeSchema.safeParse(parseJson(reply, ctx.deps, 'quote'))
  if (!envelope.success) {
    ctx.deps.log('warn', `${YAHOO_LABEL} quote: unexpected shape: ${envelope.error.issues[0]?.message ?? 'unknown'}`)
    throw malformed()
  }
  return { kind: 'ok', result: readItems(ctx, symbols, envelope.data.quoteResponse.result ?? []) }
}

/** Each item is checked on its own: one odd item becomes that symbol's error, never the batch's. */
function readItems(ctx: YahooContext, symbols: readonly string[], items: readonly unknown[]): FetchResult {
  const wanted = new Map(symbols.map((s) => [s.toUpperCase(), s]))
  const answered = new Set<string>()
  const quotes: Quote[] = []
  const errors: FetchResult['errors'] = []
  const receivedAt = ctx.deps.now()

  for (const raw of items) {
    const header = QuoteItemHeaderSchema.safeParse(raw)
    if (!header.success) {
      ctx.deps.log('warn', `${YAHOO_LABEL} quote: skipped an item without a symbol`)
      continue
    }
    const key = header.data.symbol.toUpperCase()
    const symbol = wanted.get(key)
    if (symbol === undefined || answered.has(key)) continue
    answered.add(key)
    if (header.data.quoteType?.toUpperCase() === 'NONE') {
      errors.push({ symbol, message: `${symbol} appears to be delisted` })
      continue
    }
    const item = QuoteItemSchema.safeParse(raw)
    if (!item.success) {
      const issue = item.error.issues[0]
      ctx.deps.log('warn', `${YAHOO_LABEL} quote: unusable item for ${symbol}: ${issue?.path.join('.')} ${issue?.message}`)
      errors.push({ symbol, message: `${YAHOO_LABEL} sent unusable data for ${symbol}` })
      continue
    }
    quotes.push(quoteFromV7(item.data, symbol, receivedAt))
  }
  for (const [key, symbol] of wanted) {
    if (!answered.has(key)) errors.push({ symbol, message: `Unknown symbol ${symbol}` })
  }
  return { quotes, errors }
}
