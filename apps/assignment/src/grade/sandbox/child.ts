/**
 * The student's process (compiled into the submission's temp dir and run under Node's permission model).
 * It loads the student's files on request, calls their functions with the inputs the grader sends, and
 * answers with results and the arguments as the call left them. It never sees a check or a reference
 * value; everything it answers is data the grader validates and compares itself.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deserialize } from 'node:v8';
import { Tensor } from '@backprop-lab/tensor';
import { gate } from './gate.js';
import {
  decode,
  Encoder,
  type HandleWire,
  TAMPERED_EXIT,
  type TensorKind,
  type Wire,
  WireError,
} from './wire.js';

/** `input` is `[args, self, value]` in one message, so objects shared between them stay shared. */
export type Request =
  | { op: 'load'; file: string }
  | { op: 'call' | 'construct'; name: string; input: Wire }
  | { op: 'apply' | 'get' | 'has' | 'set' | 'keys'; target: HandleWire; key?: string; input: Wire };

export type Failure =
  | { kind: 'throw'; name?: string; message?: string; functionName?: string; text?: string }
  | { kind: 'output'; message: string }
  | { kind: 'oom' }
  | { kind: 'timeout' }
  | { kind: 'exit'; code: number | null; signal: string | null }
  | { kind: 'grader'; message: string };

export type Reply = { ok: true; value: Wire; names?: string[] } | { ok: false; failure: Failure };

/** Bytes of typed arrays one answer may carry. */
const MAX_REPLY_BYTES = 256 * 2 ** 20;

const send = process.send!.bind(process);
/** The broker's key: its first message, listened for before anything awaits, so it cannot be missed. */
const firstMessage = new Promise<Buffer>((resolve) =>
  process.once('message', (first: { key: Uint8Array }) => resolve(Buffer.from(first.key))),
);
/** Captured before student code runs, which may replace process.exit to outlive the grader. */
const exitNow = (process as unknown as { reallyExit(code: number): never }).reallyExit.bind(process);
const generation = Number(process.env.SANDBOX_GENERATION ?? 0);
const studentDir = new URL('../student/', import.meta.url);

/** Whatever Node offers beyond plain JavaScript that the permission model does not already refuse. */
function harden(): void {
  const named = process as unknown as Record<string, unknown>;
  for (const key of ['binding', '_linkedBinding', 'dlopen', 'getBuiltinModule', 'kill', '_kill', 'send']) {
    delete named[key];
  }
  for (const key of [
    'disconnect',
    'chdir',
    'setuid',
    'setgid',
    'seteuid',
    'setegid',
    'setgroups',
    'initgroups',
  ]) {
    delete named[key];
  }
  const global = globalThis as Record<string, unknown>;
  // No timers: a callback left behind by one call would run between later calls at a moment that
  // depends on timing (a loop in it would stop another exercise's call, or not), and the same
  // submission must get the same score on every grading. Exercise functions return their results.
  for (const key of ['fetch', 'WebSocket', 'EventSource', 'setTimeout', 'setInterval', 'setImmediate'])
    delete global[key];
}

const tensorKind: TensorKind = {
  is: (value): value is Tensor => value instanceof Tensor,
  make: (data, shape) => new Tensor(data, shape),
};

const exportsByName = new Map<string, unknown>();
const handles = new Map<number, object>();
const handleIds = new WeakMap<object, number>();
/** Instances of the student's FullyConnectedNet: the gate opens while they run. */
const nets = new WeakSet<object>();

function handleOf(value: object): HandleWire {
  let id = handleIds.get(value);
  if (id === undefined) {
    id = handles.size + 1;
    while (handles.has(id)) id++;
    handles.set(id, value);
    handleIds.set(value, id);
  }
  const callable = typeof value === 'function';
  let label = 'a value';
  try {
    label = callable
      ? (value as { name?: string }).name || 'a function'
      : value.constructor?.name || 'an object';
  } catch {}
  return { t: 'handle', id, gen: generation, callable, label: String(label) };
}

function fromHandle(wire: HandleWire): unknown {
  const value = handles.get(wire.id);
  if (wire.gen !== generation || value === undefined) throw new WireError('a value from a stopped process');
  return value;
}

function receive(wire: Wire): { value: unknown; received: Map<object, number> } {
  const received = new Map<object, number>();
  const value = decode(wire, { tensor: tensorKind, handle: fromHandle });
  // Every object just made came from the grader: note its number so it goes back as itself.
  const note = (w: Wire, v: unknown) => {
    if (w === null || typeof w !== 'object' || !('rid' in w) || w.t === 'ref') return;
    if (received.has(v as object)) return;
    received.set(v as object, w.rid);
    if (w.t === 'array') for (const [i, item] of w.items.entries()) note(item, (v as unknown[])[i]);
    if (w.t === 'object')
      for (const [key, item] of w.entries) note(item, (v as Record<string, unknown>)[key]);
  };
  note(wire, value);
  return { value, received };
}

function answer(result: unknown, args: unknown, received: Map<object, number>): Reply {
  const encoder = new Encoder({ tensor: tensorKind, received, handle: handleOf, maxBytes: MAX_REPLY_BYTES });
  try {
    return { ok: true, value: encoder.encode([result, args]) };
  } catch (error) {
    const why = error instanceof WireError ? error.message : firstLine(error);
    return { ok: false, failure: { kind: 'output', message: `its result cannot be read: ${why}` } };
  }
}

const root = new URL('../', import.meta.url);

/**
 * A message in the student's terms: the temp dir (different on every run) left out, student files named
 * src/…, and the toolkit files their imports were compiled to named by package again.
 */
function studentTerms(text: string): string {
  let out = text;
  for (const [from, to] of [
    [studentDir.href, 'src/'],
    [fileURLToPath(studentDir), 'src/'],
    [root.href, ''],
    [fileURLToPath(root), ''],
  ])
    out = out.split(from).join(to);
  return out
    .replace(/'(?:\.\.\/)+shims\/(\w+)\.js'/g, "'@backprop-lab/$1'")
    .replace(/'(?:\.\.\/)+toolkit\/(\w+)\/src\/index\.js'/g, "'@backprop-lab/$1'");
}

function firstLine(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return studentTerms(text.split('\n')[0].slice(0, 2000));
  } catch {
    return 'a value that cannot be shown';
  }
}

function thrown(error: unknown): Reply {
  if (error instanceof RangeError && /allocation failed/i.test(String(error.message)))
    return { ok: false, failure: { kind: 'oom' } };
  if (!(error instanceof Error)) return { ok: false, failure: { kind: 'throw', text: firstLine(error) } };
  try {
    const functionName = (error as { functionName?: unknown }).functionName;
    return {
      ok: false,
      failure: {
        kind: 'throw',
        name: String(error.name),
        message: studentTerms(String(error.message).slice(0, 10000)),
        functionName: typeof functionName === 'string' ? functionName : undefined,
      },
    };
  } catch {
    return { ok: false, failure: { kind: 'throw', text: firstLine(error) } };
  }
}

// biome-ignore lint/suspicious/noExplicitAny: student values are called as they are
type Callable = (...args: any[]) => any;

function run(request: Exclude<Request, { op: 'load' }>): Reply {
  let input: [unknown[], unknown, unknown];
  let received: Map<object, number>;
  let target: unknown;
  try {
    ({ value: input, received } = receive(request.input) as {
      value: typeof input;
      received: Map<object, number>;
    });
    target = 'target' in request ? fromHandle(request.target) : exportsByName.get(request.name);
  } catch (error) {
    return {
      ok: false,
      failure: { kind: 'grader', message: `cannot take its arguments: ${firstLine(error)}` },
    };
  }
  const [args, self, value] = input;
  const net = (v: unknown) => typeof v === 'object' && v !== null && isNet(v);
  gate.open =
    (request.op === 'construct' && request.name === 'FullyConnectedNet') || net(target) || net(self);
  try {
    let result: unknown;
    const key = 'key' in request ? String(request.key) : '';
    if (request.op === 'call' || request.op === 'apply')
      result = Reflect.apply(target as Callable, self, args);
    else if (request.op === 'construct') {
      result = Reflect.construct(target as Callable, args);
      if (request.name === 'FullyConnectedNet') nets.add(result as object);
    } else if (request.op === 'get') result = Reflect.get(target as object, key);
    else if (request.op === 'has') result = Reflect.has(target as object, key);
    else if (request.op === 'keys') result = Object.keys(target as object);
    else result = Reflect.set(target as object, key, value);
    return answer(result, input, received);
  } catch (error) {
    return thrown(error);
  } finally {
    gate.open = false;
  }
}

async function load(file: string): Promise<Reply> {
  try {
    const module = await import(new URL(file.replace(/\.ts$/, '.js'), studentDir).href);
    const names: string[] = [];
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== 'function') continue;
      exportsByName.set(name, value);
      names.push(name);
    }
    return { ok: true, value: null, names };
  } catch (error) {
    return thrown(error);
  }
}

await import(new URL('./preload.js', import.meta.url).href);
harden();
// A promise the student's code left rejected (an async exercise function that throws) or a microtask that
// threw after its call returned would end the process by default, and the grader would blame the next
// call, another exercise's. The call that made it already answered; nothing is left to blame.
process.on('unhandledRejection', () => {});
process.on('uncaughtException', () => {});
const key = await firstMessage;
const isNet = WeakSet.prototype.has.bind(nets);
let lastId = 0;

/**
 * A request as the broker signed it, or exit: the gate opens on what a request says (a call of the net),
 * so one student code rewrote on its way must not run. Uses only functions taken before student code.
 */
function verified(message: { bytes: Uint8Array; mac: Uint8Array }) {
  const expected = createHmac('sha256', key).update(message.bytes).digest();
  if (message.mac.length !== expected.length || !timingSafeEqual(message.mac, expected))
    exitNow(TAMPERED_EXIT);
  const opened = deserialize(message.bytes) as { id: number; request: Request; release?: number[] };
  if (opened.id <= lastId) exitNow(TAMPERED_EXIT);
  lastId = opened.id;
  return opened;
}

process.on('message', (signed: { bytes: Uint8Array; mac: Uint8Array }) => {
  const message = verified(signed);
  for (const id of message.release ?? []) {
    const value = handles.get(id);
    handles.delete(id);
    if (value) handleIds.delete(value);
  }
  const { id, request } = message;
  const reply = request.op === 'load' ? load(request.file) : Promise.resolve(run(request));
  void reply.then((r) => send({ id, reply: r }));
});
// The grader went away (killed or finished): nothing is left to answer.
process.on('disconnect', () => exitNow(0));
send({ id: 0, reply: { ok: true, value: null } }); // ready
