// Pages that react in place (the live session state): a realm's open pages follow that
// realm's session without a reload; the other realm's pages do not move.
import { expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL,
  approvedResident,
  expectAdminStillSignedIn,
  hydrated,
  live,
  RESIDENT_PASSWORD,
  signInAdmin,
  signInResident,
  signOut,
} from './fixtures';

/** Milliseconds from `since` until `condition` holds (polled every 5 ms by Playwright). */
async function msUntil(since: number, condition: () => Promise<void>): Promise<number> {
  await condition();
  return Date.now() - since;
}

test('sign-out in one tab turns the other tab of the realm into a notice, in place; the console does not move', async ({
  context,
  baseURL,
}) => {
  const email = await approvedResident(baseURL!);
  const consolePage = await context.newPage();
  await signInAdmin(consolePage);
  const tabA = await context.newPage();
  await signInResident(tabA, email);
  const tabB = await context.newPage();
  await tabB.goto('/dashboard');
  await hydrated(tabB);
  await expect(tabB.getByTestId('signed-in-email')).toHaveText(email);
  const consoleBefore = await consolePage.locator('body').innerHTML();
  await tabB.evaluate(() => ((window as any).__sameDocument = true));

  const started = Date.now();
  await signOut(tabA);
  const latency = await msUntil(started, () =>
    expect(tabB.getByRole('alert')).toHaveText('You signed out in another tab.'),
  );
  console.log(`[latency] sign-out → notice in another tab: ${latency} ms`);

  // In place: same document, same URL, and no private data left in the DOM.
  expect(await tabB.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(tabB).toHaveURL(/\/dashboard$/);
  expect(await tabB.locator('body').innerText()).not.toContain(email);
  await expect(tabB.getByLabel('Email')).toBeVisible();

  // The console tab did not change at all, and still works.
  expect(await consolePage.locator('body').innerHTML()).toBe(consoleBefore);
  await expectAdminStillSignedIn(consolePage);
});

test('signing in again in another tab brings the page back in place', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const tabA = await context.newPage();
  await signInResident(tabA, email);
  const tabB = await context.newPage();
  await tabB.goto('/dashboard');
  await hydrated(tabB);
  await tabB.evaluate(() => ((window as any).__sameDocument = true));

  await signOut(tabA);
  await expect(tabB.getByRole('alert')).toHaveText('You signed out in another tab.');

  await tabA.bringToFront();
  await tabA.goto('/login');
  await hydrated(tabA);
  await tabA.getByLabel('Email').fill(email);
  await tabA.getByLabel('Password').fill(RESIDENT_PASSWORD);
  const started = Date.now();
  await tabA.getByRole('button', { name: 'Sign in', exact: true }).click();
  const latency = await msUntil(started, () => expect(tabB.getByTestId('signed-in-email')).toHaveText(email));
  console.log(`[latency] sign-in → page back in another tab: ${latency} ms`);
  await expect(tabB.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(tabB.getByRole('alert')).toHaveCount(0);
  expect(await tabB.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('signing in from the notice restores the page the user was on', async ({ context }) => {
  const tabA = await context.newPage();
  await signInAdmin(tabA);
  const tabB = await context.newPage();
  await tabB.goto('/admin/users');
  await hydrated(tabB);
  await tabB.evaluate(() => ((window as any).__sameDocument = true));

  await signOut(tabA);
  const notice = tabB.getByTestId('session-ended');
  await expect(notice.getByRole('alert')).toHaveText('You signed out in another tab.');
  await notice.getByLabel('Email').fill(ADMIN_EMAIL);
  await notice.getByLabel('Password').fill('console password for tests');
  await notice.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(tabB.getByRole('heading', { level: 1, name: 'Residents' })).toBeVisible();
  await expect(tabB).toHaveURL(/\/admin\/users$/);
  await expect(tabB.getByTestId('signed-in-email')).toHaveText(ADMIN_EMAIL);
  expect(await tabB.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('6.1 a resident signing out on a phone leaves the desktop alone', async ({ browser, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const phone = await browser.newContext();
  const desktop = await browser.newContext();
  const phonePage = await phone.newPage();
  await signInResident(phonePage, email);
  const desktopConsole = await desktop.newPage();
  await signInAdmin(desktopConsole);
  const desktopPage = await desktop.newPage();
  await signInResident(desktopPage, email);
  const before = await desktopPage.locator('body').innerText();
  const consoleBefore = await desktopConsole.locator('body').innerHTML();

  await signOut(phonePage);
  await expect(phonePage).toHaveURL(/\/login\?reason=signed_out$/);
  await desktopPage.waitForTimeout(500);
  // Same account, other device: its session list refreshed, nothing else.
  await expect(desktopPage.getByRole('alert')).toHaveCount(0);
  expect(await desktopPage.locator('body').innerText()).toBe(before);
  expect(await desktopConsole.locator('body').innerHTML()).toBe(consoleBefore);
  await expectAdminStillSignedIn(desktopConsole);
  await phone.close();
  await desktop.close();
});

test('a resident page in a second tab reacts even when the sign-out came from a plain request', async ({
  context,
  baseURL,
}) => {
  // No BroadcastChannel message here: only the server push can carry it.
  const email = await approvedResident(baseURL!);
  const tab = await context.newPage();
  await signInResident(tab, email);
  const started = Date.now();
  const status = await tab.evaluate(async () => (await fetch('/api/user/logout', { method: 'POST' })).status);
  expect(status).toBe(200);
  const latency = await msUntil(started, () =>
    expect(tab.getByRole('alert')).toHaveText('You signed out in another tab.'),
  );
  console.log(`[latency] server push sign-out → notice: ${latency} ms`);
  await expect(tab).toHaveURL(/\/dashboard$/);
});

test('an administrator revokes a resident session from another browser: the open dashboard says so at once', async ({
  browser,
  baseURL,
}) => {
  const email = await approvedResident(baseURL!);
  const residentBrowser = await browser.newContext();
  const office = await browser.newContext();
  const dashboard = await residentBrowser.newPage();
  await signInResident(dashboard, email);
  await dashboard.evaluate(() => ((window as any).__sameDocument = true));

  const consolePage = await office.newPage();
  await signInAdmin(consolePage);
  await consolePage.getByRole('link', { name: 'Sessions', exact: true }).click();
  await expect(consolePage.getByRole('heading', { level: 1, name: 'Sessions' })).toBeVisible();
  await live(consolePage);
  const row = consolePage.getByTestId('session-row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  // The list is live: a new sign-in elsewhere appears without a reload.
  const otherDevice = await browser.newContext();
  await signInResident(await otherDevice.newPage(), email);
  await expect(row).toHaveCount(2);
  await otherDevice.close();

  // Newest first: the other device's session goes, the dashboard's stays.
  await consolePage.bringToFront();
  await row.first().getByRole('button', { name: `Revoke session of ${email}` }).click();
  await expect(row).toHaveCount(1);
  await expect(dashboard.getByRole('alert')).toHaveCount(0);

  const started = Date.now();
  await row.getByRole('button', { name: `Revoke session of ${email}` }).click();
  const latency = await msUntil(started, () =>
    expect(dashboard.getByRole('alert')).toHaveText('An administrator ended this session.'),
  );
  console.log(`[latency] revocation in another browser → notice: ${latency} ms`);
  expect(await dashboard.evaluate(() => (window as any).__sameDocument)).toBe(true);
  expect(await dashboard.locator('body').innerText()).not.toContain(email);
  await expect(consolePage.getByTestId('session-row').filter({ hasText: email })).toHaveCount(0);
  await residentBrowser.close();
  await office.close();
});

test('the account page lists this browser and signs the others out, which react in place', async ({
  browser,
  baseURL,
}) => {
  const email = await approvedResident(baseURL!);
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signInResident(phonePage, email);
  const account = await laptop.newPage();
  await signInResident(account, email);
  await account.getByRole('link', { name: 'Account', exact: true }).click();
  await expect(account.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expect(account.getByTestId('session-row')).toHaveCount(2);
  await expect(account.locator('[data-testid=session-row][data-current=true]')).toContainText('This device');

  await account.getByRole('button', { name: 'Sign out other sessions' }).click();
  await expect(phonePage.getByRole('alert')).toHaveText('You were signed out from another device.');
  await expect(account.getByTestId('session-row')).toHaveCount(1);
  await expect(account.getByTestId('signed-in-email')).toHaveText(email);
  await laptop.close();
  await phone.close();
});

test('suspending a resident turns their open dashboard into a notice at once', async ({ browser, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const home = await browser.newContext();
  const office = await browser.newContext();
  const dashboard = await home.newPage();
  await signInResident(dashboard, email);
  const consolePage = await office.newPage();
  await signInAdmin(consolePage);
  await consolePage.getByRole('link', { name: 'Residents', exact: true }).click();
  await consolePage.getByRole('button', { name: `Suspend ${email}` }).click();
  await expect(dashboard.getByRole('alert')).toHaveText('Your account has been suspended.');
  expect(await dashboard.locator('body').innerText()).not.toContain(email);
  await consolePage.getByRole('link', { name: 'Suspended', exact: true }).click();
  await expect(consolePage.getByRole('button', { name: `Reactivate ${email}` })).toBeVisible();
  await home.close();
  await office.close();
});

test('changing the password signs the other devices out in place and keeps this one', async ({ browser, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signInResident(phonePage, email);
  const account = await laptop.newPage();
  await signInResident(account, email);
  await account.getByRole('link', { name: 'Account', exact: true }).click();
  await account.getByLabel('Current password').fill(RESIDENT_PASSWORD);
  await account.getByLabel('New password', { exact: true }).fill('a brand new river song');
  await account.getByLabel('Confirm new password').fill('a brand new river song');
  await expect(account.getByLabel('Sign out my other sessions')).toBeChecked();
  await account.getByRole('button', { name: 'Change password' }).click();
  await expect(account.getByTestId('password-changed')).toHaveText('Your password was changed.');
  await expect(phonePage.getByRole('alert')).toHaveText('Your password was changed.');
  await expect(account.getByTestId('signed-in-email')).toHaveText(email);
  await expect(account.getByTestId('session-row')).toHaveCount(1);
  await laptop.close();
  await phone.close();
});

test('a live refresh keeps what was typed: the page is not rebuilt when the tab is shown again or data changes', async ({
  page,
  baseURL,
}) => {
  const email = await approvedResident(baseURL!);
  await signInResident(page, email);
  await page.getByRole('link', { name: 'Account', exact: true }).click();
  await hydrated(page);
  await page.getByLabel('Current password').fill('half typed');
  // The tab is shown again: the page asks how the session stands…
  const rechecked = page.waitForResponse((r) => r.url().includes('/api/user/session'));
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await rechecked;
  // …and its data is fetched again, without rebuilding the form (a
  // rebuilt form would be empty once the refetches have settled).
  await page.waitForResponse((r) => r.url().includes('/api/user/sessions'));
  await page.waitForTimeout(1000);
  await expect(page.getByLabel('Current password')).toHaveValue('half typed');
});
