// Two-step sign-in in the browser: set up with the key the page shows (the
// test computes the codes an authenticator app would), then sign in with
// password and code. The staff session in the same browser is not touched.
import { expect, test } from '@playwright/test';
import {
  RESIDENT_PASSWORD,
  approvedResident,
  expectAdminStillSignedIn,
  hydrated,
  signInAdmin,
  signInResident,
  signOut,
  totpCode as code,
} from './fixtures';

test('a resident sets up two-step sign-in and signs in with password and code', async ({ context, baseURL }) => {
  const email = await approvedResident(baseURL!);
  const console = await context.newPage();
  await signInAdmin(console);
  const page = await context.newPage();
  await signInResident(page, email);

  await page.goto('/account');
  await hydrated(page);
  const panel = page.getByTestId('two-step-panel');
  await panel.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  await expect(panel.getByRole('img', { name: /QR code/ })).toBeVisible();
  const key = (await panel.getByTestId('two-step-key').textContent())!;
  await panel.getByLabel('Code from the app').fill(code(key));
  await panel.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  const codes = page.getByTestId('recovery-codes');
  await expect(codes.locator('li')).toHaveCount(10);
  // A reload does not lose them; saying they are saved does.
  await page.reload();
  await expect(codes.locator('li')).toHaveCount(10);
  await codes.getByRole('button', { name: 'I have saved them' }).click();
  await expect(codes).toHaveCount(0);
  await expect(panel.getByTestId('two-step-on')).toBeVisible();
  await expect(panel.getByTestId('two-step-key')).toHaveCount(0);

  await signOut(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(RESIDENT_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Enter your code' })).toBeVisible();
  await expect(page.getByLabel('Code')).toHaveAttribute('autocomplete', 'one-time-code');
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('That code is not right.', { exact: false })).toBeVisible();
  // The set-up used this step's code: the app's next one signs in.
  await page.getByLabel('Code').fill(code(key, 1));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);

  await expectAdminStillSignedIn(console);
});
