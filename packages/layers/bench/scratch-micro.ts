import { createRng, Tensor } from '@backprop-lab/tensor';
import { adamInPlace } from '../../optim/src/adam.js';

const rng = createRng(3);
const n = 307200;
const W = new Float64Array(n).map(() => rng.normal() * 0.01);
const dW = new Float64Array(n).map(() => rng.normal() * 0.01);
function t(name: string, f: () => void) {
  for (let i = 0; i < 20; i++) f();
  let best = 1e9;
  for (let r = 0; r < 5; r++) {
    const s = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) f();
    best = Math.min(best, Number(process.hrtime.bigint() - s) / 20 / 1e6);
  }
  console.log(name, best.toFixed(3), 'ms');
}
let sink = 0;
t('reg 1 acc', () => {
  let sq = 0;
  for (let i = 0; i < n; i++) {
    sq += W[i] * W[i];
    dW[i] += 1e-3 * W[i];
  }
  sink += sq;
});
t('reg 4 acc', () => {
  let a = 0,
    b = 0,
    c = 0,
    d = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a += W[i] * W[i];
    b += W[i + 1] * W[i + 1];
    c += W[i + 2] * W[i + 2];
    d += W[i + 3] * W[i + 3];
    dW[i] += 1e-3 * W[i];
    dW[i + 1] += 1e-3 * W[i + 1];
    dW[i + 2] += 1e-3 * W[i + 2];
    dW[i + 3] += 1e-3 * W[i + 3];
  }
  sink += a + b + c + d;
});
t('sq only', () => {
  let sq = 0;
  for (let i = 0; i < n; i++) sq += W[i] * W[i];
  sink += sq;
});
t('axpy only', () => {
  for (let i = 0; i < n; i++) dW[i] += 1e-3 * W[i];
});
const w = new Tensor(W.slice(), [n]);
const g = new Tensor(dW.slice(), [n]);
let cfg: any = {};
t('adamInPlace 307200', () => {
  cfg = adamInPlace(w, g, cfg).config;
});
t('alloc 2.4MB', () => {
  const a = new Float64Array(n);
  a[0] = 1;
  sink += a[5];
});
t('alloc+fill 2.4MB', () => {
  const a = new Float64Array(n);
  a.fill(1);
  sink += a[5];
});
console.log(sink > 0);
process.exit(0);
