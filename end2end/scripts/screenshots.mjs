// Takes screenshots of Eko's pages as a resident and as staff, for a human
// to look at. Usage: node scripts/screenshots.mjs <base-url> <out-dir>
// The default accounts are those of `eko demo` (run it on a fresh database
// first); SHOT_* variables name others.
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '/tmp/shots'] = process.argv.slice(2);
const resident = process.env.SHOT_RESIDENT ?? 'maria.delacruz.0@example.ph';
const residentPassword = process.env.SHOT_RESIDENT_PASSWORD ?? 'eko demo resident password';
const admin = process.env.SHOT_ADMIN ?? 'carmen.reyes@cenro.sanpedro.example';
const adminPassword = process.env.SHOT_ADMIN_PASSWORD ?? 'eko demo staff password';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const [label, viewport] of [['desktop', { width: 1280, height: 860 }], ['phone', { width: 390, height: 844 }]]) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const shot = async (name) => {
    await page.waitForSelector('html[data-hydrated]');
    await page.screenshot({ path: `${out}/${label}-${name}.png`, fullPage: true });
  };
  for (const [name, path] of [['home', '/'], ['register', '/register'], ['login', '/login?reason=expired'],
    ['admin-login', '/admin/login'], ['setup', '/admin/setup'], ['not-found', '/nope'],
    ['password-reset', '/password-reset?sent=1'], ['admin-password-reset', '/admin/password-reset'],
    ['reset-link-problem', '/password-reset/confirm']]) {
    await page.goto(base + path);
    await shot(name);
  }
  await page.goto(base + '/login');
  await page.waitForSelector('html[data-hydrated]');
  await page.getByLabel('Email').fill(resident);
  await page.getByLabel('Password').fill('wrong password!!');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('alert').waitFor();
  await shot('login-error');
  await page.getByLabel('Password').fill(residentPassword);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/dashboard/);
  await shot('dashboard');
  await page.goto(base + '/rewards');
  await shot('rewards');
  await page.goto(base + '/account');
  await shot('account');
  // the notice a page shows when its session ends elsewhere
  const other = await context.newPage();
  await other.goto(base + '/dashboard');
  await other.waitForSelector('html[data-hydrated]');
  await page.bringToFront();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await other.getByRole('alert').waitFor();
  await other.screenshot({ path: `${out}/${label}-session-ended.png`, fullPage: true });
  await other.close();
  await page.goto(base + '/admin/login');
  await page.waitForSelector('html[data-hydrated]');
  await page.getByLabel('Email').fill(admin);
  await page.getByLabel('Password').fill(adminPassword);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/admin$/);
  await shot('console');
  await page.goto(base + '/admin/users');
  await shot('users');
  await page.goto(base + '/admin/users/1');
  await shot('resident-detail');
  await page.goto(base + '/admin/collections');
  await shot('collections');
  await page.goto(base + '/admin/rewards');
  await shot('admin-rewards');
  await page.goto(base + '/admin/admins');
  await shot('admins');
  await page.goto(base + '/admin/sessions');
  await shot('sessions');
  await page.goto(base + '/admin/account');
  await shot('admin-account');
  await page.goto(base + '/admin/audit');
  await shot('audit');
  await context.close();
}
await browser.close();
