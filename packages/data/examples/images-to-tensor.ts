// The README's "generated images as a tensor": `pnpm --filter @backprop-lab/data exec tsx examples/images-to-tensor.ts`.
import { generateSynthetic, SYNTHETIC_CLASS_NAMES, SYNTHETIC_FEATURES } from '@backprop-lab/data';
import { Tensor } from '@backprop-lab/tensor';

const { pixels, labels } = generateSynthetic(20, 7); // pixels: bytes [N·3072], CIFAR order; labels [N]
const X = new Tensor(Float64Array.from(pixels), [labels.length, SYNTHETIC_FEATURES]); // X [N, D], 0-255
const y = labels; // y [N], class k is SYNTHETIC_CLASS_NAMES[k]
console.log(X.shape, y.length, SYNTHETIC_CLASS_NAMES[y[0]]); // → [ 20, 3072 ] 20 checker

// Row i is one image: 1024 red, then 1024 green, then 1024 blue values, each 32×32 row-major.
const image = new Tensor(X.data.slice(0, SYNTHETIC_FEATURES), [3, 32, 32]); // [C, H, W]
const red = (row: number, column: number) => image.data[row * 32 + column];
console.log(image.shape, red(0, 0), red(16, 16)); // → [ 3, 32, 32 ] 69 7
