// Open event streams (speed issue, target 4): 10,000 streams of the user
// realm held open against the release binary, spread over as many sessions
// as the per-session cap needs (8 each: 1,250 sessions) and over as many
// client addresses (through the trusted-proxy header) so that the
// per-address cap of a real deployment is not what is measured. Reports the
// server's RSS before and with the streams, its CPU while they idle, how
// long opening them took, and how fast a session's end reaches its own
// streams (one sign-out) and everyone's (staff sign out all residents).
//
//   make release && node bench/streams.mjs [streams=10000] [port=3109]
import http from 'node:http';
import { DEMO_RESIDENT, DEMO_STAFF, signIn, sleep, startServer } from './server.mjs';

const total = Number(process.argv[2] ?? 10000);
const port = Number(process.argv[3] ?? 3109);
const perSession = 8;
const sessions = Math.ceil(total / perSession);
// Cheap hashing: this measures streams, not the 1,250 sign-ins before them.
const server = await startServer(port, {
  demo: true,
  env: { EKO_ARGON2_MEMORY_KIB: '1024', EKO_ARGON2_ITERATIONS: '1' },
});
const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** Opens one stream; resolves once `hello` arrived. `onEvent(name)` hears the rest. */
function openStream(cookie, from, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/api/user/events', agent: false, headers: { cookie, 'x-forwarded-for': from, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`stream answered ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const name = /^event: (\w+)/m.exec(buffer.slice(0, end))?.[1];
            buffer = buffer.slice(end + 2);
            if (name === 'hello') resolve(req);
            else if (name) onEvent(name);
          }
        });
      },
    );
    req.on('error', reject);
  });
}

let ended = 0;
let lastEnded = 0;
const endedBySession = new Map();
try {
  // The demo's approved residents, each signed in again and again (one
  // browser after another, each from its own address), as many sessions
  // as the streams need: a sign-in per account at a time, as people do.
  const staff = await signIn(server.base, 'admin', ...DEMO_STAFF, '10.255.255.254');
  const residents = [];
  for (let page = 1; ; page++) {
    const res = await fetch(`${server.base}/api/admin/residents`, {
      method: 'POST',
      headers: { cookie: staff, 'x-forwarded-for': '10.255.255.254', 'content-type': 'application/x-www-form-urlencoded' },
      body: `status=approved&page=${page}`,
    });
    const { items } = await res.json();
    residents.push(...items.map((r) => r.email));
    if (items.length === 0 || residents.length >= 1000) break;
  }
  const t0 = performance.now();
  const cookies = [];
  while (cookies.length < sessions) {
    const round = residents.slice(0, sessions - cookies.length).map((email, k) =>
      signIn(server.base, 'user', email, DEMO_RESIDENT[1], address(cookies.length + k)),
    );
    cookies.push(...(await Promise.all(round)));
  }
  const signInSeconds = (performance.now() - t0) / 1000;
  await sleep(2000);
  const rssBefore = server.rssMiB();

  const t1 = performance.now();
  const streams = [];
  for (let s = 0; s < sessions; s += 25) {
    const batch = [];
    for (let k = s; k < Math.min(s + 25, sessions); k++) {
      for (let n = 0; n < perSession && k * perSession + n < total; n++) {
        batch.push(
          openStream(cookies[k], address(k), (name) => {
            if (name !== 'ended') return;
            ended += 1;
            lastEnded = performance.now();
            endedBySession.set(k, (endedBySession.get(k) ?? 0) + 1);
          }),
        );
      }
    }
    streams.push(...(await Promise.all(batch)));
  }
  const openSeconds = (performance.now() - t1) / 1000;
  await sleep(3000);
  const rssWith = server.rssMiB();
  const cpu0 = server.cpuSeconds();
  await sleep(10000);
  const idleCpu = server.cpuSeconds() - cpu0;

  // One sign-out: how fast its own streams hear it.
  const t2 = performance.now();
  const out = await fetch(`${server.base}/api/user/logout`, {
    method: 'POST',
    headers: { cookie: cookies[0], 'x-forwarded-for': address(0), 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  if (out.status >= 400) throw new Error(`sign-out answered ${out.status}`);
  while ((endedBySession.get(0) ?? 0) < perSession && performance.now() - t2 < 10000) await sleep(1);
  const oneSessionMs = (endedBySession.get(0) ?? 0) >= perSession ? performance.now() - t2 : NaN;

  // Staff sign out every resident: every other stream hears it.
  const before = ended;
  const t3 = performance.now();
  const revoke = await fetch(`${server.base}/api/admin/revoke_realm_sessions`, {
    method: 'POST',
    headers: { cookie: staff, 'x-forwarded-for': '10.255.255.254', 'content-type': 'application/x-www-form-urlencoded' },
    body: 'realm=user',
  });
  if (revoke.status !== 200) throw new Error(`revoke answered ${revoke.status} ${await revoke.text()}`);
  const expected = total - perSession;
  while (ended - before < expected && performance.now() - t3 < 30000) await sleep(5);
  const everyoneMs = ended - before >= expected ? lastEnded - t3 : NaN;
  for (const req of streams) req.destroy();

  const rows = [
    ['streams open', `${streams.length} over ${sessions} sessions of ${residents.length} residents`, ''],
    ['sign-ins before them', `${signInSeconds.toFixed(1)} s`, ''],
    ['opening them', `${openSeconds.toFixed(1)} s`, ''],
    ['RSS before / with the streams', `${rssBefore.toFixed(0)} / ${rssWith.toFixed(0)} MiB`, '≤ 256 MB with'],
    ['per stream', `${(((rssWith - rssBefore) * 1024) / streams.length).toFixed(1)} KiB`, ''],
    ['CPU while idle, 10 s', `${idleCpu.toFixed(2)} s`, '0'],
    ['a sign-out reaches its session\'s 8 streams', `${oneSessionMs.toFixed(1)} ms`, '≤ 50 ms'],
    [`"sign out all residents" reaches ${expected} streams`, `${everyoneMs.toFixed(0)} ms`, ''],
  ];
  console.log('| streams | measured | target |\n|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  const failed = !(rssWith <= 256 / 1.048576) || !(oneSessionMs <= 50) || idleCpu > 0.05;
  process.exitCode = failed ? 1 : 0;
} finally {
  await server.stop();
}
