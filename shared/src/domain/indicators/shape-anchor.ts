/**
 * Keeps one instance of an indicator class alive for the life of the process.
 *
 * Why: V8's optimised code refers to an object's hidden class ("map") weakly. When every instance
 * of a class dies — a batch helper returns, an optimizer trial ends — a major GC may free the map
 * and throw away the optimised code of every function that used it; after a few such cycles V8
 * stops optimising those functions and the indicator runs ~20× slower for the rest of the process
 * (measured in bench/README.md, "Indicators", "Two V8 pitfalls"). Strategies that keep their
 * indicators for the whole run never see this; batch helpers and repeated trials do.
 *
 * The anchor only helps if it shares the map that live instances end up with, so anchored classes
 * keep mutable float state in a `Float64Array` (or start such fields at NaN) and counters in small
 * integers: their map is final when the constructor returns, whatever values they later hold.
 */
const anchors: object[] = [];

/** Retains `instance` forever (one small object per class) and returns it. */
export function keepShapeAlive<T extends object>(instance: T): T {
  anchors.push(instance);
  return instance;
}
