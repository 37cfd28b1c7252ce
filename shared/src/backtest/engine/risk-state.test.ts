import { warmLatchFeedback } from './risk-state';

// The load-time latch warm-up only warms the latch and release branches if it still takes them:
// were the default limits loosened past its 10 % drop, it would pass silently and warm nothing.

describe('warmLatchFeedback', () => {
  it('latches on each of its eight days and is released on each of the seven that follow', () => {
    expect([...warmLatchFeedback()]).toEqual([
      ['latch:instant_drop', 8],
      ['release:assumed_operator', 7],
    ]);
  });
});
