import { PROVIDER_LABELS } from '../../shared/providers'
import { requestCost, type ProviderQuota } from './provider-quotas'
import { DAY_MS, nextUtcMidnight, usageSnapshotProblem, utcDay, type QuotaUsageSnapshot } from './quota-usage'

export type SymbolPriority = 'high' | 'normal'

/**
 * Priority share: a 'high' symbol (shown on screen, or watched by an armed alert) has weight 2,
 * a 'normal' one weight 1. Stride scheduling gives every symbol requests in proportion to its
 * weight, so with H high and L normal symbols a high symbol is refreshed twice as often as a
 * normal one, and a normal one still gets 1/(2H+L) of all symbol slots: nobody starves.
 */
export const PRIORITY_WEIGHT: Record<SymbolPriority, number> = { high: 2, normal: 1 }

/**
 * Sliding windows are checked as if they were 1 % longer than documented: request times on the
 * provider's clock differ from ours by network jitter, and a request counted a few ms late would
 * otherwise be one too many. Costs at most 1 % of throughput.
 */
export const WINDOW_SAFETY = 0.01

export type PlanDecision =
  | { kind: 'batch'; symbols: string[]; cost: number }
  /** Nothing may (or needs to) go before `until`; `why` is a plain-words reason. */
  | { kind: 'wait'; until: number; why: string }
  /** No symbol to fetch at all. */
  | { kind: 'idle' }

export type RefreshNowResult = { kind: 'batch'; symbols: string[]; cost: number } | { kind: 'refused'; until: number; message: string }

export interface QuotaPlannerOptions {
  quota: ProviderQuota
  /** Least time between two refreshes of one symbol: the user's refresh interval (default 0). */
  minIntervalMs?: number
  /** A smaller batch cap from the adapter, if it has one. */
  maxBatch?: number
  /** Time zone for times in messages (default: the machine's). */
  timeZone?: string
}

interface SymbolState {
  priority: SymbolPriority
  /** Stride-scheduling virtual time: grows by 1/weight on every fetch. */
  pass: number
  lastFetched: number | null
  seq: number
}

interface Candidate {
  symbol: string
  state: SymbolState
  pass: number
}

/**
 * Round-robin order: symbols never fetched first (the newest added first, so a symbol the user
 * just added shows a price at once), then lowest pass, least recently fetched, oldest.
 */
function before(a: Candidate, b: Candidate): number {
  const aNew = a.state.lastFetched === null
  const bNew = b.state.lastFetched === null
  if (aNew || bNew) return aNew && bNew ? b.state.seq - a.state.seq : aNew ? -1 : 1
  return a.pass - b.pass || a.state.lastFetched! - b.state.lastFetched! || a.state.seq - b.state.seq
}

/** The `k` first candidates in round-robin order; a linear pass when k is small (the usual case). */
function smallest(candidates: Candidate[], k: number): Candidate[] {
  if (k >= candidates.length) return candidates.sort(before)
  if (k > 16) return candidates.sort(before).slice(0, k)
  const chosen: Candidate[] = []
  for (const c of candidates) {
    if (chosen.length === k && before(c, chosen[k - 1]!) >= 0) continue
    let i = chosen.length === k ? k - 1 : chosen.length
    if (chosen.length === k) chosen.pop()
    while (i > 0 && before(c, chosen[i - 1]!) < 0) i--
    chosen.splice(i, 0, c)
  }
  return chosen
}

interface Window {
  name: 'second' | 'minute'
  lengthMs: number
  max: number
}

interface Usage {
  at: number
  cost: number
}

/**
 * Decides, on a clock the caller supplies, which batch of symbols a quota-limited provider should
 * be asked for next, so that every symbol is refreshed about as often as the quota allows and no
 * limit is ever exceeded. It keeps no timers: call next(now) when the returned wait is over.
 *
 * Pacing: the next request goes no earlier than cost × window ÷ limit after the previous one for
 * each sliding window, and the day's remaining budget is spread evenly over the time left until
 * 00:00 UTC, so a 25/day budget lasts the whole day instead of going in five minutes. Hard
 * limits are then checked exactly against the recorded requests.
 */
export class QuotaPlanner {
  readonly quota: ProviderQuota
  private readonly label: string
  private readonly windows: Window[]
  private readonly symbols = new Map<string, SymbolState>()
  private recent: Usage[] = []
  private day: string | null = null
  private dayUsed = 0
  private lastRequestAt: number | null = null
  /**
   * The paced time the last request was due at. Callers tick on whole seconds, so a request due
   * at 1.01 s goes at 2 s; pacing from the due time rather than the send time lets the next one
   * catch up (by at most one step) instead of losing the difference every time.
   */
  private lastSlot: number | null = null
  /** The last request was a user refresh taken ahead of the pace: the next one must wait for it. */
  private aheadOfPace = false
  private minIntervalMs: number
  private readonly batchCap: number
  private seq = 0
  private virtualTime = 0

  constructor(private readonly options: QuotaPlannerOptions) {
    this.quota = options.quota
    this.label = PROVIDER_LABELS[options.quota.provider]
    this.minIntervalMs = Math.max(0, options.minIntervalMs ?? 0)
    const windows: Window[] = []
    if (this.quota.perSecond !== null) windows.push({ name: 'second', lengthMs: 1_000, max: this.quota.perSecond })
    if (this.quota.perMinute !== null) windows.push({ name: 'minute', lengthMs: 60_000, max: this.quota.perMinute })
    this.windows = windows
    const limits = [this.quota.perSecond, this.quota.perMinute, this.quota.perDay].filter((n): n is number => n !== null)
    this.batchCap = largestBatchWithin(this.quota, Math.min(this.quota.maxBatch, options.maxBatch ?? Infinity), Math.min(...limits))
  }

  get size(): number {
    return this.symbols.size
  }

  setMinInterval(ms: number): void {
    this.minIntervalMs = Math.max(0, ms)
  }

  /** New symbols join at the current round, ahead of ones already fetched in it. */
  add(symbols: Iterable<string>, priority: SymbolPriority = 'normal'): void {
    for (const symbol of symbols) {
      const state = this.symbols.get(symbol)
      if (state !== undefined) continue
      this.symbols.set(symbol, { priority, pass: this.virtualTime, lastFetched: null, seq: this.seq++ })
    }
  }

  remove(symbols: Iterable<string>): void {
    for (const symbol of symbols) this.symbols.delete(symbol)
  }

  has(symbol: string): boolean {
    return this.symbols.has(symbol)
  }

  setPriority(symbol: string, priority: SymbolPriority): void {
    const state = this.symbols.get(symbol)
    if (state !== undefined) state.priority = priority
  }

  /**
   * The batch to request now (already counted as spent), or when to ask again. `canPoll` leaves
   * symbols out for now (a closed market) without losing their place.
   */
  next(now: number, canPoll: (symbol: string) => boolean = () => true): PlanDecision {
    this.roll(now)
    if (this.symbols.size === 0) return { kind: 'idle' }
    const { batch, eligibleAt } = this.pick(now, canPoll, this.batchSize())
    if (batch.length === 0) {
      return eligibleAt === null
        ? { kind: 'idle' }
        : { kind: 'wait', until: eligibleAt, why: 'every symbol was refreshed within the refresh interval' }
    }
    const cost = requestCost(this.quota, batch.length)
    const hard = this.hardEarliest(now, cost)
    const paced = this.pacedEarliest(cost)
    if (hard.at > now || paced.at > now) {
      return hard.at >= paced.at ? { kind: 'wait', until: hard.at, why: hard.why } : { kind: 'wait', until: paced.at, why: paced.why }
    }
    this.commit(now, batch, cost, paced.at)
    this.aheadOfPace = false
    return { kind: 'batch', symbols: batch, cost }
  }

  /** When next(now, canPoll) would next hand out a batch, without spending anything; null when idle. */
  nextBatchAt(now: number, canPoll: (symbol: string) => boolean = () => true): number | null {
    this.roll(now)
    if (this.symbols.size === 0) return null
    const { batch, eligibleAt } = this.pick(now, canPoll, this.batchSize())
    const from = batch.length > 0 ? now : eligibleAt
    if (from === null) return null
    const cost = requestCost(this.quota, batch.length > 0 ? batch.length : this.batchSize())
    return Math.max(from, this.hardEarliest(from, cost).at, this.pacedEarliest(cost).at)
  }

  /**
   * A user's "refresh now": takes the next request ahead of the pace (the pace then spreads what
   * is left), at most once per paced interval and never past a hard limit. `symbols` narrows the
   * choice (e.g. the rows on screen); otherwise the stalest go first.
   */
  refreshNow(now: number, symbols?: readonly string[]): RefreshNowResult {
    this.roll(now)
    const wanted = symbols === undefined ? null : new Set(symbols.filter((s) => this.symbols.has(s)))
    const { batch } = this.pick(now, (s) => wanted === null || wanted.has(s), this.batchSize(), true)
    if (batch.length === 0) return { kind: 'refused', until: now, message: `${this.label}: there is nothing to refresh.` }
    const cost = requestCost(this.quota, batch.length)
    const hard = this.hardEarliest(now, cost)
    if (hard.at > now) return { kind: 'refused', until: hard.at, message: this.refusal(hard.at, now) }
    const paced = this.pacedEarliest(cost)
    if (this.aheadOfPace && paced.at > now) return { kind: 'refused', until: paced.at, message: this.refusal(paced.at, now) }
    this.commit(now, batch, cost, now)
    this.aheadOfPace = paced.at > now
    return { kind: 'batch', symbols: batch, cost }
  }

  /** Counts a request made outside the planner (a search, a chart) against the same budget. */
  record(now: number, cost: number): void {
    this.roll(now)
    this.charge(now, Math.max(0, cost))
  }

  /**
   * A request outside the planner (`purpose`, e.g. "a chart") that may only go if every hard limit
   * has room for it now: charged (unless `charge` is false) and null, or the plain-words reason it
   * cannot go yet. The quotes' pace then spreads what is left, as after a user refresh.
   */
  spendOutside(now: number, cost: number, purpose: string, charge = true): string | null {
    this.roll(now)
    const hard = this.hardEarliest(now, Math.max(0, cost))
    if (hard.at <= now) {
      if (charge) this.charge(now, Math.max(0, cost))
      return null
    }
    const unit = this.quota.unit
    if (this.quota.perDay !== null && this.dayUsed + cost > this.quota.perDay) {
      return `${this.label} has used all ${this.quota.perDay} of today's ${unit}; ${purpose} from it is possible again after 00:00 UTC.`
    }
    const window = hard.window
    const limit = window === null ? '' : ` (${window.max} ${unit} a ${window.name}, all in use by quotes)`
    return `${this.label} has no ${unit} to spare for ${purpose} right now${limit}; try again in ${Math.ceil((hard.at - now) / 1000)} s.`
  }

  /** How much of each window is left now, in the provider's cost units (null: no such limit). */
  remaining(now: number): { second: number | null; minute: number | null; day: number | null } {
    this.roll(now)
    const left = (name: Window['name']): number | null => {
      const w = this.windows.find((x) => x.name === name)
      return w === undefined ? null : Math.max(0, w.max - this.windowUsed(w, now))
    }
    return {
      second: left('second'),
      minute: left('minute'),
      day: this.quota.perDay === null ? null : Math.max(0, this.quota.perDay - this.dayUsed)
    }
  }

  usageSnapshot(): QuotaUsageSnapshot {
    return {
      version: 1,
      provider: this.quota.provider,
      day: this.day ?? utcDay(this.lastRequestAt ?? 0),
      dayUsed: this.dayUsed,
      recent: this.recent.map((u) => [u.at, u.cost]),
      lastRequestAt: this.lastRequestAt
    }
  }

  /**
   * Restores usage saved before a restart so it cannot spend a fresh budget; merged by keeping
   * the larger count. Returns a plain-words problem (and changes nothing) for a bad snapshot.
   */
  restoreUsage(snapshot: unknown, now: number): string | null {
    const problem = usageSnapshotProblem(snapshot, this.quota.provider)
    if (problem !== null) return `${this.label}: ${problem}; starting from the free budget's full limits.`
    const s = snapshot as QuotaUsageSnapshot
    this.roll(now)
    if (s.day === this.day) this.dayUsed = Math.max(this.dayUsed, s.dayUsed)
    const seen = new Set(this.recent.map((u) => `${u.at}:${u.cost}`))
    for (const [at, cost] of s.recent) if (!seen.has(`${at}:${cost}`)) this.recent.push({ at, cost })
    this.recent.sort((a, b) => a.at - b.at)
    this.prune(now)
    if (s.lastRequestAt !== null) this.lastRequestAt = Math.max(this.lastRequestAt ?? 0, s.lastRequestAt)
    return null
  }

  /** The symbols-per-request this planner uses for the current symbol count. */
  batchSize(): number {
    return Math.max(1, Math.min(this.batchCap, this.symbols.size))
  }

  private pick(
    now: number,
    canPoll: (symbol: string) => boolean,
    size: number,
    ignoreInterval = false
  ): { batch: string[]; eligibleAt: number | null } {
    const floor = this.virtualTime
    const candidates: Candidate[] = []
    let eligibleAt: number | null = null
    for (const [symbol, state] of this.symbols) {
      if (!canPoll(symbol)) continue
      if (!ignoreInterval && state.lastFetched !== null && now - state.lastFetched < this.minIntervalMs) {
        const at = state.lastFetched + this.minIntervalMs
        eligibleAt = eligibleAt === null ? at : Math.min(eligibleAt, at)
        continue
      }
      // A symbol left out for a while (market closed) rejoins at the current round, so it cannot
      // monopolise the budget catching up.
      candidates.push({ symbol, state, pass: Math.max(state.pass, floor) })
    }
    return { batch: smallest(candidates, size).map((c) => c.symbol), eligibleAt }
  }

  private commit(now: number, batch: readonly string[], cost: number, due: number): void {
    this.lastSlot = Number.isFinite(due) ? Math.min(now, due) : now
    let top = this.virtualTime
    for (const symbol of batch) {
      const state = this.symbols.get(symbol)
      if (state === undefined) continue
      const pass = Math.max(state.pass, this.virtualTime)
      state.pass = pass + 1 / PRIORITY_WEIGHT[state.priority]
      state.lastFetched = now
      top = Math.max(top, pass)
    }
    this.virtualTime = top
    this.charge(now, cost)
  }

  private charge(now: number, cost: number): void {
    if (cost <= 0) return
    this.recent.push({ at: now, cost })
    this.dayUsed += cost
    this.lastRequestAt = Math.max(this.lastRequestAt ?? now, now)
  }

  private roll(now: number): void {
    const day = utcDay(now)
    if (day !== this.day) {
      if (this.day !== null && day > this.day) this.dayUsed = 0
      this.day = day > (this.day ?? '') ? day : this.day
    }
    this.prune(now)
  }

  private prune(now: number): void {
    const longest = Math.max(0, ...this.windows.map((w) => w.lengthMs * (1 + WINDOW_SAFETY)))
    let drop = 0
    while (drop < this.recent.length && this.recent[drop]!.at <= now - longest) drop++
    if (drop > 0) this.recent = this.recent.slice(drop)
  }

  private windowUsed(w: Window, now: number): number {
    const from = now - w.lengthMs * (1 + WINDOW_SAFETY)
    let sum = 0
    for (const u of this.recent) if (u.at > from) sum += u.cost
    return sum
  }

  /** The earliest time a request of `cost` fits every limit, exactly. */
  private hardEarliest(now: number, cost: number): { at: number; why: string; window: Window | null } {
    let at = now
    let why = ''
    let binding: Window | null = null
    for (const w of this.windows) {
      const length = w.lengthMs * (1 + WINDOW_SAFETY)
      const inside = this.recent.filter((u) => u.at > now - length)
      let sum = inside.reduce((s, u) => s + u.cost, 0)
      let t = now
      for (const u of inside) {
        if (sum + cost <= w.max) break
        sum -= u.cost
        t = Math.ceil(u.at + length)
      }
      if (t > at) {
        at = t
        why = `${this.label} allows ${w.max} ${this.quota.unit} per ${w.name}`
        binding = w
      }
    }
    if (this.quota.perDay !== null && this.dayUsed + cost > this.quota.perDay) {
      const reset = nextUtcMidnight(now)
      if (reset > at) {
        at = reset
        why = `${this.label} daily limit reached (${this.quota.perDay}/day); resumes 00:00 UTC`
        binding = null
      }
    }
    return { at, why, window: binding }
  }

  /** The earliest time that keeps the steady pace every limit implies. */
  private pacedEarliest(cost: number): { at: number; why: string } {
    const last = this.lastRequestAt
    if (last === null) return { at: -Infinity, why: '' }
    const slot = this.lastSlot ?? last
    const step = (spacing: number): number => Math.max(slot, last - spacing) + spacing
    let at = step(this.quota.minSpacingMs)
    let why = `${this.label} is paced at one request every ${Math.round(this.quota.minSpacingMs / 1000)} s`
    for (const w of this.windows) {
      const t = step(Math.ceil((cost * w.lengthMs * (1 + WINDOW_SAFETY)) / w.max))
      if (t > at) {
        at = t
        why = `${this.label} is paced to ${w.max} ${this.quota.unit} per ${w.name}`
      }
    }
    const perDay = this.quota.perDay
    if (perDay !== null && this.day !== null && utcDay(last) === this.day) {
      // Spread what is left evenly over what is left of the UTC day: with R left after the last
      // request, the next R/cost requests sit at equal steps and the last lands before midnight.
      const left = perDay - this.dayUsed
      const t = last + Math.ceil((cost * (nextUtcMidnight(last) - last)) / (left + cost))
      if (t > at) {
        at = t
        why = `${this.label} spreads its ${perDay} daily ${this.quota.unit} over the day (${Math.max(0, left)} left)`
      }
    }
    return { at, why }
  }

  private refusal(until: number, now: number): string {
    const perDay = this.quota.perDay
    // Seconds matter for a wait of a few minutes, not for one of hours.
    const when = formatClock(until, this.options.timeZone, until - now < 600_000)
    const prefix =
      perDay !== null
        ? `${this.label}: ${Math.max(0, perDay - this.dayUsed)} of ${perDay} daily ${this.quota.unit} left`
        : `${this.label}: its ${this.windows.map((w) => `${w.max} ${this.quota.unit} per ${w.name}`).join(' and ')} are in use`
    const reset = until % DAY_MS === 0 ? ' (after the 00:00 UTC reset)' : ''
    return `${prefix}; the next refresh is possible at ${when}${reset}.`
  }
}

/** The theoretical best refresh interval for `symbols` symbols: symbols ÷ (batch × calls per ms). */
export function optimalIntervalMs(quota: ProviderQuota, symbols: number, maxBatch = Infinity): number {
  if (symbols <= 0) return 0
  const limits = [quota.perSecond, quota.perMinute, quota.perDay].filter((n): n is number => n !== null)
  const batch = Math.max(1, Math.min(largestBatchWithin(quota, Math.min(quota.maxBatch, maxBatch), Math.min(...limits)), symbols))
  const cost = requestCost(quota, batch)
  const rates = [quota.minSpacingMs > 0 ? 1 / quota.minSpacingMs : Infinity]
  if (quota.perSecond !== null) rates.push(quota.perSecond / cost / 1_000)
  if (quota.perMinute !== null) rates.push(quota.perMinute / cost / 60_000)
  if (quota.perDay !== null) rates.push(quota.perDay / cost / DAY_MS)
  const callsPerMs = Math.min(...rates)
  return callsPerMs === Infinity ? 0 : symbols / (batch * callsPerMs)
}

/** The batch size with the lowest cost per symbol (ties go to the larger) whose cost fits `limit`. */
function largestBatchWithin(quota: ProviderQuota, cap: number, limit: number): number {
  const top = Math.max(1, Math.floor(Number.isFinite(cap) ? cap : quota.maxBatch))
  let best = 1
  let bestPerSymbol = Infinity
  for (let b = 1; b <= top; b++) {
    const cost = requestCost(quota, b)
    if (cost > limit) break
    if (cost / b <= bestPerSymbol) {
      best = b
      bestPerSymbol = cost / b
    }
  }
  return best
}

function formatClock(time: number, timeZone: string | undefined, withSeconds: boolean): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23'
  }).format(new Date(time))
}
