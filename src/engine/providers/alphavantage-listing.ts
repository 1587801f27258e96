import { ProviderError } from './provider'
import { AV_LABEL } from './alphavantage-replies'

/** One LISTING_STATUS row. `delistingDate` is null for active listings (the wire says "null"). */
export interface AvListing {
  symbol: string
  name: string
  exchange: string
  assetType: string
  ipoDate: string | null
  delistingDate: string | null
  status: 'Active' | 'Delisted'
}

export interface AvListingTable {
  rows: AvListing[]
  /** Lines that could not be read (wrong column count, no symbol); never fatal. */
  skipped: number
}

const HEADER = ['symbol', 'name', 'exchange', 'assettype', 'ipodate', 'delistingdate', 'status']

/** Splits CSV text into records: quoted fields may hold commas, doubled quotes and line breaks. */
export function csvRecords(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else field += c
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records.filter((r) => !(r.length === 1 && r[0]?.trim() === ''))
}

const dateOrNull = (value: string): string | null => (/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? value.trim() : null)

/**
 * LISTING_STATUS comes only as CSV with the header
 * `symbol,name,exchange,assetType,ipoDate,delistingDate,status`. A different header means the
 * answer is not a listing at all, which fails the whole call.
 */
export function parseListingCsv(text: string): AvListingTable {
  const records = csvRecords(text.replace(/^\uFEFF/, ''))
  const header = records.shift()?.map((h) => h.trim().toLowerCase())
  if (header === undefined || HEADER.some((name, i) => header[i] !== name)) {
    throw new ProviderError('bad-payload', `${AV_LABEL} sent a listing TickerDesk could not read (unexpected columns).`)
  }
  const rows: AvListing[] = []
  let skipped = 0
  for (const record of records) {
    const [symbol, name, exchange, assetType, ipoDate, delistingDate, status] = record.map((v) => v.trim())
    if (record.length !== HEADER.length || !symbol) {
      skipped++
      continue
    }
    rows.push({
      symbol,
      name: name ?? '',
      exchange: exchange ?? '',
      assetType: assetType ?? '',
      ipoDate: dateOrNull(ipoDate ?? ''),
      delistingDate: dateOrNull(delistingDate ?? ''),
      status: /^delisted$/i.test(status ?? '') ? 'Delisted' : 'Active'
    })
  }
  return { rows, skipped }
}
