// What the benchmarks share: a throw-away release server in a temporary
// folder, waiting for it, and reading its resident memory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

/** Starts `dist/eko/eko` (or EKO_BIN) on `port` with a fresh SQLite
 * database, trusting 127.0.0.1 as its proxy; `demo` fills it first. */
export async function startServer(port, { demo = false } = {}) {
  const bin = path.resolve(process.env.EKO_BIN ?? path.join(here, '../dist/eko/eko'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eko-bench-'));
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: `sqlite://${dir}/eko.db?mode=rwc`,
    EKO_LISTEN: `127.0.0.1:${port}`,
    EKO_TRUSTED_PROXIES: '127.0.0.1',
    EKO_MAIL_OUTBOX: `${dir}/outbox`,
    RUST_LOG: 'error',
  };
  if (demo) {
    const filled = spawnSync(bin, ['demo'], { env, encoding: 'utf8' });
    if (filled.status !== 0) throw new Error(filled.stderr);
  }
  const child = spawn(bin, ['serve'], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('server did not start');
    await sleep(100);
  }
  return {
    base,
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    stop: () => {
      child.kill('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
