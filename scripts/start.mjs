// `npm start`: the desktop app, or browser mode when Electron cannot run here. `npm run web` (--web): browser mode.
// Builds first when the build output is missing or older than the sources.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (p) => path.join(root, p);
const webOnly = process.argv.includes('--web');
const passThrough = process.argv.slice(2).filter((arg) => arg !== '--web');
/** An Electron that dies this quickly never showed a window (missing libraries, no display): fall back. */
const EARLY_EXIT_MS = 5000;

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded() {
  const outputs = ['dist/main.js', 'dist/preload.cjs', 'dist/web.js', 'dist/renderer/index.html'].map(at);
  const missing = outputs.some((file) => !existsSync(file));
  const stale = !missing && Math.max(newestMtime(at('electron')), newestMtime(at('renderer'))) > Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  if (!missing && !stale) return;
  const result = spawnSync(process.execPath, [at('scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('Build failed; fix the errors above and run `npm start` again.');
    process.exit(result.status ?? 1);
  }
}

/**
 * The Electron executable, or why there is none. electron ≥42 downloads its binary lazily on first use, which
 * would hang on a machine without internet, so this only looks for a binary already on disk and never imports
 * the electron package.
 */
function findElectron() {
  const pkgDir = at('node_modules/electron');
  if (!existsSync(pkgDir)) return { reason: 'the electron package is not installed' };
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
  const executable = path.join(distDir, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'));
  if (!relative && !process.env.ELECTRON_OVERRIDE_DIST_PATH) return { reason: 'its binary was never downloaded' };
  if (!existsSync(executable)) return { reason: `no binary at ${path.relative(root, executable)}` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display' };
  return { executable };
}

async function startBrowserMode() {
  process.argv = [process.argv[0], at('dist/web.js'), ...passThrough];
  await import(pathToFileURL(at('dist/web.js')).href);
}

function launchElectron(executable) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(executable, [root, ...passThrough], { cwd: root, stdio: 'inherit' });
    child.on('error', (error) => resolve({ early: true, reason: error.message }));
    child.on('exit', (code, signal) => {
      const early = Date.now() - started < EARLY_EXIT_MS && code !== 0;
      resolve({ early, code: code ?? (signal ? 1 : 0), reason: signal ? `it was killed by ${signal}` : `it exited with code ${code}` });
    });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  });
}

buildIfNeeded();
if (webOnly) {
  await startBrowserMode();
} else {
  const found = findElectron();
  if (found.executable) {
    const outcome = await launchElectron(found.executable);
    if (!outcome.early) process.exit(outcome.code);
    found.reason = outcome.reason;
  }
  console.log(`Electron cannot start here (${found.reason}); starting browser mode instead.`);
  await startBrowserMode();
}
