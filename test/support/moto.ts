// Starts and stops the AWS emulator (moto_server from the project's own virtualenv).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { cacheDir, repoRoot } from './paths';
import { freePort, spawnGroup, stopGroup, waitForHttp } from './process';

export interface Moto {
  endpoint: string;
  port: number;
  /** Forget every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Dummy credentials for the emulator; never real ones. */
export const MOTO_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SESSION_TOKEN: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
} as const;

/**
 * moto_server from the project's virtualenv, started through test/support/moto_paged.py: stock moto
 * with one fix, DescribeParameters honouring MaxResults (1..50) like AWS (moto 5.2 always pages by 10).
 */
export function motoCommand(stock = false): [string, string[]] {
  const python = path.join(cacheDir, 'moto-venv', 'bin', 'python');
  if (!fs.existsSync(python)) {
    throw new Error(`the moto virtualenv is missing (${python}). Run: bash scripts/setup.sh --only moto`);
  }
  return stock ? [path.join(cacheDir, 'moto-venv', 'bin', 'moto_server'), []] : [python, [path.join(repoRoot, 'test', 'support', 'moto_paged.py')]];
}

export async function startMoto(opts: { port?: number; log?: string; /** Unpatched moto (pages DescribeParameters by 10). */ stock?: boolean } = {}): Promise<Moto> {
  const port = opts.port ?? (await freePort());
  const out = opts.log ? fs.openSync(opts.log, 'a') : 'ignore';
  const [cmd, args] = motoCommand(opts.stock);
  const child: ChildProcess = spawnGroup(cmd, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', out, out],
    env: { ...process.env, ...MOTO_ENV },
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${endpoint}/moto-api/`, 30_000, child);
  } catch (e) {
    await stopGroup(child);
    throw e;
  }
  return {
    endpoint,
    port,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    stop: () => stopGroup(child),
  };
}
