// First and repeat visits on a phone-like link (speed issue, targets 2 and
// 3): Chromium with network emulation (1.6 Mbit/s down, 0.75 Mbit/s up,
// 150 ms round trip), cold cache, against the release binary with demo
// data. Measures bytes transferred and the time until the page has
// hydrated (`html[data-hydrated]`) for /login, then /dashboard after
// signing in, then a repeat visit of /login with the cache warm.
//
//   make release && node bench/first_visit.mjs [port=3108]
import path from 'node:path';
import { createRequire } from 'node:module';
import { startServer } from './server.mjs';

const require = createRequire(path.join(path.dirname(new URL(import.meta.url).pathname), '../end2end/package.json'));
const { chromium } = require('@playwright/test');

const port = Number(process.argv[2] ?? 3108);
const server = await startServer(port, { demo: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });

  const visit = async (label, url) => {
    bytes = 0;
    requests = 0;
    const started = performance.now();
    await page.goto(server.base + url);
    await page.waitForSelector('html[data-hydrated]', { timeout: 60_000 });
    const seconds = (performance.now() - started) / 1000;
    await page.waitForTimeout(300); // late requests of the page
    console.log(`| ${label} | ${(bytes / 1024).toFixed(0)} KB in ${requests} requests | ${seconds.toFixed(2)} s |`);
  };

  console.log('| visit (1.6 Mbit/s, 150 ms RTT) | transferred | hydrated after |');
  console.log('|---|---|---|');
  await visit('/login, cold cache', '/login');
  await page.getByLabel('Email').fill('maria.delacruz.0@example.ph');
  await page.getByLabel('Password').fill('eko demo resident password');
  bytes = 0;
  requests = 0;
  const started = performance.now();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/dashboard$/);
  await page.waitForSelector('html[data-hydrated]');
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  console.log(`| /dashboard after sign-in | ${(bytes / 1024).toFixed(0)} KB in ${requests} requests | ${((performance.now() - started) / 1000).toFixed(2)} s |`);
  await visit('/login again, warm cache', '/login');
} finally {
  await browser.close();
  await server.stop();
}
