// Production mode, end to end: the release binary with EKO_PRODUCTION=true
// behind a TLS-terminating reverse proxy (as deploy/ describes), driven by
// Chromium. Checks what a browser sees (__Host- Secure cookies, HSTS, CSP,
// hydration) and that unsafe settings are refused before anything starts.
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { totpCode } from './fixtures';

const bin = path.resolve(process.env.EKO_BIN ?? '../dist/eko/eko');
const appPort = 3110;
const tlsPort = 3111;
const site = `https://127.0.0.1:${tlsPort}`;
const staffEmail = 'chief@cenro.example.ph';
const staffPassword = 'a long production passphrase';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eko-production-'));

/** Settings of a production instance; `extra` overrides them. */
function productionEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DATABASE_URL: `sqlite://${dir}/eko.db?mode=rwc`,
    EKO_PRODUCTION: 'true',
    EKO_SITE_URL: site,
    EKO_LISTEN: `127.0.0.1:${appPort}`,
    EKO_TRUSTED_PROXIES: '127.0.0.1',
    EKO_MAIL_OUTBOX: `${dir}/outbox`,
    EKO_LOG_FORMAT: 'json',
    ...extra,
  };
  // Run from an unrelated folder: the release folder must need nothing else.
  return env;
}

/** A minimal TLS reverse proxy: replaces X-Forwarded-For, streams bodies. */
function startProxy(): https.Server {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`,
  ], { stdio: 'ignore' });
  const server = https.createServer(
    { key: fs.readFileSync(`${dir}/key.pem`), cert: fs.readFileSync(`${dir}/cert.pem`) },
    (req, res) => {
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: appPort,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(upstream);
    },
  );
  server.listen(tlsPort, '127.0.0.1');
  return server;
}

let app: ChildProcess | undefined;
let proxy: https.Server | undefined;

test.beforeAll(async () => {
  const created = spawnSync(bin, ['create-admin', '--email', staffEmail, '--name', 'Carmen Reyes'], {
    cwd: dir,
    env: productionEnv({ EKO_ADMIN_PASSWORD: staffPassword }),
    encoding: 'utf8',
  });
  expect(created.status, created.stderr).toBe(0);
  app = spawn(bin, ['serve'], { cwd: dir, env: productionEnv(), stdio: 'ignore' });
  proxy = startProxy();
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${appPort}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the production server did not start');
});

test.afterAll(async () => {
  app?.kill('SIGTERM');
  proxy?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test.use({ ignoreHTTPSErrors: true });

test('in production a browser signs in to the console through TLS with __Host- Secure cookies, HSTS and a nonce CSP', async ({
  page,
  context,
}) => {
  const response = await page.goto(`${site}/admin/login`);
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['content-security-policy']).not.toContain('ws:');
  expect(headers['x-content-type-options']).toBe('nosniff');

  // The release bundle hydrates (the page marks itself once the wasm runs).
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  await page.getByLabel('Email').fill(staffEmail);
  await page.getByLabel('Password').fill(staffPassword);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Production requires two-step sign-in of staff: set up before anything
  // else (the test computes the app's codes from the key on the page).
  await expect(page).toHaveURL(`${site}/admin/account?two_step=required`);
  await expect(page.getByTestId('two-step-required')).toBeVisible();
  await page.goto(`${site}/admin/users`);
  await expect(page).toHaveURL(`${site}/admin/account?two_step=required`);
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  const panel = page.getByTestId('two-step-panel');
  await panel.getByRole('button', { name: 'Set up two-step sign-in' }).click();
  const key = (await panel.getByTestId('two-step-key').textContent())!;
  await panel.getByLabel('Code from the app').fill(totpCode(key));
  await panel.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
  await page.getByTestId('two-step-done').getByRole('link', { name: 'continue to the console' }).click();
  await expect(page).toHaveURL(`${site}/admin`);
  await expect(page.getByRole('heading', { level: 1, name: 'Console' })).toBeVisible();
  await expect(page.getByTestId('signed-in-email')).toHaveText(staffEmail);

  const cookies = await context.cookies(site);
  const admin = cookies.find((c) => c.name === '__Host-eko_admin');
  expect(admin, JSON.stringify(cookies.map((c) => c.name))).toBeTruthy();
  expect(admin!.secure).toBe(true);
  expect(admin!.httpOnly).toBe(true);
  expect(admin!.sameSite).toBe('Lax');
  expect(admin!.path).toBe('/');
  expect(cookies.some((c) => c.name === 'eko_admin' || c.name === 'eko_user')).toBe(false);

  // The session is live through the proxy: signing out reaches the server.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/login/);
});

test('production mode refuses an http:// site URL, weak password hashing and the demo data', () => {
  const run = (args: string[], extra: Record<string, string>) =>
    spawnSync(bin, args, { cwd: dir, env: productionEnv({ EKO_LISTEN: '127.0.0.1:0', ...extra }), encoding: 'utf8', timeout: 20_000 });

  const plain = run(['serve'], { EKO_SITE_URL: 'http://eko.example.ph' });
  expect(plain.status).not.toBe(0);
  expect(plain.stderr).toContain('https://');

  const weak = run(['serve'], { EKO_ARGON2_MEMORY_KIB: '1024', EKO_ARGON2_ITERATIONS: '1' });
  expect(weak.status).not.toBe(0);
  expect(weak.stderr).toContain('Argon2');

  const demo = run(['demo'], { DATABASE_URL: `sqlite://${dir}/demo.db?mode=rwc` });
  expect(demo.status).not.toBe(0);
  expect(demo.stderr).toContain('refused in production');
  expect(fs.existsSync(`${dir}/demo.db`)).toBe(false);
});
