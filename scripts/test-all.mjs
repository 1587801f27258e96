#!/usr/bin/env node
// Runs the whole suite in order (type-check, lint, build, unit + integration, end-to-end) and
// ends with one line totalling every runner: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs'

const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', FORCE_COLOR: '0' }
const results = []

function run(label, command, args) {
  process.stdout.write(`\n=== ${label}: ${command} ${args.join(' ')}\n`)
  const started = Date.now()
  const child = spawnSync(command, args, { stdio: 'inherit', env })
  const ok = child.status === 0
  process.stdout.write(`=== ${label} ${ok ? 'ok' : `FAILED (exit ${child.status ?? child.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
  return ok
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return null
  }
}

rmSync('test-results', { recursive: true, force: true })
mkdirSync('test-results', { recursive: true })

for (const [label, cmd, args] of [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['build', 'npx', ['electron-vite', 'build', '--logLevel', 'warn']]
]) {
  results.push({ runner: label, passed: run(label, cmd, args) ? 1 : 0, failed: 0 })
  if (results.at(-1).passed === 0) results.at(-1).failed = 1
}

const built = existsSync('out/main/web.js') && existsSync('out/renderer/index.html')

run('unit + integration (vitest)', 'npx', ['vitest', 'run'])
const vitest = readJson('test-results/vitest.json')
if (vitest) {
  results.push({ runner: 'vitest', passed: vitest.numPassedTests, failed: vitest.numFailedTests + (vitest.numRuntimeErrors ?? 0) + (vitest.success === false && vitest.numFailedTests === 0 ? 1 : 0) })
} else {
  results.push({ runner: 'vitest', passed: 0, failed: 1 })
}

if (built) {
  run('end-to-end (playwright, web shell + Chromium)', 'npx', ['playwright', 'test'])
  const pw = readJson('test-results/playwright.json')
  if (pw?.stats) {
    results.push({ runner: 'playwright', passed: pw.stats.expected + (pw.stats.flaky ?? 0), failed: pw.stats.unexpected })
  } else {
    results.push({ runner: 'playwright', passed: 0, failed: 1 })
  }
} else {
  process.stdout.write('\n=== end-to-end skipped: the build did not produce out/\n')
  results.push({ runner: 'playwright', passed: 0, failed: 1 })
}

const passed = results.reduce((n, r) => n + r.passed, 0)
const failed = results.reduce((n, r) => n + r.failed, 0)
process.stdout.write('\n')
for (const r of results) process.stdout.write(`  ${r.runner.padEnd(12)} ${r.passed} passed, ${r.failed} failed\n`)
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
