// Content without JavaScript (issue 12): every page of both realms carries
// its content in the HTML. With script off in Chromium, sign-in and the
// staff actions are plain form posts, and each page shows its heading and
// its data, never a "Loading…" placeholder waiting for script to swap it.
import { Page, expect, request, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, RESIDENT_PASSWORD, approvedResident, uniqueEmail } from './fixtures';

test.use({ javaScriptEnabled: false });

async function signIn(page: Page, path: string, email: string, password: string): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The page at `path` has its heading and no placeholder; returns the page for data checks. */
async function visit(page: Page, path: string, heading: string): Promise<Page> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: heading, exact: true }), path).toBeVisible();
  await expect(page.getByText('Loading…'), `${path} is complete without script`).toHaveCount(0);
  return page;
}

test('with JavaScript off, every page of both realms shows its heading and its data', async ({ browser, baseURL }) => {
  const email = await approvedResident(baseURL!, uniqueEmail('nojs'));
  const api = await request.newContext({ baseURL });
  await api.post('/api/admin/login', { form: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  const saved = await api.post('/api/admin/save_reward', {
    form: { name: `Tumbler ${Date.now()}`, description: 'Steel tumbler', cost_points: '100', stock: '4', active: 'on' },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  await api.dispose();

  // Staff: sign in, find the resident, record a collection, all as form posts.
  const staffContext = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const staff = await staffContext.newPage();
  await signIn(staff, '/admin/login', ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(staff).toHaveURL(/\/admin$/);

  await visit(staff, '/admin', 'Console');
  await expect(staff.getByTestId('signed-in-email')).toHaveText(ADMIN_EMAIL);
  await expect(staff.getByTestId('points-issued')).toHaveText(/\d/);
  await expect(staff.getByTestId('recent-actions')).toBeVisible();

  await visit(staff, `/admin/users?search=${encodeURIComponent(email)}`, 'Residents');
  const row = staff.getByTestId('resident-row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  await row.getByRole('link').first().click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Maria Dela Paz' })).toBeVisible();
  await expect(staff.getByTestId('points-balance')).toHaveText('0');
  const residentPath = new URL(staff.url()).pathname;
  await staff.getByLabel('Waste type').selectOption({ label: 'PET bottles · 10 points/kg' });
  await staff.getByLabel('Weight (kg)').fill('12.5');
  await staff.getByRole('button', { name: 'Record collection' }).click();
  await visit(staff, residentPath, 'Maria Dela Paz');
  await expect(staff.getByTestId('points-balance')).toHaveText('125');
  await expect(staff.getByTestId('ledger-row')).toHaveCount(1);

  await visit(staff, '/admin/collections', 'Collections');
  await expect(staff.getByTestId('collection-row').filter({ hasText: 'Maria Dela Paz' }).first()).toBeVisible();
  await expect(staff.getByTestId('waste-type-row').first()).toBeVisible();
  await visit(staff, '/admin/rewards', 'Rewards');
  await expect(staff.getByTestId('reward-card').first()).toBeVisible();
  await visit(staff, '/admin/admins', 'Staff');
  await expect(staff.getByTestId('staff-row').filter({ hasText: ADMIN_EMAIL })).toHaveCount(1);
  await visit(staff, '/admin/sessions', 'Sessions');
  await expect(staff.getByRole('table').first()).toBeVisible();
  await visit(staff, '/admin/audit', 'Audit log');
  await expect(staff.getByTestId('audit-row').first()).toBeVisible();
  await visit(staff, '/admin/account', 'Account');
  await expect(staff.getByTestId('signed-in-email')).toHaveText(ADMIN_EMAIL);
  await expect(staff.getByRole('table').first()).toBeVisible();

  // The resident, in the same browser: their own realm, their own data.
  const resident = await staffContext.newPage();
  await signIn(resident, '/login', email, RESIDENT_PASSWORD);
  await expect(resident).toHaveURL(/\/dashboard$/);
  await visit(resident, '/dashboard', 'Dashboard');
  await expect(resident.getByTestId('signed-in-email')).toHaveText(email);
  await expect(resident.getByTestId('points-balance')).toHaveText('125');
  await expect(resident.getByTestId('collection-row')).toHaveCount(1);
  await expect(resident.getByTestId('next-collections').or(resident.getByText('No collection days are set'))).toBeVisible();
  await visit(resident, '/rewards', 'Rewards');
  await expect(resident.getByTestId('points-balance')).toHaveText('125');
  await expect(resident.getByTestId('reward-card').first()).toBeVisible();
  await visit(resident, '/account', 'Account');
  await expect(resident.getByText('Maria Dela Paz').first()).toBeVisible();
  await expect(resident.getByRole('table').first()).toBeVisible();

  // The public pages of both realms.
  const visitor = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await visitor.newPage();
  await visit(page, '/', 'Recycle, earn points, get rewards');
  await visit(page, '/login', 'Sign in');
  await visit(page, '/register', 'Create an account');
  await expect(page.getByLabel('Barangay').locator('option')).not.toHaveCount(0);
  await visit(page, '/admin/login', 'Sign in');
  await visitor.close();
  await staffContext.close();
});
