import { LOAD_WARM_UP, warmCurveFeedback } from './equity-curve';

// The warm-up only gives offerNext's halving branch and CurveTracker.update's new-day branch their
// feedback if it still takes them: a sampler of two points halves at every power of two, and the
// curve's 64 updates span eight KST days.

describe('warmCurveFeedback', () => {
  it('halves its sampler and rolls its curve over eight days, at load and at each call', () => {
    for (const warm of [LOAD_WARM_UP, warmCurveFeedback()]) {
      // 64 points through a two-point sampler: kept ones thinned to the last halving's stride.
      expect(warm.sampler.points().length).toBeLessThanOrEqual(2);
      expect(warm.sampler.points().at(-1)?.time).toBe(63.5);
      expect(warm.curve.dailyReturns().length).toBe(8);
    }
    expect(warmCurveFeedback().sampler).not.toBe(warmCurveFeedback().sampler);
  });
});
