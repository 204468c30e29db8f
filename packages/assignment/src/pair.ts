/**
 * The check every forward/backward pair shares: forward values against the reference; each gradient
 * against centered differences of the student's OWN forward (so a forward bug cannot hide a backward
 * one, or the other way round) and against the reference's gradient.
 */
import { scalarize } from '@backprop-lab/gradcheck';
import { astype, sameShape, Tensor } from '@backprop-lab/tensor';
import {
  compare,
  describe,
  FORWARD_THRESHOLD,
  fact,
  NUMERICAL_THRESHOLD,
  REFERENCE_THRESHOLD,
} from './compare.js';
import { type ExerciseRun, field, type StudentFunction } from './context.js';
import { entriesToCheck, numericalAt } from './numerical.js';

type Inputs = Record<string, Tensor>;

export interface PairSpec {
  forwardName: string;
  backwardName: string;
  /** The inputs by name, in a fixed order; each call gets fresh copies (a student's op may mutate). */
  inputs: Inputs;
  /** Calls a forward (the student's or the reference's) on these inputs: `{ out, cache }`. */
  forward(fn: StudentFunction, inputs: Inputs): unknown;
  referenceForward: StudentFunction;
  referenceBackward: StudentFunction;
  /** [gradient name, input name]: e.g. ['dx', 'x']. */
  grads: readonly (readonly [string, string])[];
  /** The upstream gradient, shaped like out. */
  dout: Tensor;
  /** The gradients out of a backward's return value (an object, or relu's bare dx). */
  readGrads?(fn: string, value: unknown): Record<string, unknown>;
}

export interface PairResult {
  /** The upstream gradient both backwards were given. */
  dout: Tensor;
  /** The student's forward output, when it ran. */
  out?: unknown;
  /** The student's backward return value, when it ran. */
  backward?: unknown;
  grads?: Record<string, unknown>;
  /** The cache the student's backward was given (theirs, or the reference's when theirs did not run). */
  cache: unknown;
  reference: { out: Tensor; cache: unknown; grads: Record<string, Tensor>; backward: unknown };
}

export function copies(inputs: Inputs): Inputs {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.clone()]));
}

function defaultReadGrads(spec: PairSpec) {
  return (fn: string, value: unknown) =>
    Object.fromEntries(
      spec.grads.map(([g]) => [g, field(fn, value, g, `{ ${spec.grads.map(([d]) => d).join(', ')} }`)]),
    );
}

/**
 * The student's forward on the inputs, and whether the backward's check goes through it: always when
 * the forward is this exercise's (its bugs are this exercise's), only when it matches the reference when
 * it is another exercise's (whose own check reports its bugs).
 */
function runOwnForward(run: ExerciseRun, spec: PairSpec, refOut: Tensor) {
  const { forwardName, backwardName } = spec;
  const owned = run.exercise.functions.includes(forwardName);
  const own = run.call(forwardName, (fn) => {
    const value = spec.forward(fn, copies(spec.inputs));
    const shapeText = '{ out, cache }';
    return {
      out: field(forwardName, value, 'out', shapeText),
      cache: field(forwardName, value, 'cache', shapeText),
    };
  });
  if (!own) {
    if (owned)
      run.note(`${backwardName} was checked on the reference ${forwardName}'s cache (yours did not run)`);
    return { own, useOwn: false };
  }
  const line = compare('out', 'reference', own.out, refOut, FORWARD_THRESHOLD);
  if (owned) {
    run.add(line);
    checkFloat32(run, spec);
    return { own, useOwn: true };
  }
  if (!line.pass) {
    run.note(
      `your ${forwardName} differs from the reference (${line.detail}); the reference's was used instead`,
    );
  }
  return { own, useOwn: line.pass };
}

export function checkPair(run: ExerciseRun, spec: PairSpec): PairResult {
  const { backwardName } = spec;
  const readGrads = spec.readGrads ?? defaultReadGrads(spec);
  const refForward = spec.forward(spec.referenceForward, copies(spec.inputs)) as {
    out: Tensor;
    cache: unknown;
  };
  const refBackward = spec.referenceBackward(spec.dout, refForward.cache);
  const refGrads = readGrads(backwardName, refBackward) as Record<string, Tensor>;
  const result: PairResult = {
    dout: spec.dout,
    cache: refForward.cache,
    reference: { out: refForward.out, cache: refForward.cache, grads: refGrads, backward: refBackward },
  };

  const { own, useOwn } = runOwnForward(run, spec, refForward.out);
  if (own) result.out = useOwn ? own.out : undefined;
  if (useOwn) result.cache = own!.cache;
  const differentiable =
    !useOwn || (own!.out instanceof Tensor && sameShape(own!.out.shape, refForward.out.shape));

  const value = run.call(backwardName, (fn) => {
    const backward = fn(spec.dout.clone(), result.cache);
    return { backward, grads: readGrads(backwardName, backward) };
  });
  if (!value) return result;
  Object.assign(result, value);
  const source = useOwn ? 'numerical (your forward)' : 'numerical (reference forward)';
  for (const [grad, input] of spec.grads) {
    const numeric = differentiable ? numerical(run, spec, input, useOwn, value.grads[grad]) : undefined;
    if (numeric) run.add(compare(grad, source, value.grads[grad], numeric, NUMERICAL_THRESHOLD));
    run.add(compare(grad, 'reference', value.grads[grad], refGrads[grad], REFERENCE_THRESHOLD));
  }
  return result;
}

/**
 * d(Σ out·dout)/d(input) by centered differences through the chosen forward, at sampled entries (the
 * student's own values elsewhere); undefined if the forward threw.
 */
function numerical(
  run: ExerciseRun,
  spec: PairSpec,
  input: string,
  useOwn: boolean,
  actual: unknown,
): Tensor | undefined {
  const inputs = copies(spec.inputs);
  const x = inputs[input];
  const entries = entriesToCheck(run.sampleSeed, x);
  const through = (fn: StudentFunction) => {
    const out = () => field(spec.forwardName, spec.forward(fn, inputs), 'out', '{ out, cache }') as Tensor;
    return numericalAt(scalarize(out, spec.dout), x, entries, actual);
  };
  if (!useOwn) return through(spec.referenceForward);
  return run.call(spec.forwardName, through);
}

/** The output keeps the inputs' dtype: float32 in, float32 out (the toolkit never mixes dtypes silently). */
export function checkFloat32(
  run: ExerciseRun,
  spec: Pick<PairSpec, 'forwardName' | 'inputs' | 'forward'>,
): void {
  const inputs = Object.fromEntries(Object.entries(spec.inputs).map(([k, v]) => [k, astype(v, 'float32')]));
  const name = 'out is float32 for float32 inputs';
  let out: unknown;
  try {
    // Not through run.call: a throw here fails this line only, and must not stop the float64 checks.
    out = field(
      spec.forwardName,
      spec.forward(run.lookup(spec.forwardName)!, inputs),
      'out',
      '{ out, cache }',
    );
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    run.add(fact(name, false, `${spec.forwardName} threw ${text.split('\n')[0]} for float32 inputs`));
    return;
  }
  const pass = out instanceof Tensor && out.dtype === 'float32';
  run.add(fact(name, pass, `out is ${describe(out)} for float32 inputs; keep the inputs' dtype`));
}
