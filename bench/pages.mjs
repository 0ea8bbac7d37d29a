// Page throughput (speed issue, target 1): wrk with 32 kept-alive
// connections against the release binary with demo data, signed in as a
// resident (/dashboard) and as a super admin (/admin), with /healthz (same
// router and layers, no page) as the floor. Prints one table.
//
//   make release && node bench/pages.mjs [seconds=10] [port=3107]
// Needs wrk (Debian: apt-get install wrk).
import { execFileSync } from 'node:child_process';
import { startServer } from './server.mjs';

const seconds = Number(process.argv[2] ?? 10);
const port = Number(process.argv[3] ?? 3107);
const server = await startServer(port, { demo: true });

async function cookie(realm, email, password) {
  const res = await fetch(`${server.base}/api/${realm}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: 'manual',
  });
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

function wrk(path, cookieHeader) {
  const args = ['-t2', '-c32', `-d${seconds}s`, '--latency', `${server.base}${path}`];
  if (cookieHeader) args.unshift('-H', `Cookie: ${cookieHeader}`);
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)[1];
  const p = (q) => new RegExp(`\\s${q}%\\s+([\\d.]+\\w+)`).exec(out)?.[1] ?? '?';
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
  return `| ${path} | ${Number(rps).toFixed(0)} | ${p(50)} | ${p(99)} | ${non2xx} |`;
}

try {
  const resident = await cookie('user', 'maria.delacruz.0@example.ph', 'eko demo resident password');
  const staff = await cookie('admin', 'carmen.reyes@cenro.sanpedro.example', 'eko demo staff password');
  console.log(`| page (32 connections, ${seconds} s) | req/s | p50 | p99 | non-2xx |`);
  console.log('|---|---|---|---|---|');
  console.log(wrk('/healthz'));
  console.log(wrk('/dashboard', resident));
  console.log(wrk('/admin', staff));
} finally {
  server.stop();
}
