import { defineConfig } from 'vite';

// `npm run dev` proxies the API to a running `atalaya serve` (ATALAYA_URL,
// default http://127.0.0.1:8080); `npm run build` writes dist/ for
// `atalaya serve --web web/dist`.
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: { '/api': process.env.ATALAYA_URL || 'http://127.0.0.1:8080' },
  },
});
