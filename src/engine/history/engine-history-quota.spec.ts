import { afterEach, describe, expect, it, vi } from 'vitest'
import { DOCUMENTED_FREE_TIERS, LimitChecker } from '../../../bench/quota-limit-checker'
import type { HistoryRange, HistoryResponse } from '../../shared/history'
import type { ProviderId } from '../../shared/providers'
import { quotaOverridesFrom } from '../provider-settings-env'
import { effectiveQuota } from '../quota/provider-quotas'
import type { QuotaUsageSnapshot } from '../quota/quota-usage'
import { engineRig, freshProvider, type EngineRig } from '../testing/engine-rig'
import type { HistorySource } from './history-source'

const quotaFor = (id: ProviderId, limits: Parameters<typeof quotaOverridesFrom>[0]) => effectiveQuota(id, quotaOverridesFrom(limits))
const WATCHED = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'META', 'TSLA', 'AMD']

describe('Engine charts on a quota-limited provider', () => {
  let rig: EngineRig | null = null
  afterEach(async () => {
    await rig?.dispose()
    rig = null
    vi.useRealTimers()
  })

  it("charges a Twelve Data chart to the quotes' credits, and charts with Yahoo while quotes use every credit of the minute", async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 2, 10, 15, 0, 0) })
    const checker = new LimitChecker(DOCUMENTED_FREE_TIERS.twelvedata)
    const twelvedata = freshProvider('twelvedata')
    const answer = twelvedata.fetchQuotes.bind(twelvedata)
    twelvedata.fetchQuotes = (symbols: readonly string[]) => {
      checker.record({ at: Date.now(), symbols: symbols.length })
      return answer(symbols)
    }
    const charted: ProviderId[] = []
    const chartSource = (id: ProviderId, quotaCost?: number): HistorySource => ({
      id,
      minTimeMs: 0,
      ...(quotaCost === undefined ? {} : { quotaCost }),
      async fetchHistory() {
        charted.push(id)
        // A chart is one credit on the same key as the quotes.
        if (id === 'twelvedata') checker.record({ at: Date.now(), symbols: 1 })
        return [{ time: 1, open: 1, high: 2, low: 1, close: 2, volume: null }]
      }
    })
    rig = engineRig({
      providers: { twelvedata, yahoo: freshProvider('yahoo') },
      deps: {
        quotaFor,
        createHistorySource: (id) => (id === 'twelvedata' ? chartSource(id, 1) : id === 'yahoo' ? chartSource(id) : null)
      }
    })
    rig.configure({ provider: 'twelvedata', refreshIntervalSec: 60 })
    rig.watch(...WATCHED)
    await rig.seconds(2)
    // The first batch of 8 symbols spent the minute's 8 credits.
    expect(twelvedata.calls).toHaveLength(1)
    expect([...twelvedata.calls[0]!].sort()).toEqual([...WATCHED].sort())

    const chart = async (requestId: string, range: HistoryRange): Promise<HistoryResponse | undefined> => {
      rig!.engine.handle({ type: 'history', requestId, symbol: 'AAPL', range })
      await rig!.settle()
      return rig!.of('history').find((e) => e.requestId === requestId)?.response
    }
    expect(await chart('busy', '1mo')).toMatchObject({ source: 'yahoo', error: null })
    expect(charted).toEqual(['yahoo'])

    await rig.seconds(61)
    expect(await chart('room', '1y')).toMatchObject({ source: 'twelvedata', error: null })
    expect(charted).toEqual(['yahoo', 'twelvedata'])
    await rig.seconds(15 * 60)
    expect(checker.violations).toBe(0)
    const usage = rig.of('quota-usage').filter((e) => e.provider === 'twelvedata').at(-1)?.snapshot as QuotaUsageSnapshot
    // Every quote credit and the chart's are in the day's count.
    expect(usage.dayUsed).toBe(twelvedata.requested().length + 1)
  })
})
