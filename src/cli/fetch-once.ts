import type { EngineHandle } from '../host/engine-handle'
import { PROVIDER_LABELS, type ProviderId } from '../shared/providers'
import { QuoteCollector, type SymbolOutcome } from './quote-collector'

export const CLI_CONSUMER = 'cli'

export interface FetchOnceOptions {
  /** Valid, normalised, distinct symbols. */
  symbols: readonly string[]
  provider: ProviderId
  timeoutMs: number
  /** How often the engine would poll; one-shot fetches only need its first round. */
  refreshIntervalSec?: number
  setTimer?: (fn: () => void, ms: number) => () => void
}

const defaultSetTimer = (fn: () => void, ms: number): (() => void) => {
  const handle = setTimeout(fn, ms)
  return () => clearTimeout(handle)
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Starts the engine, asks it for `symbols` once and resolves with one outcome per symbol, in
 * the given order. Symbols still unanswered when the timeout fires say so. The caller owns the
 * engine and disposes it afterwards.
 */
export function fetchOnce(engine: EngineHandle, options: FetchOnceOptions): Promise<SymbolOutcome[]> {
  const collector = new QuoteCollector(options.symbols)
  const setTimer = options.setTimer ?? defaultSetTimer
  return new Promise((resolve) => {
    let finished = false
    let started = false
    const cleanups: (() => void)[] = []
    const finish = (): void => {
      if (finished) return
      finished = true
      for (const cleanup of cleanups) cleanup()
      resolve(options.symbols.map((symbol) => collector.outcome(symbol) ?? { symbol, error: 'no answer' }))
    }
    if (options.symbols.length === 0) return finish()

    cleanups.push(
      engine.onEvent((event) => {
        collector.handle(event)
        if (collector.done) finish()
      })
    )
    cleanups.push(
      engine.onState((state) => {
        if (state !== 'stopped' || !started) return
        collector.failPending('the quote engine stopped unexpectedly')
        finish()
      })
    )
    const seconds = Math.round(options.timeoutMs / 100) / 10
    cleanups.push(
      setTimer(() => {
        collector.failPending(`timed out waiting for ${PROVIDER_LABELS[options.provider]} after ${seconds} s`)
        finish()
      }, options.timeoutMs)
    )
    engine.start().then(
      () => {
        if (finished) return
        started = true
        engine.send({
          type: 'configure',
          // A lookup answers at any hour; the market calendar is for the app's background polling.
          config: { provider: options.provider, refreshIntervalSec: options.refreshIntervalSec ?? 3600, flushIntervalMs: 16, marketHours: null }
        })
        engine.send({ type: 'set-interest', consumer: CLI_CONSUMER, symbols: [...options.symbols] })
      },
      (error: unknown) => {
        collector.failPending(`the quote engine could not start: ${describeError(error)}`)
        finish()
      }
    )
  })
}
