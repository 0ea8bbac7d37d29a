import { startServer, signIn, DEMO_STAFF } from '../bench/server.mjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
const server = await startServer(3379, { demo: true });
try {
  const cookie = await signIn(server.base, 'admin', ...DEMO_STAFF);
  for (const path of ['/admin', '/admin', '/api/admin/programme_figures']) {
    const st0 = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const method = path.startsWith('/api') ? ['-s', '/tmp/post.lua'] : [];
    const r = spawnSync('wrk', ['-t2', '-c32', '-d6s', '-H', `Cookie: ${cookie}`, ...method, server.base + path], { encoding: 'utf8' });
    const st1 = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const reqs = Number(/(\d+) requests in/.exec(r.stdout)[1]);
    const u = (st1[11] - st0[11]) * 10000 / reqs, s = (st1[12] - st0[12]) * 10000 / reqs;
    console.log(path, /Requests\/sec:\s+(\S+)/.exec(r.stdout)[1], 'user µs', u.toFixed(0), 'sys µs', s.toFixed(0), /Non-2xx.*/.exec(r.stdout)?.[0] ?? '');
  }
} finally { await server.stop(); }
