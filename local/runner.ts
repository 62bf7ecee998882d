/**
 * Runs cloud functions locally: a pool of worker threads (local/worker.js), each serving one
 * invocation at a time like a CloudBase instance, with the caller's OPENID in its own environment.
 */
import { existsSync } from 'fs';
import { join } from 'path';
import { Worker } from 'worker_threads';

export interface RunnerOptions {
  distDir: string;
  /** Environment every instance gets (service URL, secret, WX_CONTEXT_KEYS …). */
  env: Record<string, string>;
  /** Most instances at once. */
  size: number;
}

interface Job {
  id: number;
  name: string;
  event: unknown;
  openid: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Instance {
  worker: Worker;
  job: Job | null;
}

export class FunctionNotFound extends Error {}

export class Runner {
  private idle: Instance[] = [];
  private all: Instance[] = [];
  private queue: Job[] = [];
  private seq = 0;
  private closed = false;

  constructor(private opts: RunnerOptions) {}

  has(name: string): boolean {
    return /^[a-z][a-z0-9-]*$/.test(name) && existsSync(join(this.opts.distDir, name, 'index.js'));
  }

  /** Invoke function `name` with `event` as the WeChat user `openid` ('' for none). */
  invoke(name: string, event: unknown, openid: string): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('runner closed'));
    if (!this.has(name)) return Promise.reject(new FunctionNotFound(`no cloud function named ${name}`));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.seq, name, event, openid, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Instance {
    const worker = new Worker(join(__dirname, 'worker.js'), {
      workerData: { distDir: this.opts.distDir, env: this.opts.env },
    });
    const inst: Instance = { worker, job: null };
    worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
      const job = inst.job;
      inst.job = null;
      if (job && job.id === msg.id) {
        if (msg.error !== undefined) job.reject(new Error(msg.error));
        else job.resolve(msg.result);
      }
      this.idle.push(inst);
      this.pump();
    });
    worker.on('error', (e) => {
      inst.job?.reject(e);
      inst.job = null;
      this.all = this.all.filter((x) => x !== inst);
      this.idle = this.idle.filter((x) => x !== inst);
      this.pump();
    });
    this.all.push(inst);
    return inst;
  }

  private pump(): void {
    while (this.queue.length) {
      let inst = this.idle.pop();
      if (!inst && this.all.length < this.opts.size) inst = this.spawn();
      if (!inst) return;
      const job = this.queue.shift() as Job;
      inst.job = job;
      const eventJson = job.event === undefined ? undefined : JSON.stringify(job.event);
      inst.worker.postMessage({ id: job.id, name: job.name, eventJson, openid: job.openid });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue) j.reject(new Error('runner closed'));
    this.queue = [];
    await Promise.all(this.all.map((i) => i.worker.terminate()));
    this.all = [];
    this.idle = [];
  }
}
