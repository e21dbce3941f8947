/**
 * bench:web — how much our designer costs over a bare bpmn-js Modeler, and how much JavaScript
 * the app ships. Starts a temporary stack (Temporal dev server + FerretDB in a temp folder, the
 * API and the built web app on loopback), generates a diagram of BENCH_ELEMENTS (default 1,500)
 * flow elements with DI, and in ONE Chromium session imports it alternately into our designer
 * (`/#/designer?bench`: every module, linting on) and the bare page (`/bench-bare.html`),
 * BENCH_ROUNDS times (default 9) after a warm-up, timing import until the browser has painted.
 *
 *   npm run build && npm run bench:web
 *
 * Prints `name: value unit` lines: medians of both (wall time, and main-thread CPU time, which
 * a busy machine disturbs less), their ratios (target ≤ 1.2), and the gzip size of the app's
 * JavaScript in total and as loaded by the designer and the inbox routes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { Role } from '../server/auth/roles';
import { createAuthService } from '../server/auth/service';
import { connectMongo } from '../server/db/mongo';
import { createHealthCheck } from '../server/health';
import { createApp } from '../server/http/app';
import { defaultWebRoot } from '../server/http/webApp';
import { startTemporaryServers } from '../server/infra/temporaryServers';
import { chromiumPath } from '../server/infra/toolchain';
import { createLogger } from '../server/log';
import { apiClient, serve } from './complaints/http';
import { generateDiagram } from './web/diagram';

const positive = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not '${process.env[name]}'`);
  return value;
};
const ELEMENTS = positive('BENCH_ELEMENTS', 1500);
const ROUNDS = positive('BENCH_ROUNDS', 9);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

const assetsDir = () => path.join(defaultWebRoot(), 'assets');
const gzipOf = (file: string) => gzipSync(fs.readFileSync(path.join(assetsDir(), file)), { level: 9 }).length;

/** The JavaScript files a page loads until `ready` (its path under /assets). */
async function scriptsLoaded(page: Page, open: () => Promise<void>): Promise<Set<string>> {
  const files = new Set<string>();
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js')) files.add(path.basename(url.pathname));
  });
  await open();
  return files;
}

async function importTime(page: Page, xml: string, without: string[] = []): Promise<number> {
  return page.evaluate(async ([text, leaveOut]) => {
    const run = (window as unknown as { benchImport?: (x: string, w: string[]) => Promise<number> }).benchImport;
    if (!run) throw new Error('this page has no benchImport hook');
    return run(text, leaveOut);
  }, [xml, without] as const);
}

/**
 * Main-thread CPU time of a page (Chrome's TaskDuration in thread ticks): unlike wall time it
 * hardly moves when other processes compete for the cores, so the ratio stays readable on a
 * busy machine. It covers building the modeler, import, paint and destroy.
 */
async function cpuMeter(page: Page): Promise<() => Promise<number>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  };
  return read;
}

/** Where our extra time goes: medians of ours with one part left out (a few rounds each). */
const BREAKDOWN: Array<{ name: string; without: string[] }> = [
  { name: 'without_lint', without: ['lint'] },
  { name: 'without_panel', without: ['panel'] },
  { name: 'without_behaviours', without: ['behaviours'] },
  { name: 'without_all', without: ['lint', 'panel', 'behaviours'] },
];

async function main(): Promise<void> {
  if (!fs.existsSync(assetsDir())) throw new Error(`${assetsDir()} is missing: run \`npm run build:web\` first`);
  const hardLimit = setTimeout(() => { console.error('bench:web did not finish within 15 minutes'); process.exit(1); }, 15 * 60_000);
  hardLimit.unref();
  const servers = await startTemporaryServers({ prefix: 'complaint-bpm-bench-web-' });
  const closers: Array<() => Promise<void>> = [];
  let browser: Browser | undefined;
  try {
    const client = new Client({ connection: await Connection.connect({ address: servers.temporalAddress }), namespace: 'default' });
    closers.push(() => client.connection.close());
    const mongo = await connectMongo(servers.mongoUri, 'bench_web');
    closers.push(() => mongo.close());
    const log = createLogger('silent');
    const auth = createAuthService({ mongo, hashParams: { N: 2 ** 10, r: 8, p: 1 } });
    const app = createApp({ log, mongo, auth, health: createHealthCheck({ temporal: client, mongo, taskQueue: 'bench-web' }), webRoot: defaultWebRoot() });
    const server = await serve(app);
    closers.push(server.close);
    const signIn = async (roles: Role[]) => {
      const email = `${roles.join('-')}@bench.test`;
      await auth.createUser({ email, name: email, password: 'bench-password', roles, groups: ['dispatch'] });
      const login = await apiClient(server.url)<{ token: string; user: unknown }>('POST', '/api/auth/login', { email, password: 'bench-password' });
      if (login.status !== 200) throw new Error(`login answered ${login.status}`);
      return login.body;
    };
    const [designer, agent] = [await signIn(['designer']), await signIn(['agent'])];
    const { xml, flowElements } = generateDiagram(ELEMENTS);

    browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    const context = async (session: { token: string; user: unknown }) => {
      const ctx = await browser!.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
      await ctx.addInitScript(([t, u]) => {
        localStorage.setItem('complaint-bpm.token', t);
        localStorage.setItem('complaint-bpm.user', u);
      }, [session.token, JSON.stringify(session.user)] as const);
      return ctx;
    };
    const designerCtx = await context(designer);
    const ours = await designerCtx.newPage();
    const bare = await designerCtx.newPage();
    await ours.goto('/#/designer?bench');
    await ours.waitForFunction(() => 'benchImport' in window);
    await bare.goto('/bench-bare.html');
    await bare.waitForFunction(() => 'benchImport' in window);

    // Warm-up (JIT, fonts), then alternate which goes first.
    await importTime(ours, xml);
    await importTime(bare, xml);
    const cpu = { ours: await cpuMeter(ours), bare: await cpuMeter(bare) };
    const times = { ours: [] as number[], bare: [] as number[] };
    const cpuTimes = { ours: [] as number[], bare: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      const order = round % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
      for (const which of order) {
        const page = which === 'ours' ? ours : bare;
        await page.bringToFront();
        const before = await cpu[which]();
        times[which].push(await importTime(page, xml));
        cpuTimes[which].push((await cpu[which]()) - before);
      }
    }

    const breakdown: string[] = [];
    if (process.env.BENCH_BREAKDOWN !== '0') {
      for (const part of BREAKDOWN) {
        const runs: number[] = [];
        for (let i = 0; i < 3; i += 1) runs.push(await importTime(ours, xml, part.without));
        breakdown.push(`${part.name} ${median(runs).toFixed(0)} ms`);
      }
    }

    // What the routes load: a fresh context each, so nothing comes from the cache.
    const designerPage = await (await context(designer)).newPage();
    const designerFiles = await scriptsLoaded(designerPage, async () => {
      await designerPage.goto('/#/designer');
      await designerPage.waitForSelector('.djs-palette');
      await designerPage.waitForLoadState('networkidle');
    });
    const inboxPage = await (await context(agent)).newPage();
    const inboxFiles = await scriptsLoaded(inboxPage, async () => {
      await inboxPage.goto('/#/inbox');
      await inboxPage.waitForLoadState('networkidle');
    });
    const allFiles = fs.readdirSync(assetsDir()).filter((f) => f.endsWith('.js') && !f.startsWith('bench-bare-'));
    const sum = (files: Iterable<string>) => [...files].reduce((n, f) => n + gzipOf(f), 0);

    const oursMs = median(times.ours);
    const bareMs = median(times.bare);
    console.log(`# ${flowElements} flow elements, ${ROUNDS} rounds each, Chromium ${browser.version()}`);
    console.log(`web_import_ours: ${oursMs.toFixed(0)} ms`);
    console.log(`web_import_bare: ${bareMs.toFixed(0)} ms`);
    console.log(`web_import_ratio: ${(oursMs / bareMs).toFixed(2)} x`);
    const [oursCpu, bareCpu] = [median(cpuTimes.ours), median(cpuTimes.bare)];
    console.log(`web_import_ours_cpu: ${oursCpu.toFixed(0)} ms`);
    console.log(`web_import_bare_cpu: ${bareCpu.toFixed(0)} ms`);
    console.log(`web_import_cpu_ratio: ${(oursCpu / bareCpu).toFixed(2)} x`);
    console.log(`web_js_gzip_total: ${kib(sum(allFiles))} KiB`);
    console.log(`web_js_gzip_designer_initial: ${kib(sum(designerFiles))} KiB`);
    console.log(`web_js_gzip_inbox_initial: ${kib(sum(inboxFiles))} KiB`);
    if (breakdown.length) console.log(`# ours ${breakdown.join(', ')}`);
    console.log(`# ours: ${times.ours.map((t) => t.toFixed(0)).join(' ')} ms; bare: ${times.bare.map((t) => t.toFixed(0)).join(' ')} ms`);
  } finally {
    await browser?.close();
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await servers.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
