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
  newStaffMember,
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
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm it is you' })).toBeVisible();
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

test('staff sign in with a code, and a super admin resetting a lost phone signs their open console out in place', async ({
  browser,
  baseURL,
}) => {
  // A new staff member (temporary password, changed at first sign-in).
  const password = 'noel chooses his own passphrase';
  const memberContext = await browser.newContext({ baseURL });
  const { page: member, email } = await newStaffMember(memberContext, baseURL!, 'Noel Pascual', password);

  // Sets up two-step sign-in, then signs in in two steps.
  await member.goto('/admin/account');
  await hydrated(member);
  const panel = member.getByTestId('two-step-panel');
  await panel.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const key = (await panel.getByTestId('two-step-key').textContent())!;
  await panel.getByLabel('Code from the app').fill(code(key));
  await panel.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await member.getByTestId('recovery-codes').getByRole('button', { name: 'I have saved them' }).click();
  await expect(member.getByTestId('recovery-codes')).toHaveCount(0);
  await signOut(member);
  await member.getByLabel('Email').fill(email);
  await member.getByLabel('Password').fill(password);
  await member.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(member).toHaveURL(/\/admin\/login\/code$/);
  await member.getByLabel('Code').fill(code(key, 1));
  await member.getByRole('button', { name: 'Verify' }).click();
  await expect(member).toHaveURL(/\/admin$/);
  await expect(member.getByTestId('signed-in-email')).toHaveText(email);

  // The phone is lost: a super admin resets it from the staff list.
  const chief = await browser.newPage({ baseURL });
  await signInAdmin(chief);
  await chief.goto('/admin/admins');
  await hydrated(chief);
  await chief.getByRole('button', { name: `Reset two-step sign-in of ${email}` }).click();
  await expect(chief.getByText('two-step sign-in was reset', { exact: false })).toBeVisible();
  // The member's open console reacts without a reload.
  await expect(member.getByTestId('session-notice')).toHaveText('An administrator ended this session.');
  // Their password alone signs in now (to set it up again, if required).
  await member.goto('/admin/login');
  await hydrated(member);
  await member.getByLabel('Email').fill(email);
  await member.getByLabel('Password').fill(password);
  await member.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(member).toHaveURL(/\/admin$/);
});
