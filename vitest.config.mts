import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

const alias = { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') }

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/{shared,engine,host,web,cli}/**/*.spec.ts',
            'tests/integration/**/*.spec.ts',
            'tests/fakes/**/*.spec.ts',
            'bench/**/*.spec.ts'
          ]
        }
      },
      {
        resolve: { alias },
        test: {
          name: 'main',
          environment: 'node',
          include: ['src/{main,preload}/**/*.spec.ts'],
          setupFiles: ['tests/setup/electron-mock.ts']
        }
      },
      {
        plugins: [vue()],
        resolve: { alias },
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['src/renderer/**/*.spec.ts']
        }
      }
    ]
  }
})
