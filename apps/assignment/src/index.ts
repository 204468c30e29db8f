/** The assignment app: the kit generator behind `pnpm assignment init`. */
export { assignmentCommand, assignmentProgram, initCommand } from './command.js';
export { generateKitText, selectExercises } from './generate.js';
export { type InitOptions, type InitResult, initKit } from './init.js';
export { type StubOptions, stubSource } from './stub.js';
