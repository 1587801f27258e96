import type { AlertFiring, EngineAlertRule } from '../../shared/alerts'
import type { Quote } from '../../shared/quote'
import { CATCH_UP_PREFIX, alertMessage } from './alert-messages'
import { KIND, MODE, compileRule, utcDay, type CompiledRule } from './compiled-rule'
import { PriceHistory } from './price-history'

// Module-local copies: reading an imported object per tick costs a getter call in some module formats.
const PRICE_ABOVE = KIND.priceAbove
const PRICE_BELOW = KIND.priceBelow
const CROSSES = KIND.crosses
const DAY_CHANGE_ABOVE = KIND.dayChangeAbove
const DAY_CHANGE_BELOW = KIND.dayChangeBelow
const MOVE_WITHIN = KIND.moveWithin
const VOLUME_ABOVE = KIND.volumeAbove
const HIGH_52 = KIND.high52
const LOW_52 = KIND.low52
const ONCE = MODE.once
const DAILY = MODE.daily

const ARMED = 1
const DISARMED = 0
const NO_FIRINGS: readonly AlertFiring[] = Object.freeze([])

/** Market state per symbol that every rule on it shares. */
interface SymbolSlot {
  readonly symbol: string
  /** Binding indices (one per rule on this symbol). */
  bindings: Int32Array
  seen: boolean
  /** From the last evaluated tick: the state "before" the next one and before a gap. */
  time: number
  dayHigh: number
  dayLow: number
  high52: number
  low52: number
  /** A sleep or outage happened since the last tick: the next one is compared with the state before it. */
  gap: boolean
  histories: PriceHistory[]
}

export interface AlertEvaluatorOptions {
  /** Day number of a time for "once per day" and for catch-up; UTC days by default. */
  dayOf?: (time: number) => number
}

/**
 * Evaluates alert rules against accepted ticks. Every (rule, symbol) pair is a binding whose
 * state lives in typed arrays indexed by binding; a tick looks up its symbol once and walks that
 * symbol's bindings, allocating only when something fires.
 */
export class AlertEvaluator {
  private rules: CompiledRule[] = []
  private readonly slots = new Map<string, SymbolSlot>()
  private keys: string[] = []
  private ruleOf = new Int32Array(0)
  /** Level kinds: ARMED or DISARMED (fired, waiting for the re-arm band). */
  private armed = new Uint8Array(0)
  /** Crossings: side of the line last seen (+1 at or above, -1 below, 0 unknown). */
  private side = new Int8Array(0)
  /** Crossings: side it fired to; until the price leaves the band on the other side, no new crossing counts. */
  private lock = new Int8Array(0)
  /** When the binding last fired (epoch ms), NaN when never. */
  private lastFired = new Float64Array(0)
  private historyOf: (PriceHistory | null)[] = []
  private readonly dayOf: (time: number) => number
  /** Rule evaluations so far: one per binding per evaluated tick. */
  evaluations = 0
  /** The time of the tick being evaluated. */
  private tickNow = Number.NaN

  constructor(options: AlertEvaluatorOptions = {}) {
    this.dayOf = options.dayOf ?? utcDay
  }

  get bindingCount(): number {
    return this.keys.length
  }

  hasRules(symbol: string): boolean {
    return this.slots.has(symbol)
  }

  /**
   * Replaces every rule. A rule whose id and condition are unchanged keeps its per-symbol state,
   * so editing a note or snoozing does not re-fire a rule that is already past its line.
   */
  setRules(rules: readonly EngineAlertRule[], lastTick: (symbol: string) => MarketSnapshot | undefined = () => undefined): void {
    const compiled: CompiledRule[] = []
    const keys: string[] = []
    const ruleOf: number[] = []
    const seeds: number[] = []
    const bySymbol = new Map<string, number[]>()
    for (const rule of rules) {
      const r = compiled.push(compileRule(rule)) - 1
      for (const symbol of new Set(rule.symbols)) {
        const b = keys.push(`${rule.id}\u0000${symbol}`) - 1
        ruleOf.push(r)
        seeds.push(rule.lastFired[symbol] ?? Number.NaN)
        const list = bySymbol.get(symbol)
        if (list) list.push(b)
        else bySymbol.set(symbol, [b])
      }
    }

    const n = keys.length
    const armed = new Uint8Array(n)
    const side = new Int8Array(n)
    const lock = new Int8Array(n)
    const lastFired = new Float64Array(n)
    const previous = new Map<string, number>()
    this.keys.forEach((key, i) => previous.set(key, i))
    for (let b = 0; b < n; b++) {
      const seed = seeds[b]!
      const old = previous.get(keys[b]!)
      const kept = old !== undefined && this.rules[this.ruleOf[old]!]!.signature === compiled[ruleOf[b]!]!.signature
      if (old !== undefined && kept) {
        armed[b] = this.armed[old]!
        side[b] = this.side[old]!
        lock[b] = this.lock[old]!
        const mine = this.lastFired[old]!
        lastFired[b] = Number.isNaN(mine) ? seed : Number.isNaN(seed) ? mine : Math.max(mine, seed)
      } else {
        // Fired before a restart: treat it as past its line until the price shows otherwise.
        armed[b] = Number.isNaN(seed) ? ARMED : DISARMED
        lastFired[b] = seed
      }
    }

    this.rules = compiled
    this.keys = keys
    this.ruleOf = Int32Array.from(ruleOf)
    this.armed = armed
    this.side = side
    this.lock = lock
    this.lastFired = lastFired
    this.historyOf = new Array<PriceHistory | null>(n).fill(null)

    for (const symbol of this.slots.keys()) {
      if (!bySymbol.has(symbol)) this.slots.delete(symbol)
    }
    for (const [symbol, list] of bySymbol) {
      let slot = this.slots.get(symbol)
      if (!slot) {
        slot = newSlot(symbol)
        // A rule set between two ticks starts from the last tick seen for its symbol, so a
        // crossing during an outage right after the rule was made is still caught up.
        const known = lastTick(symbol)
        if (known !== undefined) seedSlotMarket(slot, known)
        this.slots.set(symbol, slot)
      }
      slot.bindings = Int32Array.from(list)
      this.attachHistories(slot)
    }
  }

  /** The machine slept or the provider was unreachable: catch up on each symbol's next tick. */
  markGap(): void {
    for (const slot of this.slots.values()) {
      if (slot.seen) slot.gap = true
    }
  }

  /** Forgets prices (another provider's prices are not comparable); keeps armed state and fire times. */
  resetMarket(): void {
    for (const slot of this.slots.values()) {
      resetSlotMarket(slot)
      for (const history of slot.histories) history.clear()
    }
    this.side.fill(0)
    this.lock.fill(0)
  }

  /**
   * Evaluates every rule on the quote's symbol. Call only with ticks that passed the guards.
   * Returns the firings (a shared empty array when none).
   */
  evaluate(quote: Quote, now: number): readonly AlertFiring[] {
    const slot = this.slots.get(quote.symbol)
    if (slot === undefined) return NO_FIRINGS
    this.tickNow = now
    let out: AlertFiring[] | null = null
    const catchUp = slot.gap && slot.seen
    const fromRange =
      catchUp && quote.dayHigh !== null && quote.dayLow !== null && this.dayOf(slot.time) === this.dayOf(quote.providerTime)
    const bindings = slot.bindings
    const rules = this.rules
    const ruleOf = this.ruleOf
    this.evaluations += bindings.length
    for (let i = 0; i < bindings.length; i++) {
      const b = bindings[i]!
      const rule = rules[ruleOf[b]!]!
      let found: AlertFiring | null = null
      if (fromRange) {
        const before = this.lastFired[b]!
        found = this.catchUpFromRange(b, rule, slot, quote, now)
        if (found !== null) {
          out = append(out, found)
          // Two crossings during one gap (up, then back down) are two events, not a burst.
          if (rule.mode !== ONCE) this.lastFired[b] = before
        }
      }
      const fired = this.evaluateBinding(b, rule, slot, quote, now, catchUp)
      if (fired !== null) out = append(out, fired)
      else if (found !== null) this.lastFired[b] = now
    }
    slot.seen = true
    slot.gap = false
    slot.time = quote.providerTime
    slot.dayHigh = quote.dayHigh ?? Number.NaN
    slot.dayLow = quote.dayLow ?? Number.NaN
    slot.high52 = quote.fiftyTwoWeekHigh ?? Number.NaN
    slot.low52 = quote.fiftyTwoWeekLow ?? Number.NaN
    for (let i = 0; i < slot.histories.length; i++) slot.histories[i]!.add(quote.providerTime, quote.price)
    return out ?? NO_FIRINGS
  }

  private evaluateBinding(b: number, rule: CompiledRule, slot: SymbolSlot, quote: Quote, now: number, catchUp: boolean): AlertFiring | null {
    // Numbers for the message are computed again only when something fires: passing them down
    // on every tick would box a double per rule evaluation.
    const price = quote.price
    switch (rule.kind) {
      case PRICE_ABOVE:
        if (!this.level(b, rule, price >= rule.line, price < rule.rearmLine)) return null
        return this.fire(b, rule, quote, now, catchUp, price, 0, 1, null)
      case PRICE_BELOW:
        if (!this.level(b, rule, price <= rule.line, price > rule.rearmLine)) return null
        return this.fire(b, rule, quote, now, catchUp, price, 0, -1, null)
      case CROSSES:
        return this.cross(b, rule, quote, now, catchUp)
      case DAY_CHANGE_ABOVE: {
        const v = quote.changePercent
        if (v === null || !this.level(b, rule, v >= rule.line, v < rule.rearmLine)) return null
        return this.fire(b, rule, quote, now, catchUp, v, 0, 1, null)
      }
      case DAY_CHANGE_BELOW: {
        const v = quote.changePercent
        if (v === null || !this.level(b, rule, v <= rule.line, v > rule.rearmLine)) return null
        return this.fire(b, rule, quote, now, catchUp, v, 0, -1, null)
      }
      case VOLUME_ABOVE: {
        const v = quote.volume
        if (v === null || !this.level(b, rule, v >= rule.line, v < rule.rearmLine)) return null
        return this.fire(b, rule, quote, now, catchUp, v, 0, 1, null)
      }
      case MOVE_WITHIN: {
        const history = this.historyOf[b]
        if (history === null || history === undefined) return null
        const ref = history.priceSince(quote.providerTime - rule.windowMs)
        if (!(ref > 0)) return null
        const move = ((price - ref) / ref) * 100
        const fires =
          rule.direction === 1
            ? this.level(b, rule, move >= rule.line, move < rule.rearmLine)
            : rule.direction === -1
              ? this.level(b, rule, move <= -rule.line, move > -rule.rearmLine)
              : this.level(b, rule, Math.abs(move) >= rule.line, Math.abs(move) < rule.rearmLine)
        if (!fires) return null
        return this.fire(b, rule, quote, now, catchUp, move, ref, move >= 0 ? 1 : -1, null)
      }
      case HIGH_52: {
        const ref = slot.high52
        if (Number.isNaN(ref) || !this.level(b, rule, price > ref, price < ref * (1 - rule.band))) return null
        return this.fire(b, rule, quote, now, catchUp, price, ref, 1, null)
      }
      case LOW_52: {
        const ref = slot.low52
        if (Number.isNaN(ref) || !this.level(b, rule, price < ref, price > ref * (1 + rule.band))) return null
        return this.fire(b, rule, quote, now, catchUp, price, ref, -1, null)
      }
      default:
        return null
    }
  }

  /**
   * True when a level rule fires now: the condition holds while armed (and the trigger allows
   * it). Re-arms only past the band.
   */
  private level(b: number, rule: CompiledRule, holds: boolean, pastBand: boolean): boolean {
    if (this.armed[b] === ARMED) {
      // A suppressed firing (cooldown, snooze) stays armed, so it fires once allowed if still true.
      if (!holds || !this.allowed(b, rule, this.tickNow)) return false
      this.armed[b] = DISARMED
      return true
    }
    if (pastBand) this.armed[b] = ARMED
    return false
  }

  /**
   * A crossing is a change of side. After firing, the price must leave the band on the other
   * side before the next crossing counts, so a price hovering at the line fires once.
   */
  private cross(b: number, rule: CompiledRule, quote: Quote, now: number, catchUp: boolean): AlertFiring | null {
    const price = quote.price
    const line = rule.line
    const current = price >= line ? 1 : -1
    const side = this.side[b]!
    if (side === 0) {
      this.side[b] = current
      return null
    }
    const lock = this.lock[b]!
    let event: number
    if (lock !== 0) {
      const left = lock === 1 ? price < line * (1 - rule.band) : price > line * (1 + rule.band)
      if (!left) return null
      event = -lock
      this.lock[b] = 0
    } else {
      if (current === side) return null
      event = current
    }
    this.side[b] = event
    if ((rule.direction !== 0 && rule.direction !== event) || !this.allowed(b, rule, now)) return null
    this.lock[b] = event
    return this.fire(b, rule, quote, now, catchUp, price, 0, event, null)
  }

  /**
   * The first tick after a gap on the same day: a day high or low beyond the one known before the
   * gap proves the price went there meanwhile.
   */
  private catchUpFromRange(b: number, rule: CompiledRule, slot: SymbolSlot, quote: Quote, now: number): AlertFiring | null {
    const dayHigh = quote.dayHigh!
    const dayLow = quote.dayLow!
    const newHigh = !(dayHigh <= slot.dayHigh)
    const newLow = !(dayLow >= slot.dayLow)
    const high = { label: 'day high', value: dayHigh } as const
    const low = { label: 'day low', value: dayLow } as const
    const armed = this.armed[b] === ARMED
    switch (rule.kind) {
      case PRICE_ABOVE:
        if (!armed || !newHigh || dayHigh < rule.line) return null
        return this.fireFromRange(b, rule, quote, now, dayHigh, 0, 1, high)
      case PRICE_BELOW:
        if (!armed || !newLow || dayLow > rule.line) return null
        return this.fireFromRange(b, rule, quote, now, dayLow, 0, -1, low)
      case DAY_CHANGE_ABOVE:
      case DAY_CHANGE_BELOW: {
        const close = quote.previousClose
        if (!armed || close === null || !(close > 0)) return null
        if (rule.kind === DAY_CHANGE_ABOVE) {
          const v = ((dayHigh - close) / close) * 100
          return newHigh && v >= rule.line ? this.fireFromRange(b, rule, quote, now, v, 0, 1, high) : null
        }
        const v = ((dayLow - close) / close) * 100
        return newLow && v <= rule.line ? this.fireFromRange(b, rule, quote, now, v, 0, -1, low) : null
      }
      case HIGH_52:
        if (!armed || Number.isNaN(slot.high52) || !newHigh || !(dayHigh > slot.high52)) return null
        return this.fireFromRange(b, rule, quote, now, dayHigh, slot.high52, 1, high)
      case LOW_52:
        if (!armed || Number.isNaN(slot.low52) || !newLow || !(dayLow < slot.low52)) return null
        return this.fireFromRange(b, rule, quote, now, dayLow, slot.low52, -1, low)
      case CROSSES: {
        const side = this.side[b]!
        if (side === 0) return null
        const lock = this.lock[b]!
        const line = rule.line
        let event = 0
        if (side === -1 && newHigh && dayHigh >= (lock === -1 ? line * (1 + rule.band) : line)) event = 1
        else if (side === 1 && newLow && dayLow <= (lock === 1 ? line * (1 - rule.band) : line)) event = -1
        if (event === 0) return null
        this.side[b] = event
        this.lock[b] = 0
        if ((rule.direction !== 0 && rule.direction !== event) || !this.allowed(b, rule, now)) return null
        this.lock[b] = event
        return this.fire(b, rule, quote, now, true, quote.price, 0, event, event === 1 ? high : low)
      }
      default:
        return null
    }
  }

  private fireFromRange(
    b: number,
    rule: CompiledRule,
    quote: Quote,
    now: number,
    value: number,
    reference: number,
    direction: number,
    extreme: { label: 'day high' | 'day low'; value: number }
  ): AlertFiring | null {
    if (!this.allowed(b, rule, now)) return null
    this.armed[b] = DISARMED
    return this.fire(b, rule, quote, now, true, value, reference, direction, extreme)
  }

  private allowed(b: number, rule: CompiledRule, now: number): boolean {
    if (now >= rule.expiresAt || now < rule.snoozedUntil) return false
    const last = this.lastFired[b]!
    if (Number.isNaN(last)) return true
    if (rule.mode === ONCE) return false
    if (rule.mode === DAILY) return this.dayOf(last) !== this.dayOf(now)
    return now - last >= rule.cooldownMs
  }

  private fire(
    b: number,
    rule: CompiledRule,
    quote: Quote,
    now: number,
    catchUp: boolean,
    value: number,
    reference: number,
    direction: number,
    extreme: { label: 'day high' | 'day low'; value: number } | null
  ): AlertFiring {
    this.lastFired[b] = now
    const message = alertMessage(rule.condition, { symbol: quote.symbol, price: quote.price, value, reference, direction, extreme })
    return {
      ruleId: rule.id,
      symbol: quote.symbol,
      at: now,
      occurredAt: null,
      catchUp,
      message: catchUp ? `${CATCH_UP_PREFIX}${message}` : message,
      // A copy: providers may reuse their quote objects.
      quote: { ...quote }
    }
  }

  /** One ring per distinct window on the symbol, shared by the rules that use it. */
  private attachHistories(slot: SymbolSlot): void {
    const kept: PriceHistory[] = []
    for (let i = 0; i < slot.bindings.length; i++) {
      const b = slot.bindings[i]!
      const rule = this.rules[this.ruleOf[b]!]!
      if (rule.kind !== MOVE_WITHIN) continue
      let history = kept.find((h) => h.windowMs === rule.windowMs)
      if (!history) {
        history = slot.histories.find((h) => h.windowMs === rule.windowMs) ?? new PriceHistory(rule.windowMs)
        kept.push(history)
      }
      this.historyOf[b] = history
    }
    slot.histories = kept
  }
}

function append(list: AlertFiring[] | null, firing: AlertFiring): AlertFiring[] {
  if (list === null) return [firing]
  list.push(firing)
  return list
}

function newSlot(symbol: string): SymbolSlot {
  const slot: SymbolSlot = {
    symbol,
    bindings: new Int32Array(0),
    seen: false,
    time: Number.NaN,
    dayHigh: Number.NaN,
    dayLow: Number.NaN,
    high52: Number.NaN,
    low52: Number.NaN,
    gap: false,
    histories: []
  }
  return slot
}

/** The parts of the last accepted tick that catch-up compares against. */
export interface MarketSnapshot {
  time: number
  dayHigh: number
  dayLow: number
  high52: number
  low52: number
}

function seedSlotMarket(slot: SymbolSlot, known: MarketSnapshot): void {
  slot.seen = true
  slot.time = known.time
  slot.dayHigh = known.dayHigh
  slot.dayLow = known.dayLow
  slot.high52 = known.high52
  slot.low52 = known.low52
}

function resetSlotMarket(slot: SymbolSlot): void {
  slot.seen = false
  slot.gap = false
  slot.time = Number.NaN
  slot.dayHigh = Number.NaN
  slot.dayLow = Number.NaN
  slot.high52 = Number.NaN
  slot.low52 = Number.NaN
}
