import { createHmac } from 'node:crypto';
import { APIRequestContext, BrowserContext, Page, expect, request } from '@playwright/test';

export const ADMIN_EMAIL = 'chief@cenro.example.ph';
export const ADMIN_PASSWORD = 'console password for tests';
export const RESIDENT_PASSWORD = 'bright mango season';

let counter = 0;
/** A unique resident email per call, so tests never share accounts. */
export function uniqueEmail(prefix = 'resident'): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@example.ph`;
}

/** Registers a resident and approves them through the staff API. */
export async function approvedResident(baseURL: string, email = uniqueEmail()): Promise<string> {
  const api = await request.newContext({ baseURL });
  try {
    const register = await api.post('/api/user/register', {
      form: { name: 'Maria Dela Paz', email, password: RESIDENT_PASSWORD, barangay: '5' },
    });
    expect(register.status(), await register.text()).toBe(200);
    await api.post('/api/admin/login', { form: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
    const pending = await (await api.post('/api/admin/pending_residents', { form: {} })).json();
    const row = pending.items.find((r: { email: string }) => r.email === email);
    expect(row, `pending registration for ${email}`).toBeTruthy();
    const approve = await api.post('/api/admin/approve_resident', { form: { resident_id: String(row.id) } });
    expect(approve.status()).toBe(200);
    // Leave no staff session behind: the chief's sessions would pile up
    // over the suite, and every "sign out my other sessions" ends them all.
    await api.post('/api/admin/logout', { form: {} });
  } finally {
    await api.dispose();
  }
  return email;
}

/** Waits until the page's WASM has hydrated (see App's effect). */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

export async function signInResident(page: Page, email: string, password = RESIDENT_PASSWORD): Promise<void> {
  // The acting tab is the one in front, as for a person (and background tabs
  // get throttled animation frames, which slow Playwright's clicks).
  await page.bringToFront();
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
  await live(page);
}

export async function signInAdmin(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await page.bringToFront();
  await page.goto('/admin/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Console' })).toBeVisible();
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
  await live(page);
}

export async function signOut(page: Page): Promise<void> {
  await page.bringToFront();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
}

/** The resident's dashboard still shows the same account after a reload. */
export async function expectResidentStillSignedIn(page: Page, email: string): Promise<void> {
  await page.bringToFront();
  await page.reload();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
}

/** The console still shows the same staff member, and its next action works. */
export async function expectAdminStillSignedIn(page: Page, email = ADMIN_EMAIL): Promise<void> {
  await page.bringToFront();
  await page.reload();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
  await hydrated(page);
  await page.getByRole('link', { name: 'Residents', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Residents' })).toBeVisible();
  await expect(page.getByTestId('signed-in-email')).toHaveText(email);
}

export async function cookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((c) => c.name).sort();
}

export type Api = APIRequestContext;

/** Waits until the page's realm event stream is connected. */
export async function live(page: Page): Promise<void> {
  await expect(page.locator('html[data-live=connected]')).toHaveCount(1);
}

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...text.replace(/[\s=]/g, '').toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code of `key` for the time step `steps` from now. */
export function totpCode(key: string, steps = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + steps));
  const mac = createHmac('sha1', base32(key)).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * A new staff member (created by the chief with a temporary password), signed
 * in on a new page of `context` after choosing `password`: on the console.
 */
export async function newStaffMember(
  context: BrowserContext,
  baseURL: string,
  name: string,
  password: string,
): Promise<{ page: Page; email: string }> {
  const api = await request.newContext({ baseURL });
  await api.post('/api/admin/login', { form: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  const email = uniqueEmail('staff');
  const created = await api.post('/api/admin/create_staff', { form: { email, name, role: 'operations_manager' } });
  expect(created.status(), await created.text()).toBe(200);
  const temporary = (await created.json()).temporary_password as string;
  await api.dispose();
  const page = await context.newPage();
  await page.goto('/admin/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(temporary);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/account\?required=1$/);
  await hydrated(page);
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return { page, email };
}
