/**
 * A worker thread of the grader that owns the student's process: it starts it (again after a kill or an
 * exit, replaying the file loads that worked), forwards one request at a time, enforces the time limit,
 * and hands each answer to the grader's main thread, which waits on `flag` (rpc.ts). Compiled into the
 * temp dir with the child's runtime, because a worker cannot load TypeScript.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { serialize } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import type { Failure, Reply, Request } from './child.js';
import { TAMPERED_EXIT } from './wire.js';

export interface BrokerConfig {
  flag: SharedArrayBuffer;
  port: MessagePort;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeLimitMs: number;
}

/**
 * Starting the process and reloading files that loaded before are the grader's own work, not a student's
 * call: a generous bound, so a loaded machine cannot turn a restart into a failure.
 */
const RESTART_LIMIT_MS = 15_000;

export type BrokerMessage = { id: number; request: Request; release: number[] } | { id: number; close: true };
export type BrokerReply = { id: number; gen: number; reply: Reply };

const config = workerData as BrokerConfig;
const flag = new Int32Array(config.flag);
/** Files that loaded, replayed into a restarted process. */
const loaded: string[] = [];
/** Node's own words when a process dies of memory (heap limit, or the address-space limit). */
const OUT_OF_MEMORY = /out of memory|allocation failed|heap limit|Fatal process out of memory/i;

let child: ChildProcess | undefined;
/** Signs each request to the running child; given to it before any student file loads. */
let key = randomBytes(32);
let gen = 0;
let stderrTail = '';
let pending: { id: number; settle(reply: Reply): void } | undefined;

function respond(message: BrokerReply): void {
  config.port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function exitFailure(code: number | null, signal: string | null): Failure {
  if (code === TAMPERED_EXIT)
    return { kind: 'grader', message: "the student code tampered with the grader's messages" };
  if (OUT_OF_MEMORY.test(stderrTail) || code === 134) return { kind: 'oom' };
  return { kind: 'exit', code, signal };
}

function start(): ChildProcess {
  gen++;
  stderrTail = '';
  const process_ = spawn(config.command, config.args, {
    cwd: config.cwd,
    env: { ...config.env, SANDBOX_GENERATION: String(gen) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  key = randomBytes(32);
  process_.send({ key });
  process_.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-4096);
  });
  process_.on('message', (message: { id: number; reply: Reply }) => {
    if (pending && message?.id === pending.id) pending.settle(message.reply);
  });
  // 'close', not 'exit': by then stderr is read to the end, so a dying V8's last words are in the tail.
  process_.on('close', (code, signal) => {
    if (child === process_) child = undefined;
    pending?.settle({ ok: false, failure: exitFailure(code, signal) });
  });
  process_.on('error', (error) => {
    // A send to a process that just died also lands here; its 'close' reports it. A failed spawn has no pid.
    if (process_.pid !== undefined) return;
    if (child === process_) child = undefined;
    pending?.settle({ ok: false, failure: { kind: 'grader', message: error.message } });
  });
  return process_;
}

let nextId = 1;

/** Sends one request and waits for its answer, the process's exit, or the time limit (then kills it). */
function exchange(
  target: ChildProcess,
  id: number,
  request: Request | null,
  release: number[],
  limitMs = config.timeLimitMs,
): Promise<Reply> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // Settled by the exit that follows: a killed process cannot answer any more.
      pending = { id, settle: () => settle({ ok: false, failure: { kind: 'timeout' } }) };
      target.kill('SIGKILL');
    }, limitMs);
    const settle = (reply: Reply) => {
      clearTimeout(timer);
      pending = undefined;
      resolve(reply);
    };
    pending = { id, settle };
    if (request) {
      const bytes = serialize({ id, request, release });
      target.send({ bytes, mac: createHmac('sha256', key).update(bytes).digest() });
    }
  });
}

/** The running process, started and given the files that loaded before, or the failure to do so. */
async function ready(): Promise<ChildProcess | Failure> {
  if (child) return child;
  const started = start();
  child = started;
  const limit = Math.max(config.timeLimitMs, RESTART_LIMIT_MS);
  const hello = await exchange(started, 0, null, [], limit);
  if (!hello.ok)
    return {
      kind: 'grader',
      message: `the student's process did not start (${describeFailure(hello.failure)})`,
    };
  for (const file of loaded) {
    const reply = await exchange(started, nextId++, { op: 'load', file }, [], limit);
    if (!reply.ok)
      return {
        kind: 'grader',
        message: `src/${file} did not load again after a restart (${describeFailure(reply.failure)})`,
      };
  }
  return started;
}

function describeFailure(failure: Failure): string {
  if (failure.kind === 'throw') return failure.text ?? `${failure.name}: ${failure.message}`;
  if (failure.kind === 'exit') return `exit code ${failure.code ?? failure.signal}`;
  return 'message' in failure ? failure.message : failure.kind;
}

config.port.on('message', async (message: BrokerMessage) => {
  if ('close' in message) {
    const running = child;
    child = undefined;
    if (running && running.exitCode === null && running.signalCode === null) {
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
    respond({ id: message.id, gen, reply: { ok: true, value: null } });
    return;
  }
  const running = await ready();
  if ('kind' in running) {
    respond({ id: message.id, gen, reply: { ok: false, failure: running } });
    return;
  }
  const reply = await exchange(running, nextId++, message.request, message.release);
  if (message.request.op === 'load' && reply.ok) loaded.push(message.request.file);
  respond({ id: message.id, gen, reply });
});
