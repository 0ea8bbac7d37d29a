// Memory under a sign-in burst (security issue, item 2): 200 concurrent
// sign-ins with unknown emails, each from its own client address (through
// a trusted-proxy header, so the address throttle does not turn them away
// before the password work), against the release binary at the production
// Argon2 cost (19 MiB, t=2). Records the server's RSS before, its peak
// during the burst, and 15 s after; counts the answers (401 = checked and
// refused, 503 = shed with Retry-After when the queue wait ran out).
//
//   make release && node bench/signin_memory.mjs [concurrent=200] [port=3105]
import { sleep, startServer } from './server.mjs';

const concurrent = Number(process.argv[2] ?? 200);
const port = Number(process.argv[3] ?? 3105);
const server = await startServer(port);
const { base, rssMiB } = server;

try {
  await sleep(1000);
  const before = rssMiB();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB());
  }, 20);
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: concurrent }, (_, n) =>
      fetch(`${base}/api/user/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `198.18.${n >> 8}.${n & 255}`,
        },
        body: `email=nobody${n}%40example.ph&password=not+the+password+at+all`,
      }).then((r) => r.status, () => 0),
    ),
  );
  const burstSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await sleep(15_000);
  const after = rssMiB();
  const counts = {};
  for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
  console.log(`| concurrent sign-ins | ${concurrent} |`);
  console.log(`| answers | ${Object.entries(counts).map(([s, n]) => `${n}× ${s}`).join(', ')} |`);
  console.log(`| burst took | ${burstSeconds.toFixed(1)} s |`);
  console.log(`| RSS before | ${before.toFixed(0)} MiB |`);
  console.log(`| RSS peak | ${peak.toFixed(0)} MiB (target ≤ 400) |`);
  console.log(`| RSS 15 s after | ${after.toFixed(0)} MiB (target ≤ 2× before) |`);
  if (peak > 400 || after > 2 * before) process.exitCode = 1;
} finally {
  await server.stop();
}
