// Screenshots of the two-step sign-in pages (set-up, recovery codes, the
// code step), desktop and phone, for a human to look at. Run on `eko demo`
// data: node scripts/two_step_screenshots.mjs <base-url> <out-dir>
// Each viewport uses its own approved resident (turning it on changes
// them): SHOT_RESIDENT_1 and SHOT_RESIDENT_2.
import { createHmac } from 'node:crypto';
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '/tmp/shots'] = process.argv.slice(2);
const password = process.env.SHOT_RESIDENT_PASSWORD ?? 'eko demo resident password';

function code(key, steps = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...key.replace(/[\s=]/g, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + steps));
  const mac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const [n, label, viewport] of [[1, 'desktop', { width: 1280, height: 860 }], [2, 'phone', { width: 390, height: 844 }]]) {
  const email = process.env[`SHOT_RESIDENT_${n}`];
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('[console]', m.text()); });
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  const shot = async (name) => {
    await page.waitForSelector('html[data-hydrated]');
    await page.screenshot({ path: `${out}/${label}-${name}.png`, fullPage: true });
  };
  const signIn = async () => {
    await page.goto(base + '/login');
    await page.waitForSelector('html[data-hydrated]');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };
  await signIn();
  await page.waitForURL(/dashboard/);
  await page.goto(base + '/account');
  await shot('two-step-off');
  const panel = page.getByTestId('two-step-panel');
  await panel.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const key = await panel.getByTestId('two-step-key').textContent();
  await shot('two-step-setup');
  await panel.getByLabel('Code from the app').fill(code(key));
  await panel.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await page.getByTestId('recovery-codes').waitFor();
  await shot('two-step-codes');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/login/);
  await signIn();
  await page.waitForURL(/login\/code/);
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByText('That code is not right', { exact: false }).waitFor();
  await shot('two-step-code-error');
  await page.getByLabel('Code').fill(code(key, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(/dashboard/);
  await page.goto(base + '/account');
  await shot('two-step-on');
  await context.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
