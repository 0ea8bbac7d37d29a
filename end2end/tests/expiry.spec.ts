// Expiry, live: with short idle timeouts each realm's open page reacts at its
// own deadline, without a click; "Stay signed in" extends in place.
import { ChildProcess, spawn } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { approvedResident, hydrated, signInAdmin, signInResident } from './fixtures';

const port = 3102;
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess;

test.beforeAll(async () => {
  server = spawn('bash', ['./serve.sh', String(port)], {
    env: { ...process.env, EKO_USER_IDLE_TIMEOUT: '6s', EKO_ADMIN_IDLE_TIMEOUT: '12s' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('short-timeout server did not start');
});

test.afterAll(() => {
  server?.kill();
});

test.use({ baseURL: base });

test('5.1 each realm expires on its own: the resident page first, the console later, each in place', async ({
  context,
}) => {
  test.setTimeout(60_000);
  const email = await approvedResident(base);
  const portal = await context.newPage();
  await signInResident(portal, email);
  const consolePage = await context.newPage();
  await signInAdmin(consolePage);
  const signedIn = Date.now();

  await expect(portal.getByRole('alert')).toHaveText('Your session expired.', { timeout: 10_000 });
  console.log(`[latency] resident page showed expiry ${Date.now() - signedIn} ms after sign-in (idle 6 s)`);
  await expect(portal).toHaveURL(/\/dashboard$/);
  expect(await portal.locator('body').innerText()).not.toContain(email);
  // the console, same browser, has not moved
  await expect(consolePage.getByRole('alert')).toHaveCount(0);
  await expect(consolePage.getByTestId('signed-in-email')).toBeVisible();

  await expect(consolePage.getByRole('alert')).toHaveText('Your session expired.', { timeout: 15_000 });
  console.log(`[latency] console showed expiry ${Date.now() - signedIn} ms after sign-in (idle 12 s)`);

  // A full load of an expired page goes to the realm's own sign-in page
  // (the live check already cleared the cookie, so the page just asks to sign in).
  await portal.reload();
  await expect(portal).toHaveURL(/\/login\?reason=\w+&next=%2Fdashboard$/);
  await expect(portal.getByTestId('sign-in-reason')).toBeVisible();
  await consolePage.reload();
  await expect(consolePage).toHaveURL(/\/admin\/login\?reason=\w+&next=%2Fadmin$/);
});

test('"Stay signed in" extends the session in place', async ({ page }) => {
  test.setTimeout(60_000);
  const email = await approvedResident(base);
  await signInResident(page, email);
  await hydrated(page);
  const warning = page.getByTestId('expiry-warning');
  await expect(warning).toBeVisible({ timeout: 8_000 });
  await expect(warning).toContainText('about to expire');
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(warning).toHaveCount(0);
  // Past the original deadline, still signed in, same page.
  await page.waitForTimeout(4_000);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
  // Left alone, it warns again and then ends.
  await expect(warning).toBeVisible({ timeout: 8_000 });
  await expect(page.getByRole('alert')).toHaveText('Your session expired.', { timeout: 8_000 });
});
