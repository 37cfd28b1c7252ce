import { emptyDoubles, emptyRefs } from './typed-empty-arrays';

describe('typed empty arrays', () => {
  it('start empty and behave as a [] literal (push, index, length, copies)', () => {
    const doubles = emptyDoubles();
    const refs = emptyRefs<{ at: number } | string>();
    expect(doubles).toEqual([]);
    expect(refs).toEqual([]);
    expect(doubles.length).toBe(0);
    expect(0 in doubles).toBe(false);
    doubles.push(1.5, 2);
    refs.push({ at: 1 }, 'x');
    refs[2] = 'y';
    expect(doubles).toEqual([1.5, 2]);
    expect(refs).toEqual([{ at: 1 }, 'x', 'y']);
    expect([...refs]).toEqual([{ at: 1 }, 'x', 'y']);
    expect(JSON.stringify(doubles)).toBe('[1.5,2]');
    expect(Array.isArray(refs)).toBe(true);
  });

  it('returns a new array on every call', () => {
    const a = emptyRefs<number>();
    a.push(1);
    expect(emptyRefs<number>()).toEqual([]);
    expect(emptyDoubles()).not.toBe(emptyDoubles());
  });
});
