// What the benchmarks share: a throw-away release server in a temporary
// folder, waiting for it, and reading its resident memory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

/** Starts `dist/eko/eko` (or EKO_BIN) on `port` with a fresh SQLite
 * database (or, with `postgres`, a fresh PostgreSQL database made at that
 * server URL), trusting 127.0.0.1 as its proxy; `demo` fills it first;
 * `env` adds or overrides settings. */
export async function startServer(port, { demo = false, env: extra = {}, postgres = null } = {}) {
  const bin = path.resolve(process.env.EKO_BIN ?? path.join(here, '../dist/eko/eko'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eko-bench-'));
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: `sqlite://${dir}/eko.db?mode=rwc`,
    EKO_LISTEN: `127.0.0.1:${port}`,
    EKO_TRUSTED_PROXIES: '127.0.0.1',
    EKO_MAIL_OUTBOX: `${dir}/outbox`,
    RUST_LOG: 'error',
    // A pool size to compare (README: configuration), from the caller's environment.
    ...(process.env.EKO_DB_MAX_CONNECTIONS ? { EKO_DB_MAX_CONNECTIONS: process.env.EKO_DB_MAX_CONNECTIONS } : {}),
    ...extra,
  };
  let dropDatabase = () => {};
  if (postgres) {
    const name = `eko_bench_${process.pid}_${port}`;
    const psql = (sql) => spawnSync('psql', [postgres, '-qc', sql], { encoding: 'utf8' });
    psql(`DROP DATABASE IF EXISTS ${name}`);
    const made = psql(`CREATE DATABASE ${name}`);
    if (made.status !== 0) throw new Error(made.stderr);
    env.DATABASE_URL = `${postgres.replace(/\/[^/]*$/, '')}/${name}`;
    dropDatabase = () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
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
    pid: child.pid,
    /** CPU seconds (user + system) the server has used so far. */
    cpuSeconds: () => {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    rssMiB: () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
      dropDatabase();
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Signs in through the server function and returns the Cookie header. */
export async function signIn(base, realm, email, password, from = null) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (from) headers['x-forwarded-for'] = from;
  const res = await fetch(`${base}/api/${realm}/login`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ email, password }).toString(),
    redirect: 'manual',
  });
  if (res.status !== 200 && res.status !== 303 && res.status !== 302) {
    throw new Error(`sign-in ${email}: ${res.status} ${await res.text()}`);
  }
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

export const DEMO_RESIDENT = ['maria.delacruz.0@example.ph', 'eko demo resident password'];
export const DEMO_STAFF = ['carmen.reyes@cenro.sanpedro.example', 'eko demo staff password'];
