import { PROVIDER_LABELS, type ProviderId } from '../../shared/providers'
import type { ProviderDeps } from './provider'
import { providerEndpoint, type ProviderEnv } from './provider-env'
import type { QuoteStream, StreamState, StreamTick } from './quote-stream'

/**
 * The live feed of a provider, or null when it has none (the engine then polls). Feeds are
 * loaded on first use, like the REST adapters: the websocket stack is only paid for by users
 * of a streaming provider.
 */
export function createStream(id: ProviderId, deps: ProviderDeps, env: ProviderEnv): QuoteStream | null {
  switch (id) {
    case 'finnhub': {
      const { wsUrl, baseUrl, key } = providerEndpoint('finnhub', env)
      return createLazyStream('finnhub', deps, async () => {
        const [{ createFinnhubStream }, { finnhubWsBase }] = await Promise.all([import('./finnhub-stream'), import('./finnhub-client')])
        return createFinnhubStream({ key, url: finnhubWsBase(wsUrl, baseUrl), deps })
      })
    }
    case 'coinbase': {
      const { wsUrl, baseUrl } = providerEndpoint('coinbase', env)
      return createLazyStream('coinbase', deps, async () => {
        const { createCoinbaseStream, coinbaseWsUrl } = await import('./coinbase-stream')
        return createCoinbaseStream({ url: coinbaseWsUrl(wsUrl, baseUrl), deps })
      })
    }
    case 'binance': {
      const { wsUrl, baseUrl } = providerEndpoint('binance', env)
      return createLazyStream('binance', deps, async () => {
        const { createBinanceStream, binanceWsBase } = await import('./binance-stream')
        return createBinanceStream({ url: binanceWsBase(wsUrl, baseUrl), deps })
      })
    }
    default:
      return null
  }
}

/**
 * A stream whose real implementation is imported on creation. Until it is there, wanted symbols
 * and listeners are kept and handed over; a failed import leaves the stream 'down' (the engine
 * keeps polling) and says why.
 */
export function createLazyStream(id: ProviderId, deps: ProviderDeps, load: () => Promise<QuoteStream>): QuoteStream {
  const tickListeners = new Set<(ticks: readonly StreamTick[]) => void>()
  const stateListeners = new Set<(state: StreamState, detail: string | null) => void>()
  const errorListeners = new Set<(symbol: string, message: string) => void>()
  let wanted: readonly string[] = []
  let real: QuoteStream | null = null
  let closed = false

  const announce = (state: StreamState, detail: string | null): void => {
    for (const listener of [...stateListeners]) {
      try {
        listener(state, detail)
      } catch (error) {
        deps.log('error', `${PROVIDER_LABELS[id]} stream listener failed: ${String(error)}`)
      }
    }
  }

  load().then(
    (stream) => {
      if (closed) {
        stream.close()
        return
      }
      real = stream
      stream.onTick((ticks) => {
        for (const listener of [...tickListeners]) listener(ticks)
      })
      stream.onState((state, detail) => announce(state, detail))
      stream.onSymbolError((symbol, message) => {
        for (const listener of [...errorListeners]) listener(symbol, message)
      })
      stream.setSymbols(wanted)
    },
    (error: unknown) => {
      if (closed) return
      const reason = error instanceof Error ? error.message : String(error)
      deps.log('warn', `The ${PROVIDER_LABELS[id]} stream could not be loaded: ${reason}`)
      announce('down', `the ${PROVIDER_LABELS[id]} stream could not be loaded`)
    }
  )

  const listen = <L>(set: Set<L>, listener: L): (() => void) => {
    set.add(listener)
    return () => set.delete(listener)
  }

  return {
    id,
    setSymbols(symbols) {
      wanted = [...symbols]
      real?.setSymbols(wanted)
    },
    onTick: (listener) => listen(tickListeners, listener),
    onState: (listener) => listen(stateListeners, listener),
    onSymbolError: (listener) => listen(errorListeners, listener),
    close() {
      if (closed) return
      closed = true
      real?.close()
      real = null
    }
  }
}
