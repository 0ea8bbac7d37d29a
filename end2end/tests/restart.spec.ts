// Robustness: an open page keeps following its session across a server
// restart (the event stream reconnects), without a reload and without a
// false alarm.
import { ChildProcess, spawn } from 'node:child_process';
import { expect, request, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, approvedResident, signInResident } from './fixtures';

const port = 3103;
const base = `http://127.0.0.1:${port}`;

async function start(keep: boolean): Promise<ChildProcess> {
  const server = spawn('bash', ['./serve.sh', String(port)], {
    env: { ...process.env, ...(keep ? { EKO_E2E_KEEP_DB: '1' } : {}) },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return server;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

function stop(server: ChildProcess) {
  try {
    process.kill(-server.pid!, 'SIGTERM');
  } catch {}
}

test.use({ baseURL: base });

test('after a server restart the open dashboard reconnects and still reacts to a revocation', async ({ page }) => {
  test.setTimeout(90_000);
  let server = await start(false);
  try {
    const email = await approvedResident(base);
    await signInResident(page, email);
    await page.evaluate(() => ((window as any).__sameDocument = true));

    stop(server);
    await page.waitForTimeout(1500);
    server = await start(true);
    // Sessions live in the database: still signed in, no notice shown.
    await page.waitForTimeout(5000);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.getByTestId('signed-in-email')).toHaveText(email);

    const api = await request.newContext({ baseURL: base });
    await api.post('/api/admin/login', { form: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    const listed = await (await api.post('/api/admin/all_sessions', { form: { realm: 'user' } })).json();
    const session = listed.items.find((s: { account_email: string }) => s.account_email === email);
    const revoked = await api.post('/api/admin/revoke_session', { form: { realm: 'user', key: session.key } });
    expect(revoked.status()).toBe(200);
    await api.dispose();

    await expect(page.getByRole('alert')).toHaveText('An administrator ended this session.', { timeout: 10_000 });
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  } finally {
    stop(server);
  }
});
