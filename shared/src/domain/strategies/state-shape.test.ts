import { encodeState, restoreState, stateShape } from './state-codec';

describe('stateShape', () => {
  it('gives a Float64Array as its length, for every length the base64 text pads differently', () => {
    for (const n of [0, 1, 2, 3, 7, 1440]) expect(stateShape(new Float64Array(n))).toBe(`f${n}`);
  });

  it('describes fields, kinds, maps and arrays without their values', () => {
    const state = {
      window: new Float64Array(5),
      count: 3,
      label: 'x',
      ready: false,
      nothing: null,
      missing: undefined,
      nan: Number.NaN,
      byKey: new Map<string, unknown>([['a', [1, new Float64Array(2)]]]),
    };
    expect(stateShape(state)).toBe(
      'o{window:f5,count:n,label:s,ready:b,nothing:z,missing:n,nan:n,byKey:m{a:[n,f2]}}',
    );
  });

  it('describes the arrays an encoded state restores into', () => {
    const original = { a: Float64Array.from([1.5, -0, Number.NaN]) };
    const target = { a: new Float64Array(3) };
    restoreState(target, encodeState(original));
    expect(stateShape(target)).toBe(stateShape(original));
    expect(Object.is(target.a[1], -0)).toBe(true);
  });

  it('refuses an object shared between two fields, as encoding does', () => {
    const shared = new Float64Array(1);
    expect(() => stateShape({ a: shared, b: shared })).toThrow('shares an object');
  });
});
