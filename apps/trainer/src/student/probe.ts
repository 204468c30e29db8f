/**
 * Which of a kit's functions the student has started: each is called once on small valid inputs, and a
 * NotImplemented means "not started". A backward gets the cache of the student's own forward when that is
 * started (it may keep its own fields), else the reference's. Any other throw is the student's bug, named.
 */
import { isNotImplemented } from '@backprop-lab/assignment';
import { defaultLayers } from '@backprop-lab/layers';
import { add, createRng, mul, randn, type Tensor } from '@backprop-lab/tensor';
import { type KitFunction, type LayerMember, MEMBER_SOURCES, StudentLayersError } from './load-kit.js';

function inputs() {
  const rng = createRng(7);
  const x = add(mul(randn([4, 5], rng), 2), 1); // [N=4, D=5]
  return {
    x,
    W: randn([5, 3], rng),
    b: randn([3], rng),
    gamma: randn([5], rng),
    beta: randn([5], rng),
    dout: randn([4, 5], rng),
    dout3: randn([4, 3], rng),
    y: Int32Array.from([0, 2, 1, 2]),
  };
}

type Inputs = ReturnType<typeof inputs>;
type Forward = (fn: KitFunction, v: Inputs) => { cache: unknown };

const FORWARDS: Record<string, Forward> = {
  affineForward: (fn, v) => fn(v.x, v.W, v.b),
  reluForward: (fn, v) => fn(v.x),
  batchnormForward: (fn, v) => fn(v.x, v.gamma, v.beta, { mode: 'train' }),
  layernormForward: (fn, v) => fn(v.x, v.gamma, v.beta, {}),
  dropoutForward: (fn, v) => fn(v.x, { p: 0.5, mode: 'train', seed: 1 }),
};

/** Each backward with its forward and its upstream gradient. */
const BACKWARDS: Record<string, { forward: string; dout: (v: Inputs) => Tensor }> = {
  affineBackward: { forward: 'affineForward', dout: (v) => v.dout3 },
  reluBackward: { forward: 'reluForward', dout: (v) => v.dout },
  batchnormBackward: { forward: 'batchnormForward', dout: (v) => v.dout },
  batchnormBackwardAlt: { forward: 'batchnormForward', dout: (v) => v.dout },
  layernormBackward: { forward: 'layernormForward', dout: (v) => v.dout },
  dropoutBackward: { forward: 'dropoutForward', dout: (v) => v.dout },
};

const referenceOf = (name: string) => defaultLayers[name as LayerMember] as KitFunction;

/** Calls `name` once; false when it throws NotImplemented. */
function isStarted(
  name: string,
  fns: ReadonlyMap<string, KitFunction>,
  started: (n: string) => boolean,
): boolean {
  const fn = fns.get(name);
  if (!fn) return false;
  const v = inputs();
  try {
    if (name === 'softmaxLoss') fn(randn([4, 3], createRng(3)), v.y);
    else if (FORWARDS[name]) FORWARDS[name](fn, v);
    else {
      const { forward, dout } = BACKWARDS[name];
      const forwardFn = started(forward) ? fns.get(forward)! : referenceOf(forward);
      fn(dout(v), FORWARDS[forward](forwardFn, v).cache);
    }
    return true;
  } catch (error) {
    if (isNotImplemented(error)) return false;
    throw new StudentLayersError(`${name} throws on valid inputs: ${(error as Error).message}`);
  }
}

export interface LayerChoice {
  /** LayerSet member → the kit function that fills it. */
  chosen: Partial<Record<LayerMember, string>>;
  /** Members the reference fills, because no kit function for them is started. */
  reference: LayerMember[];
}

export function chooseLayers(fns: ReadonlyMap<string, KitFunction>): LayerChoice {
  const memo = new Map<string, boolean>();
  const started = (name: string): boolean => {
    if (!memo.has(name)) memo.set(name, isStarted(name, fns, started));
    return memo.get(name)!;
  };
  const chosen: Partial<Record<LayerMember, string>> = {};
  const reference: LayerMember[] = [];
  for (const [member, sources] of Object.entries(MEMBER_SOURCES) as [LayerMember, readonly string[]][]) {
    const source = sources.find(started);
    if (source) chosen[member] = source;
    else reference.push(member);
  }
  return { chosen, reference };
}
