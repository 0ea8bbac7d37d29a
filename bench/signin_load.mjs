// The dashboard while people sign in (speed issue, target 6): wrk on a
// signed-in /dashboard (32 kept-alive connections), first alone, then while
// 20 sign-ins a second run at the production Argon2 cost (19 MiB, 2 passes),
// each from its own client address. Reports the dashboard's latency both
// ways and what the sign-ins themselves got.
//
//   make release && node bench/signin_load.mjs [seconds=10] [port=3110]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DEMO_RESIDENT, signIn, sleep, startServer } from './server.mjs';

const seconds = Number(process.argv[2] ?? 10);
const port = Number(process.argv[3] ?? 3110);
const rate = 20;
const server = await startServer(port, { demo: true });

async function wrk(cookie) {
  const { stdout } = await promisify(execFile)('wrk', [
    '-t2', '-c32', `-d${seconds}s`, '--latency', '-H', `Cookie: ${cookie}`, `${server.base}/dashboard`,
  ]);
  const ms = (q) => {
    const [, value, unit] = new RegExp(`\\s${q}%\\s+([\\d.]+)(\\w+)`).exec(stdout);
    return Number(value) * ({ us: 0.001, ms: 1, s: 1000 }[unit] ?? 1);
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]), p50: ms(50), p99: ms(99) };
}

const pct = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? NaN;
};

try {
  const cookie = await signIn(server.base, 'user', ...DEMO_RESIDENT, '10.9.0.1');
  await wrk(cookie); // warm-up
  const alone = await wrk(cookie);

  let running = true;
  const signIns = [];
  const ticker = (async () => {
    let n = 0;
    const start = performance.now();
    while (running) {
      n += 1;
      const from = `10.8.${(n >> 8) & 255}.${n & 255}`;
      const t = performance.now();
      signIns.push(
        signIn(server.base, 'user', ...DEMO_RESIDENT, from).then(
          () => ({ ok: true, ms: performance.now() - t }),
          (e) => ({ ok: false, ms: performance.now() - t, error: String(e.message).slice(0, 40) }),
        ),
      );
      await sleep(Math.max(0, start + (n * 1000) / rate - performance.now()));
    }
  })();
  const loaded = await wrk(cookie);
  running = false;
  await ticker;
  const outcomes = await Promise.all(signIns);
  const ok = outcomes.filter((o) => o.ok);
  const ratio = loaded.p99 / alone.p99;

  const rows = [
    ['/dashboard alone', `${alone.rps.toFixed(0)} req/s, p50 ${alone.p50.toFixed(2)} ms, p99 ${alone.p99.toFixed(2)} ms`, ''],
    [`/dashboard with ${rate} sign-ins/s`, `${loaded.rps.toFixed(0)} req/s, p50 ${loaded.p50.toFixed(2)} ms, p99 ${loaded.p99.toFixed(2)} ms`, ''],
    ['dashboard p99, loaded ÷ alone', `${ratio.toFixed(2)}×`, '≤ 2×'],
    ['sign-ins', `${ok.length} of ${outcomes.length} signed in, p50 ${pct(ok.map((o) => o.ms), 50).toFixed(0)} ms, p99 ${pct(ok.map((o) => o.ms), 99).toFixed(0)} ms`, ''],
  ];
  console.log('| sign-in load | measured | target |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  process.exitCode = ratio <= 2 ? 0 : 1;
} finally {
  await server.stop();
}
