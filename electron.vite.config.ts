import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// conf and electron-store are ESM-only; bundling them keeps the CommonJS output loadable
// by plain Node 20 (web shell, engine fork) as well as by Electron.
const bundledEsm = ['conf', 'electron-store']

export default defineConfig({
  main: {
    build: {
      target: 'node20',
      externalizeDeps: { exclude: bundledEsm },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          engine: resolve('src/engine/index.ts'),
          web: resolve('src/web/index.ts')
        },
        output: {
          // The provider contract and limits are shared by the engine entry and lazily loaded
          // adapters (Yahoo); in a chunk of their own, an adapter chunk never requires the
          // engine entry file back to reach them.
          codeSplitting: { groups: [{ name: 'provider-contract', test: /src[\\/]engine[\\/]providers[\\/](provider|[\w-]+-limits)\.ts$/ }] }
        }
      }
    }
  },
  preload: {
    // A sandboxed preload can only require a few modules: bundle everything into one CJS file.
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' }
      }
    }
  },
  renderer: {
    root: 'src/renderer',
    resolve: { alias: { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') } },
    plugins: [vue()],
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    }
  }
})
