/**
 * The grader's side of the broker (broker.ts): a synchronous request, because runChecks is synchronous.
 * The main thread posts the request and sleeps in Atomics.wait on a shared flag until the broker thread,
 * which talks to the student's process asynchronously, posts the answer and raises the flag; the answer
 * is then read off the port without an event loop turn (receiveMessageOnPort). synckit's technique.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { BrokerConfig, BrokerMessage, BrokerReply } from './broker.js';
import type { Reply, Request } from './child.js';

type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

export class SyncBroker {
  /** The student's process generation that gave the last answer. */
  gen = 0;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private nextId = 1;

  /** `waitMs`: how long to wait for the broker itself, a bound well past any time limit it enforces. */
  constructor(
    file: string,
    config: Omit<BrokerConfig, 'flag' | 'port'>,
    private readonly waitMs: number,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData: BrokerConfig = { ...config, flag: this.flag.buffer as SharedArrayBuffer, port: port2 };
    // No execArgv: the grader's own loaders (tsx, vitest) have nothing to do in the broker.
    this.worker = new Worker(file, { workerData, transferList: [port2], execArgv: [] });
    this.worker.unref();
  }

  request(request: Request, release: number[] = []): Reply {
    return this.exchange({ request, release });
  }

  /** Stops the student's process and the broker. */
  close(): void {
    this.exchange({ close: true });
    void this.worker.terminate();
  }

  private exchange(message: Distribute<BrokerMessage>): Reply {
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...message, id });
    for (;;) {
      const outcome = Atomics.wait(this.flag, 0, 0, this.waitMs);
      Atomics.store(this.flag, 0, 0);
      for (
        let received = receiveMessageOnPort(this.port);
        received;
        received = receiveMessageOnPort(this.port)
      ) {
        const answer = received.message as BrokerReply;
        if (answer.id !== id) continue; // the late answer to a request given up on
        this.gen = answer.gen;
        return answer.reply;
      }
      if (outcome === 'timed-out')
        throw new Error(`grader: the sandbox broker gave no answer in ${this.waitMs / 1000} s`);
    }
  }
}
