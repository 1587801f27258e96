/**
 * CoinGecko names coins by id (`bitcoin`), not by ticker, and one ticker can belong to several
 * coins. The best-known coins resolve from this built-in table without a request; any other
 * ticker is looked up once with `/search` (the exact-ticker match with the best market-cap
 * rank wins) and cached by the adapter.
 */
export const COINGECKO_KNOWN: Readonly<Record<string, { id: string; name: string }>> = {
  BTC: { id: 'bitcoin', name: 'Bitcoin' },
  ETH: { id: 'ethereum', name: 'Ethereum' },
  USDT: { id: 'tether', name: 'Tether' },
  BNB: { id: 'binancecoin', name: 'BNB' },
  SOL: { id: 'solana', name: 'Solana' },
  XRP: { id: 'ripple', name: 'XRP' },
  USDC: { id: 'usd-coin', name: 'USDC' },
  ADA: { id: 'cardano', name: 'Cardano' },
  DOGE: { id: 'dogecoin', name: 'Dogecoin' },
  TRX: { id: 'tron', name: 'TRON' },
  TON: { id: 'the-open-network', name: 'Toncoin' },
  AVAX: { id: 'avalanche-2', name: 'Avalanche' },
  DOT: { id: 'polkadot', name: 'Polkadot' },
  LINK: { id: 'chainlink', name: 'Chainlink' },
  SHIB: { id: 'shiba-inu', name: 'Shiba Inu' },
  LTC: { id: 'litecoin', name: 'Litecoin' },
  BCH: { id: 'bitcoin-cash', name: 'Bitcoin Cash' },
  XLM: { id: 'stellar', name: 'Stellar' },
  ATOM: { id: 'cosmos', name: 'Cosmos Hub' },
  UNI: { id: 'uniswap', name: 'Uniswap' },
  ETC: { id: 'ethereum-classic', name: 'Ethereum Classic' },
  XMR: { id: 'monero', name: 'Monero' },
  NEAR: { id: 'near', name: 'NEAR Protocol' },
  APT: { id: 'aptos', name: 'Aptos' },
  ARB: { id: 'arbitrum', name: 'Arbitrum' },
  OP: { id: 'optimism', name: 'Optimism' },
  FIL: { id: 'filecoin', name: 'Filecoin' },
  ICP: { id: 'internet-computer', name: 'Internet Computer' },
  SUI: { id: 'sui', name: 'Sui' },
  PEPE: { id: 'pepe', name: 'Pepe' },
  HBAR: { id: 'hedera-hashgraph', name: 'Hedera' },
  DAI: { id: 'dai', name: 'Dai' },
  WBTC: { id: 'wrapped-bitcoin', name: 'Wrapped Bitcoin' },
  AAVE: { id: 'aave', name: 'Aave' },
  ALGO: { id: 'algorand', name: 'Algorand' },
  POL: { id: 'polygon-ecosystem-token', name: 'POL (ex-MATIC)' },
  MATIC: { id: 'matic-network', name: 'Polygon' }
}
