// Passkeys in the browser, with Chromium's virtual authenticator (CDP
// WebAuthn domain: a platform authenticator with user verification, as a
// phone's screen lock). Browsers refuse WebAuthn on an IP address, so these
// pages are opened at localhost (the relying party of a loopback site URL).
import { CDPSession, Page, expect, test } from '@playwright/test';
import {
  approvedResident,
  expectAdminStillSignedIn,
  hydrated,
  signInAdmin,
  newStaffMember,
  signInResident,
  signOut,
} from './fixtures';

const port = Number(process.env.EKO_E2E_PORT ?? 3100);
const site = `http://localhost:${port}`;
test.use({ baseURL: site });

type Authenticator = { cdp: CDPSession; id: string };

/** A virtual platform authenticator for `page` (a passkey's device). */
async function authenticator(page: Page): Promise<Authenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

async function credentials(device: Authenticator) {
  return (await device.cdp.send('WebAuthn.getCredentials', { authenticatorId: device.id })).credentials;
}

/** Adds a passkey named `name` on the account page the page is signed in to. */
async function addPasskey(page: Page, accountPath: string, name: string): Promise<void> {
  // WebAuthn answers only a focused document.
  await page.bringToFront();
  await page.goto(accountPath);
  await hydrated(page);
  const panel = page.getByTestId('passkeys-panel');
  await expect(panel.getByTestId('no-passkeys')).toBeVisible();
  await panel.getByLabel('Name of the new passkey').fill(name);
  await panel.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(panel.getByTestId('passkey')).toHaveCount(1);
  await expect(panel.getByTestId('passkey')).toContainText(name);
  await expect(panel.getByTestId('passkey')).toContainText('last used never');
}

test('a resident adds a passkey and signs in with it alone; the staff sign-in page refuses it', async ({
  browser,
  context,
}) => {
  const email = await approvedResident(site);
  const console = await context.newPage();
  await signInAdmin(console);
  const page = await context.newPage();
  const phone = await authenticator(page);
  await signInResident(page, email);
  // Another tab on the account page hears of the new passkey (no reload).
  const otherTab = await context.newPage();
  await otherTab.goto('/account');
  await hydrated(otherTab);
  await expect(otherTab.getByTestId('passkeys-panel').getByTestId('no-passkeys')).toBeVisible();
  await addPasskey(page, '/account', 'My phone');
  await expect(otherTab.getByTestId('passkeys-panel').getByTestId('passkey')).toContainText('My phone');
  await otherTab.close();
  const held = await credentials(phone);
  expect(held).toHaveLength(1);
  expect(held[0].isResidentCredential).toBe(true);

  // Signed out: no email, no password, only the passkey.
  await signOut(page);
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
  await page.goto('/account');
  await expect(page.getByTestId('passkeys-panel').getByTestId('passkey')).not.toContainText('last used never');

  // The same passkey (copied to a fresh browser's device) on the staff page.
  const elsewhere = await browser.newContext({ baseURL: site });
  const staffPage = await elsewhere.newPage();
  const copy = await authenticator(staffPage);
  await copy.cdp.send('WebAuthn.addCredential', { authenticatorId: copy.id, credential: held[0] });
  await staffPage.goto('/admin/login');
  await hydrated(staffPage);
  await staffPage.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(staffPage.getByRole('alert')).toHaveText('That passkey does not sign in to a staff account.');
  await expect(staffPage).toHaveURL(/\/admin\/login$/);
  expect((await elsewhere.cookies()).map((c) => c.name)).not.toContain('eko_admin');
  await elsewhere.close();

  await expectAdminStillSignedIn(console);
});

test('a staff passkey signs in in one go, and is the second step of a password sign-in', async ({ context }) => {
  const resident = await approvedResident(site);
  const residentPage = await context.newPage();
  await signInResident(residentPage, resident);
  const password = 'rosa picks a long passphrase';
  const { page, email } = await newStaffMember(context, site, 'Rosa Villanueva', password);
  const key = await authenticator(page);
  await addPasskey(page, '/admin/account', 'Office laptop');
  expect(await credentials(key)).toHaveLength(1);

  await signOut(page);
  await expect(page).toHaveURL(/\/admin\/login\?reason=signed_out$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);

  // With a password, the passkey is the second step.
  await signOut(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login\/code$/);
  await hydrated(page);
  await expect(page.getByLabel('Code')).toHaveCount(0);
  await page.getByRole('button', { name: 'Use your passkey' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);

  // Removed, it no longer signs in; the resident tab never noticed any of it.
  await page.goto('/admin/account');
  await hydrated(page);
  await page.getByTestId('passkeys-panel').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('passkeys-panel').getByTestId('no-passkeys')).toBeVisible();
  await residentPage.bringToFront();
  await residentPage.reload();
  await expect(residentPage.getByTestId('signed-in-email')).toHaveText(resident);
});
