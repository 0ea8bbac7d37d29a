// The audit log page: staff see who signed in, failed and signed out, and
// filter it.
import { expect, test } from '@playwright/test';
import { approvedResident, hydrated, signInAdmin, uniqueEmail } from './fixtures';

test('the audit log lists a failed sign-in and filters by kind and account', async ({ page, baseURL }) => {
  const email = await approvedResident(baseURL!, uniqueEmail('audited'));
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('definitely not it');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  await signInAdmin(page);
  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await page.getByLabel('Kind').selectOption({ label: 'Failed sign-in' });
  await page.getByLabel('Account').fill(email);
  await page.getByRole('button', { name: 'Filter' }).click();
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Failed sign-in');
  await expect(rows.first()).toContainText(email);
  await expect(rows.first()).toContainText('127.0.0.1');
});
