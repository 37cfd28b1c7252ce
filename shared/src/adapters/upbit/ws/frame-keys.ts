/**
 * Field names per stream in Upbit's DEFAULT and SIMPLE formats (PROTOCOL.md §7.4). The decoder reads
 * through one of these tables, so both formats share one code path and no per-frame key rewriting.
 */
export const TICKER_KEYS = {
  DEFAULT: {
    code: 'code',
    tradePrice: 'trade_price',
    openingPrice: 'opening_price',
    highPrice: 'high_price',
    lowPrice: 'low_price',
    prevClosingPrice: 'prev_closing_price',
    accTradeVolume24h: 'acc_trade_volume_24h',
    accTradePrice24h: 'acc_trade_price_24h',
    timestamp: 'timestamp',
    streamType: 'stream_type',
  },
  SIMPLE: {
    code: 'cd',
    tradePrice: 'tp',
    openingPrice: 'op',
    highPrice: 'hp',
    lowPrice: 'lp',
    prevClosingPrice: 'pcp',
    accTradeVolume24h: 'atv24h',
    accTradePrice24h: 'atp24h',
    timestamp: 'tms',
    streamType: 'st',
  },
} as const;

/** Trade stream keys. */
export const TRADE_KEYS = {
  DEFAULT: {
    code: 'code',
    price: 'trade_price',
    volume: 'trade_volume',
    askBid: 'ask_bid',
    tradeTimestamp: 'trade_timestamp',
    sequentialId: 'sequential_id',
    streamType: 'stream_type',
  },
  SIMPLE: {
    code: 'cd',
    price: 'tp',
    volume: 'tv',
    askBid: 'ab',
    tradeTimestamp: 'ttms',
    sequentialId: 'sid',
    streamType: 'st',
  },
} as const;

/** Orderbook stream keys, including the per-unit keys. */
export const ORDERBOOK_KEYS = {
  DEFAULT: {
    code: 'code',
    timestamp: 'timestamp',
    units: 'orderbook_units',
    streamType: 'stream_type',
    unit: { ap: 'ask_price', as: 'ask_size', bp: 'bid_price', bs: 'bid_size' },
  },
  SIMPLE: {
    code: 'cd',
    timestamp: 'tms',
    units: 'obu',
    streamType: 'st',
    unit: { ap: 'ap', as: 'as', bp: 'bp', bs: 'bs' },
  },
} as const;

/** Candle stream keys. */
export const CANDLE_KEYS = {
  DEFAULT: {
    code: 'code',
    start: 'candle_date_time_utc',
    open: 'opening_price',
    high: 'high_price',
    low: 'low_price',
    close: 'trade_price',
    volume: 'candle_acc_trade_volume',
    quoteVolume: 'candle_acc_trade_price',
    streamType: 'stream_type',
  },
  SIMPLE: {
    code: 'cd',
    start: 'cdttmu',
    open: 'op',
    high: 'hp',
    low: 'lp',
    close: 'tp',
    volume: 'catv',
    quoteVolume: 'catp',
    streamType: 'st',
  },
} as const;

/** myOrder stream keys. */
export const MY_ORDER_KEYS = {
  DEFAULT: {
    code: 'code',
    uuid: 'uuid',
    askBid: 'ask_bid',
    orderType: 'order_type',
    state: 'state',
    tradeUuid: 'trade_uuid',
    price: 'price',
    avgPrice: 'avg_price',
    volume: 'volume',
    remainingVolume: 'remaining_volume',
    executedVolume: 'executed_volume',
    tradesCount: 'trades_count',
    reservedFee: 'reserved_fee',
    remainingFee: 'remaining_fee',
    paidFee: 'paid_fee',
    locked: 'locked',
    executedFunds: 'executed_funds',
    timeInForce: 'time_in_force',
    tradeFee: 'trade_fee',
    isMaker: 'is_maker',
    identifier: 'identifier',
    tradeTimestamp: 'trade_timestamp',
    orderTimestamp: 'order_timestamp',
    timestamp: 'timestamp',
  },
  SIMPLE: {
    code: 'cd',
    uuid: 'uid',
    askBid: 'ab',
    orderType: 'ot',
    state: 's',
    tradeUuid: 'tuid',
    price: 'p',
    avgPrice: 'ap',
    volume: 'v',
    remainingVolume: 'rv',
    executedVolume: 'ev',
    tradesCount: 'tc',
    reservedFee: 'rsf',
    remainingFee: 'rmf',
    paidFee: 'pf',
    locked: 'l',
    executedFunds: 'ef',
    timeInForce: 'tif',
    tradeFee: 'tf',
    isMaker: 'im',
    identifier: 'id',
    tradeTimestamp: 'ttms',
    orderTimestamp: 'otms',
    timestamp: 'tms',
  },
} as const;

/** myAsset stream keys. */
export const MY_ASSET_KEYS = {
  DEFAULT: {
    assets: 'assets',
    currency: 'currency',
    balance: 'balance',
    locked: 'locked',
    timestamp: 'timestamp',
  },
  SIMPLE: { assets: 'ast', currency: 'cu', balance: 'b', locked: 'l', timestamp: 'tms' },
} as const;
