import { parseTrades } from './rest/quotation-parsers';
import { FrameDecoder } from './ws/frame-decoder';

const tradeFrame = (sid: string, simple = false) =>
  simple
    ? `{"ty":"trade","cd":"KRW-BTC","tms":1710327571922,"ttms":1710327571922,"tp":73249000,"tv":0.1,"ab":"ASK","sid":${sid},"st":"REALTIME"}`
    : `{"type":"trade","code":"KRW-BTC","timestamp":1710327571922,"trade_timestamp":1710327571922,"trade_price":73249000,"trade_volume":0.1,"ask_bid":"ASK","sequential_id":${sid},"stream_type":"REALTIME"}`;

describe('FrameDecoder trade ids', () => {
  it.each([false, true])(
    'keeps sequential ids beyond 2^53 exact, so two trades of one millisecond stay two (SIMPLE: %s)',
    (simple) => {
      const decoder = new FrameDecoder('public');
      const ids = ['17103275719220001', '17103275719220002', '17103275719220003'].map((sid) => {
        const event = decoder.decode(tradeFrame(sid, simple));
        return typeof event === 'object' && event.type === 'trade' ? event.trade.sequentialId : undefined;
      });
      expect(ids).toEqual(['17103275719220001', '17103275719220002', '17103275719220003']);
    },
  );

  it('refuses a negative or fractional id', () => {
    const decoder = new FrameDecoder('public');
    expect(() => decoder.decode(tradeFrame('-1'))).toThrow(/sequential id/);
    expect(() => decoder.decode(tradeFrame('1.5'))).toThrow(/sequential id/);
  });
});

describe('REST /trades/ticks ids', () => {
  it('reads ids beyond 2^53 from the body text, so REST and WebSocket name a trade alike', () => {
    const text =
      '[{"market":"KRW-BTC","timestamp":1710327571922,"trade_price":73249000,"trade_volume":0.1,"ask_bid":"ASK","sequential_id":17103275719220003},' +
      '{"market":"KRW-BTC","timestamp":1710327571922,"trade_price":73249000,"trade_volume":0.2,"ask_bid":"BID","sequential_id":17103275719220001}]';
    expect(parseTrades(JSON.parse(text), text).map((t) => t.sequentialId)).toEqual([
      '17103275719220003',
      '17103275719220001',
    ]);
    // Without the text the double is all there is (kept for callers that only have parsed JSON).
    expect(parseTrades(JSON.parse(text))[0]?.sequentialId).toBe('17103275719220004');
  });
});
