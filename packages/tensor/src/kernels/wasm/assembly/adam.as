// Adam's update of every element of one parameter, in place, two float64 lanes at a time:
//   m = β1·m + (1−β1)·g;   v = β2·v + (1−β2)·g²;   w −= lr·(m·c1) / (√(v·c2) + ε)
// with c1 = 1/(1−β1ᵗ) and c2 = 1/(1−β2ᵗ) computed by the caller. Each operation is the one
// packages/optim's adamStep does, in its order, with IEEE rounding and no fused multiply-add, so every
// float64 lane gets the bits of the JavaScript loop. float32 arrays are widened to float64, computed the
// same way and rounded back on each store, as JavaScript does with a Float32Array: the same bits again.

/** w, g, m, v: byte offsets of `count` elements each. */
export function adamF64(w: usize, g: usize, m: usize, v: usize, count: i32, lr: f64, beta1: f64, beta2: f64, epsilon: f64, c1: f64, c2: f64): void {
  const b1 = f64x2.splat(beta1), b2 = f64x2.splat(beta2);
  const ob1 = f64x2.splat(1 - beta1), ob2 = f64x2.splat(1 - beta2);
  const vlr = f64x2.splat(lr), veps = f64x2.splat(epsilon), vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2);
  const pairs = count & ~1;
  const end = <usize>pairs << 3;
  for (let o: usize = 0; o < end; o += 16) {
    const gi = v128.load(g + o);
    const mi = f64x2.add(f64x2.mul(b1, v128.load(m + o)), f64x2.mul(ob1, gi));
    const vi = f64x2.add(f64x2.mul(b2, v128.load(v + o)), f64x2.mul(ob2, f64x2.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f64x2.div(f64x2.mul(vlr, f64x2.mul(mi, vc1)), f64x2.add(f64x2.sqrt(f64x2.mul(vi, vc2)), veps));
    v128.store(w + o, f64x2.sub(v128.load(w + o), step));
  }
  for (let i = pairs; i < count; i++) {
    const o = <usize>i << 3;
    const gi = load<f64>(g + o);
    const mi = beta1 * load<f64>(m + o) + (1 - beta1) * gi;
    const vi = beta2 * load<f64>(v + o) + (1 - beta2) * (gi * gi);
    store<f64>(m + o, mi);
    store<f64>(v + o, vi);
    store<f64>(w + o, load<f64>(w + o) - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + epsilon));
  }
}

/** As adamF64 on float32 arrays: each pair of elements widened, updated in float64, rounded on store. */
export function adamF32(w: usize, g: usize, m: usize, v: usize, count: i32, lr: f64, beta1: f64, beta2: f64, epsilon: f64, c1: f64, c2: f64): void {
  const b1 = f64x2.splat(beta1), b2 = f64x2.splat(beta2);
  const ob1 = f64x2.splat(1 - beta1), ob2 = f64x2.splat(1 - beta2);
  const vlr = f64x2.splat(lr), veps = f64x2.splat(epsilon), vc1 = f64x2.splat(c1), vc2 = f64x2.splat(c2);
  const pairs = count & ~1;
  const end = <usize>pairs << 2;
  for (let o: usize = 0; o < end; o += 8) {
    const gi = widen(g + o);
    // m and v are stored as float32 and read back rounded, as the JavaScript loop reads m[i] and v[i].
    const mi = narrow(f64x2.add(f64x2.mul(b1, widen(m + o)), f64x2.mul(ob1, gi)));
    const vi = narrow(f64x2.add(f64x2.mul(b2, widen(v + o)), f64x2.mul(ob2, f64x2.mul(gi, gi))));
    v128.store64_lane(m + o, f32x4.demote_f64x2_zero(mi), 0);
    v128.store64_lane(v + o, f32x4.demote_f64x2_zero(vi), 0);
    const step = f64x2.div(f64x2.mul(vlr, f64x2.mul(mi, vc1)), f64x2.add(f64x2.sqrt(f64x2.mul(vi, vc2)), veps));
    v128.store64_lane(w + o, f32x4.demote_f64x2_zero(f64x2.sub(widen(w + o), step)), 0);
  }
  for (let i = pairs; i < count; i++) {
    const o = <usize>i << 2;
    const gi = <f64>load<f32>(g + o);
    const mi = <f64><f32>(beta1 * <f64>load<f32>(m + o) + (1 - beta1) * gi);
    const vi = <f64><f32>(beta2 * <f64>load<f32>(v + o) + (1 - beta2) * (gi * gi));
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + epsilon)));
  }
}

/** Two float32 at p, widened to float64. */
// @ts-ignore: decorator
@inline
function widen(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Rounds both lanes to float32 and back: the value a Float32Array store then load gives. */
// @ts-ignore: decorator
@inline
function narrow(x: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(x));
}
