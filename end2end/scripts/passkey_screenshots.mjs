// Screenshots of the passkey pieces (sign-in page, account panel with a
// passkey, staff code step offering the passkey), desktop and phone, for a
// human to look at. Run on `eko demo` data at a localhost address (browsers
// refuse passkeys on IP addresses):
//   node scripts/passkey_screenshots.mjs http://localhost:3999 <out-dir>
// Each viewport uses its own approved resident: SHOT_RESIDENT_1 and
// SHOT_RESIDENT_2 (adding a passkey changes them).
import { chromium } from '@playwright/test';

const [base = 'http://localhost:3000', out = '/tmp/shots'] = process.argv.slice(2);
const password = process.env.SHOT_RESIDENT_PASSWORD ?? 'eko demo resident password';

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
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  const shot = async (name) => {
    await page.waitForSelector('html[data-hydrated]');
    await page.screenshot({ path: `${out}/${label}-${name}.png`, fullPage: true });
  };
  await page.goto(base + '/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
  await shot('passkey-login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/dashboard/);
  await page.goto(base + '/account');
  const panel = page.getByTestId('passkeys-panel');
  await panel.getByLabel('Name of the new passkey').fill('My phone');
  await panel.getByRole('button', { name: 'Add a passkey' }).click();
  await panel.getByTestId('passkey').waitFor();
  await panel.scrollIntoViewIfNeeded();
  await shot('passkey-account');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/login/);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.waitForURL(/dashboard/);
  await shot('passkey-signed-in');
  await page.goto(base + '/admin/login');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await page.getByRole('alert').waitFor();
  await shot('passkey-refused-by-staff-page');
  await context.close();
}
await browser.close();
console.log(`screenshots in ${out}`);
