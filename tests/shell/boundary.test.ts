// The renderer reaches main only through the typed client, and the preload exposes exactly the operations.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../electron/ops/names';
import { CONTENT_SECURITY_POLICY } from '../../electron/web/static';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDir = path.join(root, 'renderer');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [full] : [];
  });
}

interface ImportStatement {
  file: string;
  statement: string;
  specifier: string;
  typeOnly: boolean;
}

/** Every static import/export-from, dynamic import() and require() in a file. */
function importsOf(file: string): ImportStatement[] {
  const text = readFileSync(file, 'utf8');
  const found: ImportStatement[] = [];
  const staticForm = /^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(staticForm)) {
    found.push({ file, statement: m[0].trim(), specifier: (m[3] ?? m[4])!, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ file, statement: m[0], specifier: m[1]!, typeOnly: false });
  }
  return found;
}

/** Modules of the main side whose *types* the renderer may share: contracts, never implementations. */
const ALLOWED_TYPE_SOURCES = [/^electron\/ops\/[^/]+$/, /^electron\/core\/[^/]+\/types$/, /^electron\/core\/errors$/, /^electron\/ipc\/contract$/];
const ALLOWED_PACKAGES = new Set(['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime']);

describe('renderer boundary', () => {
  const files = sourceFiles(rendererDir).filter((f) => path.basename(f) !== 'vite.config.ts');
  const imports = files.flatMap(importsOf);

  it('scans the renderer sources', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(imports.some((i) => i.specifier.includes('electron/ops/names'))).toBe(true);
  });

  it('imports from electron/ only type-only, and only contract modules', () => {
    const offending = imports.flatMap((i) => {
      if (!i.specifier.startsWith('.')) return [];
      const target = path.relative(root, path.resolve(path.dirname(i.file), i.specifier)).split(path.sep).join('/').replace(/\.(ts|tsx)$/, '');
      if (!target.startsWith('electron/')) return [];
      if (!i.typeOnly) return [`${path.relative(root, i.file)}: value import of ${target}: ${i.statement}`];
      if (!ALLOWED_TYPE_SOURCES.some((re) => re.test(target))) return [`${path.relative(root, i.file)}: types from ${target}`];
      return [];
    });
    expect(offending).toEqual([]);
  });

  it('imports no Node built-ins and no packages besides React', () => {
    const offending = imports
      .filter((i) => !i.specifier.startsWith('.') && !ALLOWED_PACKAGES.has(i.specifier))
      .map((i) => `${path.relative(root, i.file)}: ${i.specifier}`);
    expect(offending).toEqual([]);
  });

  it('never leaves the renderer directory except for those type imports', () => {
    const escaping = imports.filter((i) => {
      if (!i.specifier.startsWith('.')) return false;
      const target = path.resolve(path.dirname(i.file), i.specifier);
      return !target.startsWith(rendererDir + path.sep) && !target.startsWith(path.join(root, 'electron') + path.sep);
    });
    expect(escaping.map((i) => i.statement)).toEqual([]);
  });

  it('carries the shells’ CSP in its meta tag (minus header-only frame-ancestors)', () => {
    const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const headerWithoutFraming = CONTENT_SECURITY_POLICY.split('; ')
      .filter((d) => !d.startsWith('frame-ancestors'))
      .sort();
    expect(meta?.split('; ').sort()).toEqual(headerWithoutFraming);
  });
});

describe('preload bridge (the bundled dist/preload.cjs, run with a stand-in for electron)', () => {
  async function loadPreload() {
    const bundle = await build({
      entryPoints: [path.join(root, 'electron/preload.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      external: ['electron'],
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]!.text;
    const exposed = new Map<string, Record<string, unknown>>();
    const invocations: unknown[][] = [];
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          invocations.push(args);
          return { ok: true, value: null };
        },
        on: (channel: string, listener: (...args: unknown[]) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(listener);
        },
        removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
      },
    };
    const requires: string[] = [];
    const module = { exports: {} };
    // The sandboxed preload gets only `require('electron')`; anything else it required would fail in Electron.
    const sandboxRequire = (id: string) => {
      requires.push(id);
      if (id !== 'electron') throw new Error(`sandboxed preload cannot require ${id}`);
      return fakeElectron;
    };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports });
    return { exposed, invocations, listeners, requires };
  }

  it('requires nothing but electron', async () => {
    const { requires } = await loadPreload();
    expect([...new Set(requires)]).toEqual(['electron']);
  });

  it('exposes one object, window.declsign, whose keys are exactly the operation names plus onProgress', async () => {
    const { exposed } = await loadPreload();
    expect([...exposed.keys()]).toEqual(['declsign']);
    const api = exposed.get('declsign')!;
    expect(Object.keys(api).sort()).toEqual([...OPERATION_NAMES, 'onProgress'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('send');
  });

  it('binds each method to its own channel and forwards only the input', async () => {
    const { exposed, invocations } = await loadPreload();
    const api = exposed.get('declsign') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api['keys.list']!({ limit: 5 }, 'op:keys.delete', { extra: true });
    await api['store.lock']!();
    expect(invocations).toEqual([
      ['op:keys.list', { limit: 5 }],
      ['op:store.lock', undefined],
    ]);
  });

  it('delivers progress envelopes without the IPC event, and unsubscribes', async () => {
    const { exposed, listeners } = await loadPreload();
    const api = exposed.get('declsign') as { onProgress(l: (p: unknown) => void): () => void };
    const received: unknown[][] = [];
    const unsubscribe = api.onProgress((...args) => received.push(args));
    const channel = [...listeners.keys()][0]!;
    const envelope = { operation: 'publish.start', callId: 'c1', event: { done: 1, total: 2 } };
    for (const l of listeners.get(channel)!) l({ sender: 'ipc-renderer-internals' }, envelope);
    expect(received).toEqual([[envelope]]);
    unsubscribe();
    expect(listeners.get(channel)!.size).toBe(0);
    // (TypeError from the vm realm, so match the message rather than the class)
    expect(() => api.onProgress('not a function' as never)).toThrow(/expects a function/);
  });
});
