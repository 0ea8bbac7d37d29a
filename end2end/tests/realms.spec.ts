// The original manual test guide of the shared-session defect (guide 1.1–7.2),
// automated: residents and staff in one browser never sign each other out.
import { expect, test } from '@playwright/test';
import {
  ADMIN_EMAIL,
  approvedResident,
  expectAdminStillSignedIn,
  expectResidentStillSignedIn,
  hydrated,
  signInAdmin,
  signInResident,
  signOut,
} from './fixtures';

test('1.1 a resident signs out alone', async ({ page, baseURL }) => {
  const email = await approvedResident(baseURL!);
  await signInResident(page, email);
  await signOut(page);
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
  await expect(page.getByTestId('sign-in-reason')).toHaveText('You have signed out.');
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?reason=required/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in', exact: true })).toBeVisible();
});

test('1.2 a staff member signs out alone', async ({ page }) => {
  await signInAdmin(page);
  await signOut(page);
  await expect(page).toHaveURL(/\/admin\/login\?reason=signed_out$/);
  await expect(page.getByTestId('sign-in-reason')).toHaveText('You have signed out.');
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login\?reason=required/);
});

test('2.1 resident sign-out keeps the console signed in (two tabs, one browser)', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const console = await context.newPage();
  await signInAdmin(console);
  const portal = await context.newPage();
  await signInResident(portal, email);

  await signOut(portal);
  await expect(portal).toHaveURL(/\/login\?reason=signed_out$/);

  await expectAdminStillSignedIn(console);
  expect((await context.cookies()).map((c) => c.name)).toContain('eko_admin');
});

test('2.2 console sign-out keeps the resident signed in', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const portal = await context.newPage();
  await signInResident(portal, email);
  const console = await context.newPage();
  await signInAdmin(console);

  await signOut(console);
  await expect(console).toHaveURL(/\/admin\/login\?reason=signed_out$/);

  await expectResidentStillSignedIn(portal, email);
  expect((await context.cookies()).map((c) => c.name)).toContain('eko_user');
});

test('2.3 both signed in, resident signs out first, then staff', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const portal = await context.newPage();
  const console = await context.newPage();
  await signInResident(portal, email);
  await signInAdmin(console);

  await signOut(portal);
  await expect(portal.getByTestId('sign-in-reason')).toHaveText('You have signed out.');
  await expectAdminStillSignedIn(console);

  await signOut(console);
  await expect(console).toHaveURL(/\/admin\/login\?reason=signed_out$/);
  await expect(console.getByTestId('sign-in-reason')).toHaveText('You have signed out.');
  expect((await context.cookies()).map((c) => c.name)).not.toContain('eko_admin');
});

test('2.4 both signed in, staff signs out first, then the resident', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const portal = await context.newPage();
  const console = await context.newPage();
  await signInResident(portal, email);
  await signInAdmin(console);

  await signOut(console);
  await expect(console.getByTestId('sign-in-reason')).toHaveText('You have signed out.');
  await expectResidentStillSignedIn(portal, email);

  await signOut(portal);
  await expect(portal).toHaveURL(/\/login\?reason=signed_out$/);
  expect((await context.cookies()).map((c) => c.name)).not.toContain('eko_user');
});

test('4.1/4.2 two browsers are independent of each other', async ({ browser, baseURL }) => {
  const first = await browser.newContext();
  const second = await browser.newContext();
  const ana = await approvedResident(baseURL!);
  const ben = await approvedResident(baseURL!);
  const anaPage = await first.newPage();
  const anaConsole = await first.newPage();
  const benPage = await second.newPage();
  const benConsole = await second.newPage();
  await signInResident(anaPage, ana);
  await signInAdmin(anaConsole);
  await signInResident(benPage, ben);
  await signInAdmin(benConsole);

  await signOut(anaPage);
  await signOut(anaConsole);
  await expect(anaConsole).toHaveURL(/\/admin\/login/);

  await expectResidentStillSignedIn(benPage, ben);
  await expectAdminStillSignedIn(benConsole);
  await first.close();
  await second.close();
});

test('5.2 a deleted resident cookie leads to the sign-in page, the console stays', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const portal = await context.newPage();
  const console = await context.newPage();
  await signInResident(portal, email);
  await signInAdmin(console);

  await context.clearCookies({ name: 'eko_user' });
  await portal.goto('/dashboard');
  await expect(portal).toHaveURL(/\/login\?reason=required/);
  await expect(portal.getByTestId('sign-in-reason')).toHaveText('Please sign in to continue.');
  await expect(portal.getByText(/error/i)).toHaveCount(0);

  await expectAdminStillSignedIn(console);
});

test('5.3 closing and reopening the browser keeps both realms signed in', async ({ browser, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const before = await browser.newContext();
  await signInResident(await before.newPage(), email);
  await signInAdmin(await before.newPage());
  const saved = await before.storageState();
  const persistent = saved.cookies.filter((c) => c.name.startsWith('eko_'));
  expect(persistent.map((c) => c.name).sort()).toEqual(['eko_admin', 'eko_user']);
  for (const cookie of persistent) {
    expect(cookie.expires, `${cookie.name} must outlive the browser session`).toBeGreaterThan(Date.now() / 1000);
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
  }
  await before.close();

  const after = await browser.newContext({ storageState: saved });
  const portal = await after.newPage();
  await portal.goto('/dashboard');
  await expect(portal.getByTestId('signed-in-email')).toHaveText(email);
  const console = await after.newPage();
  await console.goto('/admin');
  await expect(console.getByTestId('signed-in-email')).toHaveText(ADMIN_EMAIL);
  await after.close();
});

test('7.1 signing out in two tabs at once succeeds in both, without an error', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const console = await context.newPage();
  await signInAdmin(console);
  const tabA = await context.newPage();
  await signInResident(tabA, email);
  const tabB = await context.newPage();
  await tabB.goto('/dashboard');
  await hydrated(tabB);
  await expect(tabB.getByTestId('signed-in-email')).toHaveText(email);

  // Both clicks are dispatched together, before either tab can hear of the other.
  const buttons = await Promise.all(
    [tabA, tabB].map((tab) => tab.getByRole('button', { name: 'Sign out', exact: true }).elementHandle()),
  );
  await Promise.all(buttons.map((button) => button!.evaluate((b: HTMLButtonElement) => b.click())));
  for (const tab of [tabA, tabB]) {
    // Either its own sign-out landed, or it heard of the other tab's first:
    // both are a clean signed-out state, never an error.
    const signedOutPage = tab.getByTestId('sign-in-reason').filter({ hasText: 'You have signed out.' });
    const notice = tab.getByTestId('session-notice').filter({ hasText: 'You signed out in another tab.' });
    await expect(signedOutPage.or(notice)).toBeVisible();
    await expect(tab.getByText(/went wrong|error/i)).toHaveCount(0);
    await expect(tab.getByTestId('signed-in-email')).toHaveCount(0);
  }
  expect((await context.cookies()).map((c) => c.name)).not.toContain('eko_user');
  await expectAdminStillSignedIn(console);
});

test('7.2 a corrupted resident cookie gives the sign-in page with a friendly message, nothing else lost', async ({
  context,
  baseURL,
}) => {
  const email = await approvedResident(baseURL!);
  const portal = await context.newPage();
  const console = await context.newPage();
  await signInResident(portal, email);
  await signInAdmin(console);

  await context.addCookies([{ name: 'eko_user', value: 'corrupted%%value', url: baseURL! }]);
  await portal.goto('/dashboard');
  await expect(portal).toHaveURL(/\/login\?reason=ended/);
  await expect(portal.getByTestId('sign-in-reason')).toHaveText(
    'Your session has ended or is no longer valid. Please sign in again.',
  );
  await expectAdminStillSignedIn(console);

  // and the resident can simply sign in again
  await signInResident(portal, email);
});
