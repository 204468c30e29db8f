/**
 * The wasm backend in a browser: bundles src/kernels/testing/browser-page.ts with esbuild for the
 * browser (so package.json's `browser` conditions apply, as in any browser app), serves it on localhost
 * and runs it in headless Chromium (Debian's /usr/bin/chromium via playwright-core), on a plain page
 * (single-threaded, no SharedArrayBuffer) and on a cross-origin isolated one (two Web Workers). Every
 * result must equal Node's bit for bit. A missing Chromium fails the test.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, CHROMIUM_ARGS } from '@backprop-lab/test-support';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATIVE_ELEMENTWISE_MIN, NATIVE_PARALLEL_MIN } from '../native/native-backend.js';
import * as nativeBrowser from '../native/native-browser.js';
import type { PageReport } from '../testing/browser-page.js';
import { runSuite, type SuiteBits } from '../testing/browser-suite.js';
import { shutdownWasmThreads, wasmBackend } from './wasm-backend.js';

const HTML = '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>';
/** The headers that make a page cross-origin isolated, which SharedArrayBuffer and shared memory need. */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

let bundle: string;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with scripts/install-chromium.sh (apt-get install chromium)`,
    );
  }
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../testing/browser-page.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  bundle = result.outputFiles[0].text;
  // /isolated/... carries the isolation headers, every other path none.
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const headers = url.pathname.startsWith('/isolated/') ? ISOLATION : {};
    if (url.pathname.endsWith('/page.js')) {
      response.writeHead(200, { 'Content-Type': 'text/javascript', ...headers }).end(bundle);
    } else if (url.pathname.endsWith('/')) {
      response.writeHead(200, { 'Content-Type': 'text/html', ...headers }).end(HTML);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await shutdownWasmThreads();
});

/** Names of the results whose bits differ between two suites (or that only one has). */
function differing(page: SuiteBits, node: SuiteBits): string[] {
  const names = new Set([...Object.keys(page), ...Object.keys(node)]);
  return [...names].filter((name) => page[name] !== node[name]);
}

/** Opens a page of the server and returns its report; page errors fail the test with their message. */
async function open(path: string): Promise<PageReport> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(() => 'report' in globalThis);
    const report = (await page.evaluate(() => (globalThis as { report?: unknown }).report)) as PageReport;
    expect(errors).toEqual([]);
    return report;
  } finally {
    await page.close();
  }
}

describe('wasm backend in headless Chromium', () => {
  it('bundles for the browser without any node: module', () => {
    expect(bundle).toContain('WebAssembly');
    expect(bundle.match(/.{0,60}["'`]node:.{0,60}/g)).toBe(null);
  });

  it('runs single-threaded on a page that is not cross-origin isolated, with Node’s bits', async () => {
    const node = runSuite(wasmBackend({ threads: 1 }));
    const report = await open('/plain/');
    expect(report.crossOriginIsolated).toBe(false);
    expect(report.sharedArrayBuffer).toBe(false);
    expect(report.wasmAvailable).toBe(true);
    expect(report.defaultBackend).toBe('wasm');
    expect(report.threadsRunning).toBe(0);
    expect(Object.keys(node).length).toBe(35);
    expect(differing(report.bits, node)).toEqual([]);
  });

  it('falls back to one thread when asked for two on a page that is not isolated', async () => {
    const report = await open('/plain/?threads=2');
    expect(report.threadsRunning).toBe(0);
    expect(differing(report.bits, runSuite(wasmBackend({ threads: 1 })))).toEqual([]);
  });

  it('splits products over two Web Workers on a cross-origin isolated page, with Node’s bits', async () => {
    const report = await open('/isolated/?threads=3');
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.sharedArrayBuffer).toBe(true);
    expect(report.backend).toBe('wasm-3t');
    expect(report.threadsRunning).toBe(2);
    expect(differing(report.bits, runSuite(wasmBackend({ threads: 3, parallelMinFlops: 0 })))).toEqual([]);
  });
});

it('native-browser.ts stands in for native-backend.ts: same exports, same threshold', () => {
  expect(nativeBrowser.NATIVE_PARALLEL_MIN).toBe(NATIVE_PARALLEL_MIN);
  expect(nativeBrowser.NATIVE_ELEMENTWISE_MIN).toBe(NATIVE_ELEMENTWISE_MIN);
  expect(nativeBrowser.nativeAvailable()).toBe(false);
  expect(() => nativeBrowser.nativeBackend()).toThrow(
    'nativeBackend: the native kernels are unavailable: a Node addon, which a browser cannot load',
  );
});
