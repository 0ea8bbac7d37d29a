// A resident registers, staff approve them in the console, the resident
// signs in: the hydrated forms, end to end.
import { expect, test } from '@playwright/test';
import { RESIDENT_PASSWORD, hydrated, signInAdmin, signInResident, uniqueEmail } from './fixtures';

test('a resident registers, is approved in the console, and signs in', async ({ context }) => {
  const email = uniqueEmail('journey');
  const page = await context.newPage();
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Name').fill('Rosa Villanueva');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(RESIDENT_PASSWORD);
  await page.getByLabel('Barangay').selectOption({ label: 'Landayan' });
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status')).toContainText('waiting for approval');

  // Pending: the generic error, shown in place by the hydrated form.
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(RESIDENT_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The email or password is incorrect, or the account is not active yet.',
  );
  await expect(page).toHaveURL(/\/login/);

  const console = await context.newPage();
  await signInAdmin(console);
  await console.getByRole('link', { name: 'Residents', exact: true }).click();
  const row = console.getByTestId('pending-row').filter({ hasText: email });
  await expect(row).toContainText('Landayan');
  await row.getByRole('button', { name: `Approve ${email}` }).click();
  await expect(console.getByTestId('pending-row').filter({ hasText: email })).toHaveCount(0);

  await signInResident(page, email);
  await expect(page.getByText('Landayan').first()).toBeVisible();
  await expect(page.getByText('Welcome back, Rosa.')).toBeVisible();
});

test('registration explains what is wrong, field by field', async ({ page }) => {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('Name').fill('Rosa Villanueva');
  await page.getByLabel('Email').fill(uniqueEmail());
  await page.getByLabel('Password').fill('123456789012345');
  await page.getByLabel('Barangay').selectOption({ label: 'Poblacion' });
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#password-error')).toHaveText('A password of only digits is too easy to guess.');
});

test('a signed-out visitor of a console page returns there after signing in', async ({ page }) => {
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/admin\/login\?reason=required&next=%2Fadmin%2Fusers/);
  await hydrated(page);
  await page.getByLabel('Email').fill('chief@cenro.example.ph');
  await page.getByLabel('Password').fill('console password for tests');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Residents' })).toBeVisible();
});
