// Benchmark: how long an open page takes to react in place to its realm's
// session changing in another tab of the same browser.
//   sign-out in tab A  → tab B shows the notice
//   sign-in  in tab A  → tab B shows the page again
// Runs a throw-away server (end2end/serve.sh) and prints median and p95.
// Usage: node bench/live_latency.mjs [rounds=30] [port=3104]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../end2end/package.json'));
const { chromium, request } = require('@playwright/test');

const rounds = Number(process.argv[2] ?? 30);
const port = Number(process.argv[3] ?? 3104);
const base = `http://127.0.0.1:${port}`;
const password = 'bright mango season';

const server = spawn('bash', [path.join(here, '../end2end/serve.sh'), String(port)], { stdio: 'ignore' });
const stop = () => server.kill();
process.on('exit', stop);

async function waitReady() {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function resident(email) {
  const api = await request.newContext({ baseURL: base });
  await api.post('/api/user/register', { form: { name: 'Bench Resident', email, password, barangay: '1' } });
  await api.post('/api/admin/login', {
    form: { email: 'chief@cenro.example.ph', password: 'console password for tests' },
  });
  const pending = await (await api.post('/api/admin/pending_residents', { form: {} })).json();
  const row = pending.items.find((r) => r.email === email);
  await api.post('/api/admin/approve_resident', { form: { resident_id: String(row.id) } });
  await api.dispose();
}

function summary(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  console.log(
    `| ${name} | n=${sorted.length}, median ${at(0.5)} ms, p95 ${at(0.95)} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms |`,
  );
}

await waitReady();
const email = `bench.${Date.now()}@example.ph`;
await resident(email);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext();
const tabA = await context.newPage();
const tabB = await context.newPage();
const signIn = async () => {
  await tabA.goto(`${base}/login`);
  await tabA.waitForSelector('html[data-hydrated]');
  await tabA.getByLabel('Email').fill(email);
  await tabA.getByLabel('Password').fill(password);
  const started = Date.now();
  await tabA.getByRole('button', { name: 'Sign in', exact: true }).click();
  return started;
};
await tabA.bringToFront();
await signIn();
await tabA.waitForURL(/dashboard/);
await tabB.goto(`${base}/dashboard`);
await tabB.waitForSelector('html[data-hydrated]');

const signOutToNotice = [];
const signInToPage = [];
for (let i = 0; i < rounds; i++) {
  await tabA.bringToFront();
  await tabA.goto(`${base}/dashboard`);
  await tabA.waitForSelector('html[data-hydrated]');
  let started = Date.now();
  await tabA.getByRole('button', { name: 'Sign out', exact: true }).click();
  await tabB.getByRole('alert').waitFor();
  signOutToNotice.push(Date.now() - started);

  started = await signIn();
  await tabB.getByTestId('signed-in-email').waitFor();
  signInToPage.push(Date.now() - started);
}
summary('sign-out in tab A → notice in tab B', signOutToNotice);
summary('sign-in in tab A → page back in tab B', signInToPage);
await browser.close();
stop();
