// Soak (reliability issue, item 6): a mixed load against the release binary
// with demo data for a while, then idle. Residents sign in and read their
// dashboards, staff record collections and open the console, pages open and
// drop event streams. Records RSS once the load is warm, its peak, and
// 15 s after the load stops; counts answers (no 5xx expected).
//
//   make release && node bench/soak.mjs [minutes=10] [concurrency=16] [port=3106]
import { sleep, startServer } from './server.mjs';

const minutes = Number(process.argv[2] ?? 10);
const concurrency = Number(process.argv[3] ?? 16);
const port = Number(process.argv[4] ?? 3106);
const server = await startServer(port, { demo: true });
const { base, rssMiB } = server;

const counts = {};
const latencies = [];
let n = 0;
async function call(url, init = {}) {
  const started = performance.now();
  try {
    const res = await fetch(base + url, init);
    await res.arrayBuffer();
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    latencies.push(performance.now() - started);
    return res;
  } catch {
    counts.network = (counts.network ?? 0) + 1;
    return null;
  }
}
const form = (fields) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...(fields.cookie ? { cookie: fields.cookie } : {}), 'x-forwarded-for': fields.from },
  body: new URLSearchParams(fields.body).toString(),
});
const cookieOf = (res) => (res?.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');

async function signIn(realm, email, password, from) {
  const res = await call(`/api/${realm}/login`, form({ body: { email, password }, from }));
  return cookieOf(res);
}

/** The demo's approved residents: [id, email]. */
async function approvedResidents() {
  const staff = await signIn('admin', 'carmen.reyes@cenro.sanpedro.example', 'eko demo staff password', '198.18.1.1');
  const found = [];
  for (let page = 1; page < 20; page++) {
    const res = await fetch(base + '/api/admin/residents', form({ cookie: staff, from: '198.18.1.1', body: { status: 'approved', page: String(page) } }));
    const items = (await res.json()).items ?? [];
    if (items.length === 0) break;
    for (const r of items) found.push([r.id, r.email]);
  }
  return found;
}
let residents = [];

async function worker(id, deadline) {
  const from = `198.18.0.${id + 1}`;
  const someone = (k) => residents[k % residents.length];
  let resident = await signIn('user', someone(id)[1], 'eko demo resident password', from);
  const staff = await signIn('admin', 'carmen.reyes@cenro.sanpedro.example', 'eko demo staff password', from);
  while (performance.now() < deadline) {
    n += 1;
    const pick = Math.random();
    if (pick < 0.1) {
      resident = await signIn('user', someone(id + n)[1], 'eko demo resident password', from);
    } else if (pick < 0.6) {
      await call('/dashboard', { headers: { cookie: resident } });
    } else if (pick < 0.8) {
      await call('/api/admin/record_collection', form({
        cookie: staff, from, body: { resident_id: String(someone(id + n)[0]), waste_type_id: '1', kg: '1.5', idempotency_key: `soak-${id}-${n}-key` },
      }));
    } else if (pick < 0.9) {
      await call('/admin', { headers: { cookie: staff } });
    } else {
      const abort = new AbortController();
      const stream = fetch(base + '/api/user/events', { headers: { cookie: resident }, signal: abort.signal }).catch(() => {});
      await sleep(1000);
      abort.abort();
      await stream;
    }
  }
}

try {
  residents = await approvedResidents();
  if (residents.length === 0) throw new Error('no demo residents');
  const idleBefore = rssMiB();
  const end = performance.now() + minutes * 60_000;
  let warm = null;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB());
  }, 200);
  setTimeout(() => (warm = rssMiB()), Math.min(30_000, minutes * 60_000 / 4));
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id, end)));
  clearInterval(sampler);
  await sleep(15_000);
  const after = rssMiB();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.floor(p * (latencies.length - 1))].toFixed(1);
  const errors = Object.entries(counts).filter(([s]) => s === 'network' || Number(s) >= 500).reduce((a, [, c]) => a + c, 0);
  console.log(`| soak | ${minutes} min, ${concurrency} clients, ${latencies.length} requests |`);
  console.log(`| answers | ${Object.entries(counts).map(([s, c]) => `${c}× ${s}`).join(', ')} |`);
  console.log(`| latency p50 / p99 | ${q(0.5)} ms / ${q(0.99)} ms |`);
  console.log(`| RSS idle before / warm / peak | ${idleBefore.toFixed(0)} / ${warm?.toFixed(0)} / ${peak.toFixed(0)} MiB |`);
  console.log(`| RSS 15 s after | ${after.toFixed(0)} MiB (target ≤ 1.5× warm) |`);
  if (errors > 0 || after > 1.5 * warm) process.exitCode = 1;
} finally {
  await server.stop();
}
