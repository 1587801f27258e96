import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import globals from 'globals'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/** Import bans that keep each process layer honest (shared → engine/host → main/web/cli; renderer apart). */
const layer = (files, patterns, paths = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message: 'This layer must not import this module.' })),
        patterns: patterns.map((group) => ({ group: [group], message: 'Layer violation: see eslint.config.mjs.' }))
      }
    ]
  }
})

const electronOnly = ['electron', 'electron-store', 'electron/*']

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off'
    }
  },
  // Node-side code
  {
    files: ['src/{engine,host,main,preload,web,cli}/**/*.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{js,mjs}', '*.{ts,mts,mjs}'],
    languageOptions: { globals: { ...globals.node } }
  },
  // Browser-side code
  { files: ['src/renderer/**/*.{ts,vue}'], languageOptions: { globals: { ...globals.browser } } },
  // shared: pure contracts, no node, electron or DOM
  layer(['src/shared/**/*.ts'], [...nodeBuiltins, ...electronOnly, '**/engine/**', '**/host/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/web/**', '**/cli/**', 'vue', 'pinia', 'axios', 'ws', 'conf']),
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require']
    }
  },
  // engine: Node only, never electron, never the host or UI layers
  layer(['src/engine/**/*.ts'], [...electronOnly, '**/host/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/web/**', '**/cli/**', 'vue', 'pinia']),
  // host core: Node, shared by the Electron shell, web shell and CLI; no electron
  layer(['src/host/**/*.ts'], [...electronOnly, '**/main/**', '**/renderer/**', '**/preload/**', '**/web/**', '**/cli/**', 'vue', 'pinia']),
  // web shell and CLI: plain Node
  layer(['src/web/**/*.ts', 'src/cli/**/*.ts'], [...electronOnly, '**/main/**', '**/renderer/**', '**/preload/**', 'vue', 'pinia']),
  // Electron main: may use electron, engine manager and host, never the renderer
  layer(['src/main/**/*.ts'], ['**/renderer/**', '**/preload/**', '**/web/**', '**/cli/**', 'vue', 'pinia']),
  // preload: electron renderer APIs + shared contract only
  layer(['src/preload/**/*.ts'], [...nodeBuiltins, 'electron-store', '**/engine/**', '**/host/**', '**/main/**', '**/renderer/**', '**/web/**', '**/cli/**']),
  // renderer: browser only
  layer(['src/renderer/**/*.{ts,vue}'], [...nodeBuiltins, ...electronOnly, '**/engine/**', '**/host/**', '**/main/**', '**/preload/**', '**/web/**', '**/cli/**', 'axios', 'ws', 'conf'])
)
