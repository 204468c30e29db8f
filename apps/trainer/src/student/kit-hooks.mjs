// Module resolve hook for a student kit loaded by the trainer: the kit's imports of the toolkit
// (@backprop-lab/*) resolve to the trainer's own copies, not the kit's vendored ones. One copy of each
// package means one Tensor class, so `instanceof Tensor` holds for tensors crossing between the two.
let kitUrl = '';
let trainerUrl = '';

export function initialize(data) {
  kitUrl = data.kitUrl;
  trainerUrl = data.trainerUrl;
}

export function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('@backprop-lab/') && context.parentURL?.startsWith(kitUrl)) {
    return nextResolve(specifier, { ...context, parentURL: trainerUrl });
  }
  return nextResolve(specifier, context);
}
