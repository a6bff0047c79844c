#!/usr/bin/env node
// Thin launcher: the CLI is bundled to dist/cli.js by `npm run build` (also run by `npm install`).
import('../dist/cli.js');
