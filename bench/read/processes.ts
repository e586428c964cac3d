import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * The measured servers of bench/read, each a child process of its own started the way
 * `npm start` starts the server (`--max-semi-space-size=64`, tsx), so each has its own CPU and
 * neither pays for the load generator in this process.
 */
export interface ServerProcess {
  url: string;
  pid: number;
  /** The child's memory as it measures it (after a full collection); API children only. */
  memory(): Promise<MemorySample>;
  stop(): Promise<void>;
}

export interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

/** A port nothing listens on now (the child binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with status ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer ${url} within 120 s`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
}

export interface ApiOptions {
  databaseUrl: string;
  adminKey: string;
  /** The server's stdout (its log lines) goes here, as a log collector would take it. */
  logFile: string;
  /** Extra environment (LOG_LEVEL, RATE_LIMIT_MAX, ...). */
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/**
 * The real server: `node --max-semi-space-size=64 --import tsx src/server.ts`, plus the memory
 * probe (bench/read/memory-probe.ts), which answers samples over the IPC channel and changes
 * nothing else. --expose-gc lets the probe collect before it samples, so the heap series shows
 * what is live, not when the collector last ran.
 */
export async function startApi(options: ApiOptions): Promise<ServerProcess> {
  const port = await freePort();
  const log = fs.openSync(options.logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--max-semi-space-size=64',
      '--expose-gc',
      ...(options.nodeFlags ?? []),
      '--import',
      'tsx',
      '--import',
      './bench/read/memory-probe.ts',
      'src/server.ts',
    ],
    {
      stdio: ['ignore', log, 'inherit', 'ipc'],
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DATABASE_URL: options.databaseUrl,
        BOOTSTRAP_API_KEY: options.adminKey,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        ...options.env,
      },
    },
  );
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child, 'the API server');
  let waiting: Array<(sample: MemorySample) => void> = [];
  child.on('message', (message: { memory?: MemorySample }) => {
    if (!message.memory) return;
    const answered = waiting;
    waiting = [];
    for (const resolve of answered) resolve(message.memory);
  });
  return {
    url,
    pid: child.pid!,
    memory: () =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.send('memory');
      }),
    stop: stopper(child),
  };
}

/** The baseline: bench/read/bare-server.ts, Fastify and a pg pool of 10, nothing else. */
export async function startBare(databaseUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', 'bench/read/bare-server.ts'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: databaseUrl, PORT: String(port) },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child, 'the bare handler');
  return {
    url,
    pid: child.pid!,
    memory: () => Promise.reject(new Error('the bare handler has no memory probe')),
    stop: stopper(child),
  };
}

/** Resident memory of a process from /proc, in MiB (Linux). */
export function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}
