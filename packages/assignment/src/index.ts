/**
 * @backprop-lab/assignment: the CS231n-style assignment over the toolkit's layers and optimizers.
 * Shape legend: N batch, D features, H hidden units, C classes.
 */
export { EXERCISES, type Exercise } from './manifest.js';
export { isNotImplemented, NotImplemented } from './not-implemented.js';
