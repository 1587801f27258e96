import type { SymbolMatch } from '../../shared/symbol-search'

type Row = readonly [symbol: string, name: string, exchange: string]

/**
 * A built-in starter directory so search works offline from the first start: widely held US
 * large caps and ETFs, the main indices, major FX pairs and the largest crypto pairs, in Yahoo's
 * symbol style (the default provider's). Listings fetched later add to it.
 */
const EQUITIES: Row[] = [
  ['AAPL', 'Apple Inc.', 'NASDAQ'], ['MSFT', 'Microsoft Corporation', 'NASDAQ'], ['NVDA', 'NVIDIA Corporation', 'NASDAQ'],
  ['AMZN', 'Amazon.com, Inc.', 'NASDAQ'], ['GOOGL', 'Alphabet Inc. Class A', 'NASDAQ'], ['GOOG', 'Alphabet Inc. Class C', 'NASDAQ'],
  ['META', 'Meta Platforms, Inc.', 'NASDAQ'], ['TSLA', 'Tesla, Inc.', 'NASDAQ'], ['BRK-B', 'Berkshire Hathaway Inc. Class B', 'NYSE'],
  ['AVGO', 'Broadcom Inc.', 'NASDAQ'], ['JPM', 'JPMorgan Chase & Co.', 'NYSE'], ['LLY', 'Eli Lilly and Company', 'NYSE'],
  ['V', 'Visa Inc.', 'NYSE'], ['MA', 'Mastercard Incorporated', 'NYSE'], ['UNH', 'UnitedHealth Group Incorporated', 'NYSE'],
  ['XOM', 'Exxon Mobil Corporation', 'NYSE'], ['WMT', 'Walmart Inc.', 'NYSE'], ['JNJ', 'Johnson & Johnson', 'NYSE'],
  ['PG', 'The Procter & Gamble Company', 'NYSE'], ['HD', 'The Home Depot, Inc.', 'NYSE'], ['COST', 'Costco Wholesale Corporation', 'NASDAQ'],
  ['ORCL', 'Oracle Corporation', 'NYSE'], ['ABBV', 'AbbVie Inc.', 'NYSE'], ['BAC', 'Bank of America Corporation', 'NYSE'],
  ['KO', 'The Coca-Cola Company', 'NYSE'], ['PEP', 'PepsiCo, Inc.', 'NASDAQ'], ['MRK', 'Merck & Co., Inc.', 'NYSE'],
  ['CVX', 'Chevron Corporation', 'NYSE'], ['ADBE', 'Adobe Inc.', 'NASDAQ'], ['CRM', 'Salesforce, Inc.', 'NYSE'],
  ['NFLX', 'Netflix, Inc.', 'NASDAQ'], ['AMD', 'Advanced Micro Devices, Inc.', 'NASDAQ'], ['TMO', 'Thermo Fisher Scientific Inc.', 'NYSE'],
  ['ACN', 'Accenture plc', 'NYSE'], ['MCD', "McDonald's Corporation", 'NYSE'], ['CSCO', 'Cisco Systems, Inc.', 'NASDAQ'],
  ['ABT', 'Abbott Laboratories', 'NYSE'], ['LIN', 'Linde plc', 'NASDAQ'], ['DIS', 'The Walt Disney Company', 'NYSE'],
  ['WFC', 'Wells Fargo & Company', 'NYSE'], ['INTC', 'Intel Corporation', 'NASDAQ'], ['QCOM', 'QUALCOMM Incorporated', 'NASDAQ'],
  ['TXN', 'Texas Instruments Incorporated', 'NASDAQ'], ['IBM', 'International Business Machines Corporation', 'NYSE'],
  ['INTU', 'Intuit Inc.', 'NASDAQ'], ['AMGN', 'Amgen Inc.', 'NASDAQ'], ['CAT', 'Caterpillar Inc.', 'NYSE'],
  ['GE', 'GE Aerospace', 'NYSE'], ['PFE', 'Pfizer Inc.', 'NYSE'], ['VZ', 'Verizon Communications Inc.', 'NYSE'],
  ['T', 'AT&T Inc.', 'NYSE'], ['CMCSA', 'Comcast Corporation', 'NASDAQ'], ['NKE', 'NIKE, Inc.', 'NYSE'],
  ['UBER', 'Uber Technologies, Inc.', 'NYSE'], ['GS', 'The Goldman Sachs Group, Inc.', 'NYSE'], ['MS', 'Morgan Stanley', 'NYSE'],
  ['BA', 'The Boeing Company', 'NYSE'], ['HON', 'Honeywell International Inc.', 'NASDAQ'], ['UNP', 'Union Pacific Corporation', 'NYSE'],
  ['SBUX', 'Starbucks Corporation', 'NASDAQ'], ['PYPL', 'PayPal Holdings, Inc.', 'NASDAQ'], ['SHOP', 'Shopify Inc.', 'NASDAQ'],
  ['PLTR', 'Palantir Technologies Inc.', 'NASDAQ'], ['MU', 'Micron Technology, Inc.', 'NASDAQ'], ['AMAT', 'Applied Materials, Inc.', 'NASDAQ'],
  ['NOW', 'ServiceNow, Inc.', 'NYSE'], ['SPGI', 'S&P Global Inc.', 'NYSE'], ['BLK', 'BlackRock, Inc.', 'NYSE'],
  ['C', 'Citigroup Inc.', 'NYSE'], ['F', 'Ford Motor Company', 'NYSE'], ['GM', 'General Motors Company', 'NYSE'],
  ['COIN', 'Coinbase Global, Inc.', 'NASDAQ'], ['TSM', 'Taiwan Semiconductor Manufacturing Company Limited', 'NYSE'],
  ['ASML', 'ASML Holding N.V.', 'NASDAQ'], ['BABA', 'Alibaba Group Holding Limited', 'NYSE'], ['SAP', 'SAP SE', 'NYSE'],
  ['NVO', 'Novo Nordisk A/S', 'NYSE'], ['TM', 'Toyota Motor Corporation', 'NYSE']
]

const ETFS: Row[] = [
  ['SPY', 'SPDR S&P 500 ETF Trust', 'NYSE Arca'], ['VOO', 'Vanguard S&P 500 ETF', 'NYSE Arca'], ['IVV', 'iShares Core S&P 500 ETF', 'NYSE Arca'],
  ['QQQ', 'Invesco QQQ Trust', 'NASDAQ'], ['VTI', 'Vanguard Total Stock Market ETF', 'NYSE Arca'], ['IWM', 'iShares Russell 2000 ETF', 'NYSE Arca'],
  ['DIA', 'SPDR Dow Jones Industrial Average ETF Trust', 'NYSE Arca'], ['GLD', 'SPDR Gold Shares', 'NYSE Arca'],
  ['TLT', 'iShares 20+ Year Treasury Bond ETF', 'NASDAQ'], ['VEA', 'Vanguard FTSE Developed Markets ETF', 'NYSE Arca'],
  ['VWO', 'Vanguard FTSE Emerging Markets ETF', 'NYSE Arca'], ['ARKK', 'ARK Innovation ETF', 'NYSE Arca']
]

const INDICES: Row[] = [
  ['^GSPC', 'S&P 500', 'SNP'], ['^DJI', 'Dow Jones Industrial Average', 'DJI'], ['^IXIC', 'NASDAQ Composite', 'Nasdaq GIDS'],
  ['^NDX', 'NASDAQ 100', 'Nasdaq GIDS'], ['^RUT', 'Russell 2000', 'Chicago Options'], ['^VIX', 'CBOE Volatility Index', 'Chicago Options'],
  ['^FTSE', 'FTSE 100', 'FTSE Index'], ['^GDAXI', 'DAX Performance Index', 'XETRA'], ['^FCHI', 'CAC 40', 'Paris'],
  ['^STOXX50E', 'EURO STOXX 50', 'STOXX'], ['^N225', 'Nikkei 225', 'Osaka'], ['^HSI', 'Hang Seng Index', 'HKSE']
]

const FX: Row[] = [
  ['EURUSD=X', 'EUR/USD', 'CCY'], ['GBPUSD=X', 'GBP/USD', 'CCY'], ['USDJPY=X', 'USD/JPY', 'CCY'], ['USDCHF=X', 'USD/CHF', 'CCY'],
  ['AUDUSD=X', 'AUD/USD', 'CCY'], ['USDCAD=X', 'USD/CAD', 'CCY'], ['NZDUSD=X', 'NZD/USD', 'CCY'], ['EURGBP=X', 'EUR/GBP', 'CCY'],
  ['EURJPY=X', 'EUR/JPY', 'CCY'], ['USDCNY=X', 'USD/CNY', 'CCY'], ['USDINR=X', 'USD/INR', 'CCY'], ['USDMXN=X', 'USD/MXN', 'CCY']
]

const CRYPTO: Row[] = [
  ['BTC-USD', 'Bitcoin USD', 'CCC'], ['ETH-USD', 'Ethereum USD', 'CCC'], ['SOL-USD', 'Solana USD', 'CCC'], ['XRP-USD', 'XRP USD', 'CCC'],
  ['BNB-USD', 'BNB USD', 'CCC'], ['DOGE-USD', 'Dogecoin USD', 'CCC'], ['ADA-USD', 'Cardano USD', 'CCC'], ['AVAX-USD', 'Avalanche USD', 'CCC'],
  ['DOT-USD', 'Polkadot USD', 'CCC'], ['LINK-USD', 'Chainlink USD', 'CCC'], ['LTC-USD', 'Litecoin USD', 'CCC'], ['BCH-USD', 'Bitcoin Cash USD', 'CCC'],
  ['XLM-USD', 'Stellar USD', 'CCC'], ['USDT-USD', 'Tether USDt USD', 'CCC'], ['USDC-USD', 'USD Coin USD', 'CCC'],
  ['BTC-EUR', 'Bitcoin EUR', 'CCC'], ['ETH-EUR', 'Ethereum EUR', 'CCC'], ['ETH-BTC', 'Ethereum BTC', 'CCC']
]

const rows = (list: Row[], type: string): SymbolMatch[] =>
  list.map(([symbol, name, exchange]) => ({ symbol, name, exchange, type, source: 'yahoo' }))

export const DIRECTORY_SEED: readonly SymbolMatch[] = [
  ...rows(EQUITIES, 'EQUITY'),
  ...rows(ETFS, 'ETF'),
  ...rows(INDICES, 'INDEX'),
  ...rows(FX, 'CURRENCY'),
  ...rows(CRYPTO, 'CRYPTOCURRENCY')
]
