import type { Quote } from '../../shared/quote'
import { getText } from './http-client'
import { ProviderError, type FetchResult } from './provider'
import type { YahooContext } from './yahoo-context'
import { quoteFromChart } from './yahoo-normalise'
import { YAHOO_LABEL, commonFailure, malformed, parseJson, unexpectedStatus } from './yahoo-replies'
import { ChartEnvelopeSchema, ChartResultSchema } from './yahoo-schemas'

/** Chart requests in flight per batch; with two batches at once that is four, the load common Yahoo clients use. */
const CHART_CONCURRENCY = 2

type ChartOutcome = { quote: Quote } | { message: string }

export function chartUrl(prefix: string, symbol: string): string {
  return `${prefix}${encodeURIComponent(symbol)}?interval=1d&range=1d&includePrePost=false`
}

/** One symbol over the keyless chart endpoint. Per-symbol answers resolve; anything else rejects. */
async function fetchOne(ctx: YahooContext, symbol: string, cookie: string, signal?: AbortSignal): Promise<ChartOutcome> {
  const reply = await getText(ctx.http, YAHOO_LABEL, {
    url: chartUrl(ctx.urls.chart, symbol),
    timeoutMs: ctx.timeoutMs,
    signal,
    headers: cookie ? { Cookie: cookie, Accept: 'application/json' } : { Accept: 'application/json' }
  })
  const failure = commonFailure(reply, ctx.deps, `chart ${symbol}`)
  if (failure) throw failure
  // "No data found, symbol may be delisted" is what Yahoo says for any symbol it does not know.
  if (reply.status === 404) return { message: `Unknown symbol ${symbol}` }
  if (reply.status !== 200) throw unexpectedStatus(reply)

  const envelope = ChartEnvelopeSchema.safeParse(parseJson(reply, ctx.deps, `chart ${symbol}`))
  if (!envelope.success) {
    ctx.deps.log('warn', `${YAHOO_LABEL} chart ${symbol}: unexpected shape: ${envelope.error.issues[0]?.message ?? 'unknown'}`)
    throw malformed()
  }
  const first = envelope.data.chart.result?.[0]
  if (first === undefined) return { message: `Unknown symbol ${symbol}` }
  const result = ChartResultSchema.safeParse(first)
  if (!result.success) {
    const issue = result.error.issues[0]
    ctx.deps.log('warn', `${YAHOO_LABEL} chart ${symbol}: unusable: ${issue?.path.join('.')} ${issue?.message}`)
    return { message: `${YAHOO_LABEL} sent unusable data for ${symbol}` }
  }
  return { quote: quoteFromChart(result.data, symbol, ctx.deps.now()) }
}

/**
 * Prices a batch one chart request per symbol. A rate limit or a lost network ends the batch at
 * once (every further request would fail the same way); other failures stay with their symbol,
 * unless every symbol failed, in which case the batch fails with the first reason.
 */
export async function fetchViaChart(
  ctx: YahooContext,
  symbols: readonly string[],
  cookie: string,
  signal?: AbortSignal
): Promise<FetchResult> {
  const outcomes = new Array<ChartOutcome | ProviderError | undefined>(symbols.length)
  let fatal: ProviderError | null = null
  let next = 0

  const worker = async (): Promise<void> => {
    while (fatal === null && next < symbols.length) {
      const index = next++
      const symbol = symbols[index] as string
      try {
        outcomes[index] = await fetchOne(ctx, symbol, cookie, signal)
      } catch (error) {
        const problem = error instanceof ProviderError ? error : new ProviderError('bad-payload', malformed().message)
        if (problem.kind === 'rate-limit' || problem.kind === 'network') fatal ??= problem
        else outcomes[index] = problem
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CHART_CONCURRENCY, symbols.length) }, worker))
  if (fatal !== null) throw fatal

  const quotes: Quote[] = []
  const errors: FetchResult['errors'] = []
  let firstProblem: ProviderError | null = null
  let problems = 0
  symbols.forEach((symbol, index) => {
    const outcome = outcomes[index]
    if (outcome instanceof ProviderError) {
      firstProblem ??= outcome
      problems++
      errors.push({ symbol, message: outcome.message })
    } else if (outcome === undefined) {
      errors.push({ symbol, message: `${YAHOO_LABEL} did not answer for ${symbol}` })
    } else if ('quote' in outcome) quotes.push(outcome.quote)
    else errors.push({ symbol, message: outcome.message })
  })
  if (firstProblem !== null && problems === symbols.length) throw firstProblem
  return { quotes, errors }
}
