// Builds the optional native BIP-340 verifier (native/secp256k1/schnorr_verify.c → dist/secp256k1.node) against the
// system libsecp256k1 (Debian: libsecp256k1-dev). Optional by design: without a C compiler, Node's headers or the
// library, bulk import keeps the WebAssembly build of the same library, about six times slower and equally correct.
// Node-API only, so the one binary loads in Node and in Electron without an ABI rebuild.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where node_api.h is: npm's `nodedir` setting when given, else the include/node next to the running node. */
function nodeIncludeDir() {
  const candidates = [process.env.npm_config_nodedir, path.join(path.dirname(process.execPath), '..')]
    .filter(Boolean)
    .map((dir) => path.join(dir, 'include', 'node'));
  return candidates.find((dir) => existsSync(path.join(dir, 'node_api.h')));
}

/** Returns the built file, or undefined with the reason printed once (never fails the build). */
export function buildNativeSchnorr(root, outfile = path.join(root, 'dist', 'secp256k1.node')) {
  const source = path.join(root, 'native', 'secp256k1', 'schnorr_verify.c');
  const skip = (why) => {
    console.warn(`build: native BIP-340 verifier not built (${why}); bulk import uses the WebAssembly verifier`);
    return undefined;
  };
  if (process.env.DECLSIGN_NO_NATIVE === '1') return skip('DECLSIGN_NO_NATIVE=1');
  if (process.platform === 'win32') return skip('no Windows build recipe yet');
  if (existsSync(outfile) && statSync(outfile).mtimeMs >= statSync(source).mtimeMs) return outfile;
  const include = nodeIncludeDir();
  if (include === undefined) return skip("Node's headers (node_api.h) not found");
  mkdirSync(path.dirname(outfile), { recursive: true });
  const cc = process.env.CC || 'cc';
  const flags = ['-O2', '-fPIC', '-shared', '-Wall', '-Wextra', '-Werror', `-I${include}`];
  // macOS resolves Node-API symbols from the host process at load time.
  if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
  const run = spawnSync(cc, [...flags, source, '-lsecp256k1', '-o', outfile], { encoding: 'utf8' });
  if (run.error) return skip(`${cc}: ${run.error.message}`);
  if (run.status !== 0) {
    const firstError = (run.stderr || '').split('\n').find((line) => /error/i.test(line)) ?? `exit ${run.status}`;
    return skip(firstError.trim());
  }
  return outfile;
}
