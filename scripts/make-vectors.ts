// Writes tests/vectors/declarations.json. Keeps the pinned randomised signatures of an existing file so that
// re-running it changes nothing unless a format changed (then tests/vectors/vectors.test.ts shows the difference).
// Run from the repository root (the bundle must sit under it to resolve node_modules):
//   npx esbuild scripts/make-vectors.ts --bundle --platform=node --format=esm --packages=external \
//     --outfile=node_modules/.cache/declsign/make-vectors.mjs && node node_modules/.cache/declsign/make-vectors.mjs [--fresh]

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateVectors } from '../tests/vectors/generate';

const file = path.resolve('tests/vectors/declarations.json');
const fresh = process.argv.includes('--fresh');
const pinned = !fresh && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).pinned_signatures : {};
writeFileSync(file, `${JSON.stringify(generateVectors(pinned), null, 2)}\n`);
console.log(`wrote ${file}`);
