// Renderer build: dist/renderer, loaded from app://renderer in Electron and from 127.0.0.1 in browser mode.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs work under both origins.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Inline data: URLs for small assets would need a looser CSP; keep every asset a file.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
});
