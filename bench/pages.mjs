// Page throughput (speed issue, target 1): wrk with 32 kept-alive
// connections against the release binary with demo data, signed in as a
// resident (/dashboard) and as a super admin (/admin), with /healthz (same
// router and layers, no page) as the floor; on SQLite, then on PostgreSQL
// when EKO_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test)
// answers. Prints one table.
//
//   make release && node bench/pages.mjs [seconds=10] [port=3107]
// Needs wrk (Debian: apt-get install wrk).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { DEMO_RESIDENT, DEMO_STAFF, signIn, startServer } from './server.mjs';

const seconds = Number(process.argv[2] ?? 10);
const port = Number(process.argv[3] ?? 3107);
const postgres = process.env.EKO_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The Django peer of the issue, measured on this machine model (not in the repository).
const DJANGO_RPS = 507;

// CPU time of every PostgreSQL process on this machine (the pool's
// backends do the work; an ended backend's time moves to the postmaster's
// children's time, counted too). The server's own figure leaves it out.
function postgresCpuSeconds() {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes(' (postgres) ')) continue;
      const fields = stat.split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // ended meanwhile
    }
  }
  return ticks / 100;
}

function wrk(server, path, cookie, onPostgres) {
  const base = server.base;
  const cpuBefore = server.cpuSeconds();
  const dbBefore = onPostgres ? postgresCpuSeconds() : 0;
  const args = ['-t2', '-c32', `-d${seconds}s`, '--latency', `${base}${path}`];
  if (cookie) args.unshift('-H', `Cookie: ${cookie}`);
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const cpu = server.cpuSeconds() - cpuBefore;
  const dbCpu = onPostgres ? postgresCpuSeconds() - dbBefore : null;
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  const p = (q) => new RegExp(`\\s${q}%\\s+([\\d.]+\\w+)`).exec(out)?.[1] ?? '?';
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: p(50),
    p99: p(99),
    bad: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    // The server's own CPU time (user + system) per request: steadier than
    // throughput on a machine whose neighbours come and go.
    cpuMicros: (1e6 * cpu) / Math.max(requests, 1),
    // SQLite runs inside the server: its work is in the figure above.
    dbMicros: dbCpu === null ? null : (1e6 * dbCpu) / Math.max(requests, 1),
  };
}

async function run(label, options) {
  const server = await startServer(port, { demo: true, ...options });
  try {
    const resident = await signIn(server.base, 'user', ...DEMO_RESIDENT);
    const staff = await signIn(server.base, 'admin', ...DEMO_STAFF);
    const measured = [];
    for (const [path, cookie] of [['/healthz'], ['/dashboard', resident], ['/admin', staff]]) {
      wrk(server, path, cookie, !!options.postgres); // warm-up, unreported
      measured.push([path, wrk(server, path, cookie, !!options.postgres)]);
    }
    const floor = measured[0][1].rps;
    const rows = measured.map(([path, r]) => [
      `${label} ${path}`,
      r.rps.toFixed(0),
      r.p50,
      r.p99,
      r.cpuMicros.toFixed(0),
      r.dbMicros === null ? 'in the server' : r.dbMicros.toFixed(0),
      String(r.bad),
      path === '/healthz' ? 'floor' : `${((100 * r.rps) / floor).toFixed(1)} % of floor, ${(r.rps / DJANGO_RPS).toFixed(1)}× Django`,
    ]);
    return rows;
  } finally {
    await server.stop();
  }
}

const rows = await run('SQLite', {});
if (spawnSync('psql', [postgres, '-qc', 'SELECT 1']).status === 0) {
  rows.push(...(await run('PostgreSQL', { postgres })));
} else {
  console.error(`PostgreSQL not reachable at ${postgres}: its rows are skipped`);
}
console.log(
  `| page (32 connections, ${seconds} s) | req/s | p50 | p99 | server CPU µs/req | PostgreSQL CPU µs/req | non-2xx | relative |`,
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
