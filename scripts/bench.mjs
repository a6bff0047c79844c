// Runs the benchmarks under bench/ (or the ones named: `npm run bench -- verify publish`), each in its own process.
// They print their figures; nothing here asserts a speed.
import { build } from 'esbuild';
import { readdirSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Bundles must live inside the package so their bare imports resolve from node_modules.
const outDir = path.join(root, 'node_modules', '.cache', 'declsign', 'bench');
mkdirSync(outDir, { recursive: true });

const wanted = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .filter((name) => wanted.length === 0 || wanted.includes(name));

let failed = 0;
for (const name of benches) {
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({ entryPoints: [path.join(root, 'bench', `${name}.ts`)], outfile, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning' });
  console.log(`\n=== bench/${name}`);
  const run = spawnSync(process.execPath, [outfile], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
