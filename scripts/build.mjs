// Builds every runnable piece: the CLI, the Electron main and preload, the browser-mode server and the renderer.
// esbuild bundles our TypeScript (npm packages stay external and load from node_modules); Vite builds the renderer.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildNativeSchnorr } from './build-native.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (p) => path.join(root, p);

// [entry, outfile, format]; an entry that does not exist yet is skipped so partial checkouts still build.
const nodeEntries = [
  ['electron/cli/main.ts', 'dist/cli.js', 'esm'],
  ['electron/main.ts', 'dist/main.js', 'esm'],
  ['electron/web/main.ts', 'dist/web.js', 'esm'],
  ['electron/relays/verify-worker.ts', 'dist/verify-worker.js', 'esm'],
  ['electron/relays/publish-worker.ts', 'dist/publish-worker.js', 'esm'],
];

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };

for (const [entry, outfile, format] of nodeEntries) {
  if (!existsSync(at(entry))) continue;
  await build({ ...common, entryPoints: [at(entry)], outfile: at(outfile), format, packages: 'external' });
}

buildNativeSchnorr(root);

// A sandboxed preload cannot `require` our files, so it is one self-contained CommonJS file (electron stays external).
if (existsSync(at('electron/preload.ts'))) {
  await build({ ...common, entryPoints: [at('electron/preload.ts')], outfile: at('dist/preload.cjs'), format: 'cjs', external: ['electron'] });
}

if (existsSync(at('renderer/index.html')) && !process.argv.includes('--no-renderer')) {
  const vite = spawnSync(process.execPath, [at('node_modules/vite/bin/vite.js'), 'build', '--config', at('renderer/vite.config.ts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
