// The programme's main journey (issue 5): a resident registers and is
// approved, staff record a collection, the resident's open dashboard shows
// the points without a reload, the resident redeems a reward, staff hand it
// over and the resident is told.
import { expect, request, test } from '@playwright/test';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  RESIDENT_PASSWORD,
  approvedResident,
  hydrated,
  live,
  signInAdmin,
  signInResident,
  uniqueEmail,
} from './fixtures';

test('register, approve, record a collection, see the points live, redeem, hand over', async ({ browser, baseURL }) => {
  const email = uniqueEmail('programme');
  const rewardName = `Eco bag ${Date.now()}`;
  // The catalogue entry the resident will redeem (the rewards page has its own test below).
  const api = await request.newContext({ baseURL });
  await api.post('/api/admin/login', { form: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  const saved = await api.post('/api/admin/save_reward', {
    form: { name: rewardName, description: 'Woven market bag', cost_points: '100', stock: '5', active: 'on' },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  await api.dispose();

  const residentContext = await browser.newContext({ baseURL });
  const staffContext = await browser.newContext({ baseURL });
  const resident = await residentContext.newPage();
  const staff = await staffContext.newPage();

  await resident.goto('/register');
  await hydrated(resident);
  await resident.getByLabel('Name').fill('Lorna Bautista');
  await resident.getByLabel('Email').fill(email);
  await resident.getByLabel('Password').fill(RESIDENT_PASSWORD);
  await resident.getByLabel('Barangay').selectOption({ label: 'Cuyab' });
  await resident.getByRole('button', { name: 'Create account' }).click();
  await expect(resident.getByRole('status')).toContainText('waiting for approval');

  await signInAdmin(staff);
  await staff.getByRole('link', { name: 'Residents', exact: true }).click();
  await staff.getByTestId('pending-row').filter({ hasText: email }).getByRole('button', { name: `Approve ${email}` }).click();
  await expect(staff.getByTestId('pending-row').filter({ hasText: email })).toHaveCount(0);

  await signInResident(resident, email);
  await expect(resident.getByTestId('points-balance')).toHaveText('0');
  await resident.evaluate(() => ((window as any).__sameDocument = true));

  // Staff find the resident and record 12.35 kg of PET bottles (10 points/kg).
  await staff.bringToFront();
  await staff.getByLabel('Search').fill(email);
  await staff.getByRole('button', { name: 'Search' }).click();
  await staff.getByRole('link', { name: 'Lorna Bautista' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Lorna Bautista' })).toBeVisible();
  await hydrated(staff);
  await staff.getByLabel('Waste type').selectOption({ label: 'PET bottles · 10 points/kg' });
  await staff.getByLabel('Weight (kg)').fill('12.35');
  await staff.getByRole('button', { name: 'Record collection' }).click();
  await expect(staff.getByText('+123 points').first()).toBeVisible();

  // The resident's open dashboard follows, in place.
  await expect(resident.getByTestId('points-balance')).toHaveText('123');
  expect(await resident.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(resident.getByText('12.35 kg').first()).toBeVisible();

  // The resident redeems the reward.
  await resident.bringToFront();
  await resident.getByRole('link', { name: 'Rewards', exact: true }).click();
  await expect(resident.getByRole('heading', { level: 1, name: 'Rewards' })).toBeVisible();
  await resident.getByRole('button', { name: `Redeem ${rewardName}` }).click();
  await expect(resident.getByTestId('redeem-success')).toContainText(rewardName);
  await expect(resident.getByTestId('points-balance')).toHaveText('23');
  await expect(resident.getByTestId('redemption-row').filter({ hasText: rewardName })).toBeVisible();

  // Staff hand it over; the resident is told on the dashboard.
  await staff.bringToFront();
  await staff.getByRole('link', { name: 'Rewards', exact: true }).click();
  await hydrated(staff);
  await staff.getByRole('button', { name: `Mark handed over: ${rewardName} for Lorna Bautista` }).click();
  await expect(staff.getByRole('button', { name: `Mark handed over: ${rewardName} for Lorna Bautista` })).toHaveCount(0);

  await resident.bringToFront();
  await resident.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await live(resident);
  await expect(resident.getByText(`Your reward ${rewardName} was handed over`)).toBeVisible();
  await residentContext.close();
  await staffContext.close();
});

test('a resident cannot redeem what they cannot afford, and is told why', async ({ page, baseURL }) => {
  const api = await request.newContext({ baseURL });
  await api.post('/api/admin/login', { form: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  const name = `Solar lamp ${Date.now()}`;
  await api.post('/api/admin/save_reward', { form: { name, cost_points: '2500', stock: '2', active: 'on' } });
  await api.dispose();
  const email = await approvedResident(baseURL!);
  await signInResident(page, email);
  await page.goto('/rewards');
  await hydrated(page);
  await expect(page.getByRole('button', { name: `Redeem ${name}` })).toBeDisabled();
  await expect(page.getByTestId('reward-card').filter({ hasText: name })).toContainText('You need 2,500 more points');
});

test('a super admin adds staff with a temporary password, which must be changed at first sign-in', async ({
  browser,
  baseURL,
}) => {
  const chief = await browser.newPage({ baseURL });
  await signInAdmin(chief);
  await chief.getByRole('link', { name: 'Staff', exact: true }).click();
  await expect(chief.getByRole('heading', { level: 1, name: 'Staff' })).toBeVisible();
  await hydrated(chief);
  const email = uniqueEmail('staff');
  const form = chief.locator('form').filter({ has: chief.getByRole('button', { name: 'Create account' }) });
  await form.getByLabel('Name').fill('Noel Pascual');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption({ label: 'Operations manager' });
  await form.getByRole('button', { name: 'Create account' }).click();
  const temporary = (await chief.getByTestId('temporary-password-value').innerText()).trim();
  expect(temporary.length).toBeGreaterThanOrEqual(16);

  const newcomer = await browser.newPage({ baseURL });
  await newcomer.goto('/admin/login');
  await hydrated(newcomer);
  await newcomer.getByLabel('Email').fill(email);
  await newcomer.getByLabel('Password').fill(temporary);
  await newcomer.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(newcomer).toHaveURL(/\/admin\/account\?required=1$/);
  await expect(newcomer.getByTestId('password-change-required')).toBeVisible();
  // Nothing else opens until the password is changed.
  await newcomer.goto('/admin/collections');
  await expect(newcomer).toHaveURL(/\/admin\/account\?required=1$/);
  await hydrated(newcomer);
  await newcomer.getByLabel('Current password').fill(temporary);
  await newcomer.getByLabel('New password', { exact: true }).fill('noel chooses his own passphrase');
  await newcomer.getByLabel('Confirm new password').fill('noel chooses his own passphrase');
  await newcomer.getByRole('button', { name: 'Change password' }).click();
  await expect(newcomer).toHaveURL(/\/admin$/);
  await expect(newcomer.getByRole('heading', { level: 1, name: 'Console' })).toBeVisible();
});
