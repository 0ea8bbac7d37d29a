// `make bench`: every benchmark against the release folder, one after the
// other (they share the machine's two cores, so never at once), then one
// table of everything they measured. Each script prints its own Markdown
// table; their rows are gathered here under the benchmark's name. Exits
// non-zero when a benchmark failed or missed a target it checks itself.
//
//   make release && node bench/run.mjs [quick]
// `quick` shortens the timed runs (for a smoke check, not for numbers).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const quick = process.argv[2] === 'quick';
const benches = [
  ['page throughput (wrk, 32 connections)', 'pages.mjs', [quick ? '3' : '10']],
  ['instructions per page (callgrind)', 'instructions.sh', ['', quick ? '20' : '100']],
  ['first and repeat visit on a phone link', 'first_visit.mjs', []],
  ['10,000 open event streams', 'streams.mjs', [quick ? '2000' : '10000']],
  ['dashboard under sign-in load', 'signin_load.mjs', [quick ? '3' : '10']],
  ['memory under a sign-in burst', 'signin_memory.mjs', ['200']],
  ['live reaction in another tab', 'live_latency.mjs', [quick ? '5' : '30']],
  ['soak (mixed load)', 'soak.mjs', [quick ? '0.5' : '2']],
];

const table = [];
let failed = false;
for (const [name, script, args] of benches) {
  process.stderr.write(`bench: ${script} ${args.join(' ')}\n`);
  const runner = script.endsWith('.sh') ? 'bash' : 'node';
  const run = spawnSync(runner, [path.join(here, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stderr.write(run.stdout);
  if (run.status !== 0) failed = true;
  // Table rows of the script's output; a row followed by a |---| line is a
  // header, whose names label the values of the rows under it.
  const lines = run.stdout.split('\n');
  const cells = (l) => l.slice(1, -1).split('|').map((c) => c.trim());
  const separator = (l) => /^\|[-| ]+\|$/.test(l ?? '');
  let header = null;
  let rows = 0;
  lines.forEach((line, i) => {
    if (!line.startsWith('|') || separator(line)) return;
    if (separator(lines[i + 1])) {
      header = cells(line);
      return;
    }
    const [what, ...values] = cells(line);
    const label = (k) => (header && header[k + 1] && !/^(measured|target)$/i.test(header[k + 1]) ? `${header[k + 1]} ` : '');
    const measured = values.map((v, k) => (v ? label(k) + v : '')).filter(Boolean).join(', ');
    table.push([name, what, measured || '—', run.status === 0 ? 'ok' : `exit ${run.status}`]);
    rows += 1;
  });
  if (rows === 0) table.push([name, '(no output)', '', `exit ${run.status}`]);
}

console.log(`\nEko benchmarks · ${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB\n`);
console.log('| benchmark | what | measured | status |');
console.log('|---|---|---|---|');
for (const r of table) console.log(`| ${r.join(' | ')} |`);
process.exitCode = failed ? 1 : 0;
