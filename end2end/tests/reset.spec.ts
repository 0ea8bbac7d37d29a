// Password reset through the mail outbox (original guide 3.1, 3.2, 3.3): a
// reset never signs anybody in, and never moves the other realm.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Page, expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL,
  approvedResident,
  expectAdminStillSignedIn,
  expectResidentStillSignedIn,
  hydrated,
  signInAdmin,
  signInResident,
} from './fixtures';

const outbox = path.join(__dirname, '..', '.state', `outbox-${process.env.EKO_E2E_PORT ?? 3100}`);

/** The `.eml` files addressed to `email`, oldest first. */
function mailsTo(email: string): string[] {
  if (!fs.existsSync(outbox)) return [];
  return fs
    .readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => path.join(outbox, name))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs)
    .map((file) => fs.readFileSync(file, 'utf8'))
    .filter((text) => text.split(/\r?\n/).some((line) => line.startsWith('To:') && line.includes(email)));
}

/** Asks for a reset link on the realm's page, then reads it from the outbox. */
async function requestReset(page: Page, realmPath: '' | '/admin', email: string): Promise<string> {
  const before = mailsTo(email).length;
  await page.bringToFront();
  await page.goto(`${realmPath}/password-reset`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByTestId('reset-sent')).toBeVisible();
  await expect.poll(() => mailsTo(email).length).toBe(before + 1);
  const mail = mailsTo(email)[before];
  const link = mail.match(/https?:\/\/\S+\/confirm\?token=[\w-]+/);
  expect(link, mail).toBeTruthy();
  return link![0];
}

/** Opens the mailed link and sets the new password. */
async function setNewPassword(page: Page, link: string, password: string, signOutOthers: boolean) {
  await page.bringToFront();
  await page.goto(link);
  await expect(page).toHaveURL(/\/password-reset\/confirm$/); // the token left the address bar
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Set new password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  const option = page.getByLabel('Sign out my other sessions');
  await expect(option).toBeChecked(); // ticked by default
  if (!signOutOthers) await option.uncheck();
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?reason=password_reset$|\/admin\/login\?reason=password_reset$/);
  await expect(page.getByTestId('sign-in-reason')).toHaveText(
    'Your password was changed. Sign in with your new password.',
  );
}

test('3.1 reset from another browser: unticked the tab stays signed in; ticked it reacts in place', async ({
  browser,
  baseURL,
}) => {
  const email = await approvedResident(baseURL!);
  const laptop = await browser.newContext({ baseURL });
  const phone = await browser.newContext({ baseURL });
  const dashboard = await laptop.newPage();
  await signInResident(dashboard, email);
  const resetter = await phone.newPage();

  await setNewPassword(resetter, await requestReset(resetter, '', email), 'first new passphrase here', false);
  await expectResidentStillSignedIn(dashboard, email);

  await dashboard.evaluate(() => ((window as any).__sameDocument = true));
  await setNewPassword(resetter, await requestReset(resetter, '', email), 'second new passphrase here', true);
  await expect(dashboard.getByRole('alert')).toContainText('Your password was changed.');
  expect(await dashboard.evaluate(() => (window as any).__sameDocument)).toBe(true);
  expect(await dashboard.locator('body').innerText()).not.toContain(email);
  // The phone is not signed in by the reset; the new password works.
  await signInResident(resetter, email, 'second new passphrase here');
  await laptop.close();
  await phone.close();
});

test('3.2 a resident reset in a browser where an admin is signed in keeps the admin', async ({ page, baseURL }) => {
  const email = await approvedResident(baseURL!);
  await signInAdmin(page);
  const tab = await page.context().newPage();
  await setNewPassword(tab, await requestReset(tab, '', email), 'a reset beside the console', true);
  await expectAdminStillSignedIn(page);
});

test('3.3 resets with both realms signed in keep both, in either realm', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const consolePage = await context.newPage();
  await signInAdmin(consolePage);
  const dashboard = await context.newPage();
  await signInResident(dashboard, email);
  const tab = await context.newPage();

  await setNewPassword(tab, await requestReset(tab, '', email), 'resident side new passphrase', true);
  await expectResidentStillSignedIn(dashboard, email);
  await expectAdminStillSignedIn(consolePage);

  await setNewPassword(tab, await requestReset(tab, '/admin', ADMIN_EMAIL), 'console password for tests 2', true);
  await consolePage.goto('/admin');
  await expectAdminStillSignedIn(consolePage);
  await expectResidentStillSignedIn(dashboard, email);
  // Put the shared test admin's password back for the other tests.
  const back = await requestReset(tab, '/admin', ADMIN_EMAIL);
  await setNewPassword(tab, back, 'console password for tests', true);
});

test('a used link says so and offers a new one', async ({ page, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const link = await requestReset(page, '', email);
  await setNewPassword(page, link, 'used link passphrase one', true);
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByTestId('reset-link-problem')).toContainText('expired or was already used');
  await page.getByRole('link', { name: 'Ask for a new reset link' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
});
