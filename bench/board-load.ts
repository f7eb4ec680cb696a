// Board load benchmark: how long a participant waits, on a cold browser, for a busy room board.
//
//   npm run bench:board                    # 5 cold loads
//   BENCH_BOARD_RUNS=10 npm run bench:board
//   BENCH_BOARD_CARDS=500 npm run bench:board
//
// Starts the production Kizuki app (built client served by the server, production sync settings)
// on a fresh database — PGlite in memory, or a throwaway database on DATABASE_URL's PostgreSQL
// server, dropped afterwards. A facilitator creates an event; three participants join as three
// companies (HTTP join, seated in the default room); each fills a few worksheet items over a real
// y-websocket WebsocketProvider (sheet:<eventCompanyId>), sets scores over socket.io ('score:set')
// and posts its share of 200 気付き cards, spread over the 10 elements, into its own company
// document, one card per transaction exactly as CardsModel.post builds them. Those three
// stay connected (colleagues online) while a fourth participant opens the board in Debian's
// Chromium, each time in a fresh browser context (empty cache, cookies, IndexedDB).
//
// "Usable board" = svg.diagram rendered AND the card counts on the diagram add up to the number
// of cards AND the connection indicator says online. Times are ms from navigation start (the
// page's performance.now()), recorded by a MutationObserver installed before any page script.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import type { Browser } from 'playwright-core';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import type { WebsocketProvider } from 'y-websocket';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type Database } from '../server/db/client.ts';
import { createThrowawayPostgres } from '../test/helpers/throwaway-postgres.ts';
import { ELEMENT_IDS, type ElementId } from '../shared/jcrm/elements.ts';
import { newCard, docCards, sheetDoing, sheetNotYet, sheetPhilosophy, newListItem } from '../shared/protocol/doc-shapes.ts';
import { roomDocName, sheetDocName } from '../shared/protocol/doc-names.ts';
import { ApiClient } from '../test/helpers/api-client.ts';
import { connectProvider, whenSynced } from '../test/helpers/yjs-client.ts';
import { DESKTOP, launchBrowser } from '../test/helpers/browser.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);

function positiveInt(env: string, fallback: number): number {
  const raw = process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${env} must be a positive integer, got "${raw}"`);
  return n;
}
const RUNS = positiveInt('BENCH_BOARD_RUNS', 5);
const CARDS = positiveInt('BENCH_BOARD_CARDS', 200);
const LOAD_TIMEOUT_MS = 30_000;
const BUDGET_MS = 120_000 + RUNS * (LOAD_TIMEOUT_MS + 5_000);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------- clean-up and the time budget

const cleanups: Array<() => Promise<unknown> | unknown> = [];
let cleaningUp: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await Promise.race([fn(), sleep(10_000)]);
      } catch {
        // best effort
      }
    }
  })();
  return cleaningUp;
}
const watchdog = setTimeout(() => {
  console.error(`\nbench:board exceeded its time budget (${Math.round(BUDGET_MS / 1000)} s); stopping.`);
  void cleanUp().finally(() => process.exit(1));
}, BUDGET_MS);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
}
// Every WebsocketProvider adds a process 'exit' listener.
process.setMaxListeners(0);

// ---------------------------------------------------------------- bundle sizes

interface FileSize {
  file: string;
  raw: number;
  gzip: number;
}

function sizeOf(dist: string, rel: string): FileSize {
  const bytes = readFileSync(path.join(dist, rel));
  return { file: rel, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

function bundleSizes() {
  const dist = path.join(ROOT, 'dist/client');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const clean = (href: string) => href.replace(/^\//, '').split(/[?#]/)[0]!;
  const entries = [...html.matchAll(/<script\b[^>]*\btype=["']?module["']?[^>]*\bsrc=["']([^"']+)["']/gi)].map((m) => clean(m[1]!));
  const preloads = [...html.matchAll(/<link\b[^>]*\brel=["']?modulepreload["']?[^>]*\bhref=["']([^"']+)["']/gi)].map((m) => clean(m[1]!));
  const styles = [...html.matchAll(/<link\b[^>]*\brel=["']?stylesheet["']?[^>]*\bhref=["']([^"']+)["']/gi)].map((m) => clean(m[1]!));

  // The initial JS: entries, modulepreloads, and everything they import statically (import … from
  // "./x.js", import "./x.js"); dynamic import("./x.js") is not followed.
  const initial = new Set<string>();
  const queue = [...entries, ...preloads];
  while (queue.length) {
    const rel = queue.shift()!;
    if (initial.has(rel) || !existsSync(path.join(dist, rel))) continue;
    initial.add(rel);
    const code = readFileSync(path.join(dist, rel), 'utf8');
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'`](\.{1,2}\/[^"'`]+?\.js)["'`]/g)) {
      queue.push(path.posix.join(path.posix.dirname(rel), m[1]!));
    }
  }
  const allJs = readdirSync(path.join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const lazy = allJs.filter((f) => !initial.has(f));
  return {
    initial: [...initial].map((f) => sizeOf(dist, f)),
    lazy: lazy.map((f) => sizeOf(dist, f)),
    css: styles.map((f) => sizeOf(dist, f)),
    html: sizeOf(dist, 'index.html'),
  };
}

// ---------------------------------------------------------------- server and database

async function openBenchDatabase(): Promise<{ database: Database; describe: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({});
    await database.migrate();
    return { database, describe: 'PGlite in memory', drop: () => database.close() };
  }
  const throwaway = await createThrowawayPostgres(serverUrl, 'kizuki_bench');
  const database = await openDatabase({ url: throwaway.url });
  await database.migrate();
  return {
    database,
    describe: `PostgreSQL (throwaway database ${throwaway.name})`,
    drop: async () => {
      await database.close();
      await throwaway.drop();
    },
  };
}

// ---------------------------------------------------------------- seeding

const COMPANIES = [
  { person: '佐藤', company: '青空通販' },
  { person: 'Tanaka', company: 'みどり本舗' },
  { person: '鈴木', company: 'Sakura EC 株式会社' },
];
const PHRASES = [
  'リピーター向けの会員制度を見直したい',
  '同梱チラシに手書きメッセージを入れたら反応が良かった',
  'お問い合わせ対応の返信時間を計測していない',
  '理念をスタッフ全員が言えるようにする朝礼',
  'SNSでのお客様の声を商品ページに載せる',
  '購入データから休眠顧客を抽出して手紙を送る',
  '新商品の開発にお客様アンケートを使っている',
  'ブランドの世界観が写真ごとにばらばら',
];

function cardText(i: number): string {
  const base = PHRASES[i % PHRASES.length]!;
  return i % 3 === 0 ? `${base}。他社の事例を聞いて、自社でも来月から試してみることにした (#${i + 1})` : `${base} (#${i + 1})`;
}

async function control(origin: string, cookie: string): Promise<Socket> {
  const socket = io(origin, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie, origin } });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket.io did not connect')), 10_000);
    socket.once('connect', () => (clearTimeout(timer), resolve()));
    socket.once('connect_error', (err) => (clearTimeout(timer), reject(err)));
  });
  return socket;
}

async function ask(socket: Socket, event: string, payload: unknown): Promise<void> {
  const res = await socket.timeout(10_000).emitWithAck(event, payload);
  if (!res?.ok) throw new Error(`${event} failed: ${JSON.stringify(res)}`);
}

// ---------------------------------------------------------------- the page-side probe

// Installed before any page script (a string: tsx's helpers must not leak into the page).
const PROBE = `(() => {
  const TARGET = ${CARDS};
  const m = { marks: {}, ws: [], longTasks: [], lastSum: 0 };
  window.__bench = m;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const rec = { url: String(url), created: performance.now(), open: null, firstMsg: null, lastMsg: null, msgs: 0, bytes: 0 };
      m.ws.push(rec);
      this.addEventListener('open', () => { rec.open = performance.now(); });
      this.addEventListener('message', (e) => {
        const t = performance.now();
        if (rec.firstMsg === null) rec.firstMsg = t;
        rec.lastMsg = t;
        rec.msgs++;
        const d = e.data;
        rec.bytes += d == null ? 0 : (d.byteLength ?? d.size ?? d.length ?? 0);
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) m.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const afterFrame = (key) => requestAnimationFrame(() => setTimeout(() => { m.marks[key] = performance.now(); }, 0));
  const check = () => {
    const now = performance.now();
    const svg = document.querySelector('svg.diagram');
    if (svg && m.marks.diagram === undefined) { m.marks.diagram = now; afterFrame('diagramFrame'); }
    let sum = 0;
    for (const el of document.querySelectorAll('svg.diagram [data-element] .count')) sum += parseInt((el.textContent || '').replace(/[^0-9]/g, ''), 10) || 0;
    m.lastSum = sum;
    if (sum > 0 && m.marks.firstCards === undefined) m.marks.firstCards = now;
    if (sum === TARGET && m.marks.allCards === undefined) m.marks.allCards = now;
    const status = document.querySelector('.connection[data-status]')?.getAttribute('data-status');
    m.lastStatus = status;
    if (status && m.marks.indicator === undefined) m.marks.indicator = now;
    if (status === 'online' && m.marks.online === undefined) m.marks.online = now;
    if (svg && sum === TARGET && status === 'online' && m.marks.usable === undefined) {
      m.marks.usable = now;
      m.wsAtUsable = JSON.parse(JSON.stringify(m.ws));
      afterFrame('usableFrame');
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();`;

interface Probe {
  marks: Record<string, number | undefined>;
  ws: WsRecord[];
  wsAtUsable?: WsRecord[];
  longTasks: Array<{ start: number; duration: number }>;
  lastSum: number;
  lastStatus?: string;
}
interface WsRecord {
  url: string;
  created: number;
  open: number | null;
  firstMsg: number | null;
  lastMsg: number | null;
  msgs: number;
  bytes: number;
}
interface Timing {
  name: string;
  type: string;
  start: number;
  end: number;
  transfer: number;
  body: number;
}

interface RunResult {
  usable: number;
  usableFrame: number;
  diagram: number;
  diagramFrame: number;
  firstCards: number;
  allCards: number;
  online: number;
  nav: { responseEnd: number; domInteractive: number; dcl: number; load: number };
  resources: Timing[];
  ws: WsRecord[];
  longTasks: Array<{ start: number; duration: number }>;
  requests: number;
  httpBytes: number;
  wsBytes: number;
}

async function loadBoardOnce(browser: Browser, origin: string, cookie: string, url: string, tracePath?: string): Promise<RunResult & { trace?: Buffer }> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'ja-JP' });
  try {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: origin, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript({ content: PROBE });
    const page = await context.newPage();
    let requests = 0;
    let httpBytes = 0;
    let counting = true;
    const pending: Promise<void>[] = [];
    page.on('requestfinished', (request) => {
      if (!counting) return;
      requests++;
      pending.push(
        request.sizes().then(
          (s) => void (httpBytes += s.responseBodySize + s.responseHeadersSize),
          () => {},
        ),
      );
    });
    if (tracePath) await browser.startTracing(page, { path: tracePath, categories: ['devtools.timeline', 'blink.user_timing', 'v8.execute', 'disabled-by-default-devtools.timeline'] });
    await page.goto(url, { waitUntil: 'commit', timeout: LOAD_TIMEOUT_MS });
    // Polled from here: the page's CSP (script-src 'self') forbids waitForFunction's eval.
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    for (;;) {
      const done = await page.evaluate('window.__bench !== undefined && window.__bench.marks.usableFrame !== undefined').catch(() => false);
      if (done) break;
      if (Date.now() > deadline) {
        const probe = (await page.evaluate('window.__bench').catch(() => null)) as Probe | null;
        throw new Error(`board not usable within ${LOAD_TIMEOUT_MS} ms (cards counted ${probe?.lastSum}, status ${probe?.lastStatus})`);
      }
      await sleep(25);
    }
    counting = false;
    await Promise.all(pending);
    const trace = tracePath ? await browser.stopTracing() : undefined;
    const probe = (await page.evaluate('window.__bench')) as Probe;
    const perf = (await page.evaluate(`(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        nav: { responseEnd: nav.responseEnd, domInteractive: nav.domInteractive, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd },
        resources: performance.getEntriesByType('resource').map((e) => ({
          name: e.name, type: e.initiatorType, start: e.startTime, end: e.responseEnd, transfer: e.transferSize, body: e.encodedBodySize,
        })),
      };
    })()`)) as { nav: RunResult['nav']; resources: Timing[] };
    const ws = probe.wsAtUsable ?? probe.ws;
    const mk = (k: string) => probe.marks[k] ?? NaN;
    return {
      usable: mk('usable'),
      usableFrame: mk('usableFrame'),
      diagram: mk('diagram'),
      diagramFrame: mk('diagramFrame'),
      firstCards: mk('firstCards'),
      allCards: mk('allCards'),
      online: mk('online'),
      nav: perf.nav,
      resources: perf.resources.filter((r) => r.start <= mk('usable')),
      ws,
      longTasks: probe.longTasks.filter((t) => t.start <= mk('usable')),
      requests,
      httpBytes,
      wsBytes: ws.reduce((a, w) => a + w.bytes, 0),
      trace,
    };
  } finally {
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- trace analysis (BENCH_BOARD_TRACE=1)

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown> & { name?: string; data?: { url?: string } };
}

/** Main-thread time of the page's renderer from navigation start to `untilMs`, by trace event name. */
function mainThreadBreakdown(trace: Buffer, untilMs: number): string {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = (e: TraceEvent) => mains.has(`${e.pid}:${e.tid}`);
  const nav = events.filter((e) => onMain(e) && e.name === 'navigationStart').sort((a, b) => b.ts - a.ts)[0];
  if (!nav) return '  (no navigationStart in the trace)';
  const key = `${nav.pid}:${nav.tid}`;
  const t0 = nav.ts;
  const t1 = t0 + untilMs * 1000;
  const mine = events.filter((e) => `${e.pid}:${e.tid}` === key && e.ph === 'X' && e.ts >= t0 && e.ts < t1 && e.dur !== undefined);
  const tasks = mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const busy = tasks.reduce((a, e) => a + e.dur!, 0) / 1000;
  const by = new Map<string, number>();
  for (const e of mine) {
    if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') continue;
    by.set(e.name, (by.get(e.name) ?? 0) + e.dur! / 1000);
  }
  const interesting = ['ParseHTML', 'v8.compile', 'v8.compileModule', 'V8.CompileCode', 'v8.parseOnBackground', 'EvaluateScript', 'v8.evaluateModule', 'FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'v8.run', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'ResourceReceivedData', 'XHRReadyStateChange'];
  const lines = [`  renderer main thread busy ${busy.toFixed(0)} ms of the first ${untilMs.toFixed(0)} ms (top-level tasks); nested time by event (overlapping, not additive):`];
  const listed = [...by.entries()].filter(([n]) => interesting.includes(n)).sort((a, b) => b[1] - a[1]);
  lines.push('    ' + listed.map(([n, v]) => `${n} ${v.toFixed(0)}`).join(', '));
  const big = tasks.filter((e) => e.dur! > 30_000).map((e) => {
    const inside = mine.filter((c) => c !== e && c.ts >= e.ts && c.ts + (c.dur ?? 0) <= e.ts + e.dur! && interesting.includes(c.name));
    const top = new Map<string, number>();
    for (const c of inside) top.set(c.name, (top.get(c.name) ?? 0) + c.dur! / 1000);
    const desc = [...top.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([n, v]) => `${n} ${v.toFixed(0)}`).join(', ');
    return `${((e.ts - t0) / 1000).toFixed(0)}+${(e.dur! / 1000).toFixed(0)} (${desc})`;
  });
  lines.push(`    tasks > 30 ms: ${big.join('; ') || 'none'}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- report helpers

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : '—');
function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}
function row(label: string, values: number[]) {
  const { median, min, max } = stats(values);
  return `  ${label.padEnd(44)} median ${ms(median).padStart(5)}  min ${ms(min).padStart(5)}  max ${ms(max).padStart(5)}   [${values.map(ms).join(', ')}]`;
}
function shortName(url: string, origin: string): string {
  return url.startsWith(origin) ? url.slice(origin.length) : url;
}

// ---------------------------------------------------------------- main

async function main() {
  console.log(`bench:board — ${CARDS} cards, ${RUNS} cold loads`);
  execSync('node scripts/build-if-needed.mjs', { stdio: 'inherit' });
  if (!existsSync('dist/client/index.html')) throw new Error('dist/client/index.html missing after build');

  const sizes = bundleSizes();

  const { database, describe, drop } = await openBenchDatabase();
  cleanups.push(drop);
  const config = { ...loadConfig({ LOG_LEVEL: 'warn' }), port: 0, host: '127.0.0.1' };
  const app = await buildApp({
    config,
    database,
    logger: false,
    serveClient: true,
    rateLimits: { loginPerMinute: 10_000, joinPerMinute: 10_000 },
    sync: {}, // production defaults
  });
  // Server-side timings (bench-only hooks on this app instance; the server code is untouched):
  // HTTP handling time per route, and per WebSocket upgrade the time from the upgrade request to
  // the 101 answer (session check + access check) — recorded only while a board load runs.
  const serverTimes = new Map<string, number[]>();
  let recordServer = false;
  const record = (key: string, value: number) => {
    if (!recordServer) return;
    if (!serverTimes.has(key)) serverTimes.set(key, []);
    serverTimes.get(key)!.push(value);
  };
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? request.url.split('?')[0]!;
    record(`HTTP ${request.method} ${route}`, reply.elapsedTime);
  });
  app.server.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const started = performance.now();
    const kind = (req.url ?? '').startsWith('/socket.io/') ? 'socket.io' : /^\/yjs\/(room|sheet)/.exec(req.url ?? '')?.[1] ?? 'other';
    const write = socket.write;
    socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]) {
      if (typeof chunk === 'string' && chunk.startsWith('HTTP/1.1 101')) record(`upgrade → 101  ${kind}`, performance.now() - started);
      socket.write = write;
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof socket.write;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => app.close());
  const port = (app.server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  const wsOrigin = `ws://127.0.0.1:${port}`;
  console.log(`server ${origin}, database: ${describe}`);

  // The cast.
  const facilitator = new ApiClient(origin);
  const setup = await facilitator.post('/api/setup', { email: 'bench@example.jp', password: 'bench passphrase 1234', displayName: '進行役' });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${JSON.stringify(setup.body)}`);
  const created = await facilitator.post('/api/events', { title: 'ベンチ 勉強会', date: '2026-12-01' });
  if (created.status !== 201) throw new Error(`create event: ${created.status} ${JSON.stringify(created.body)}`);
  const eventId = created.body.id as string;
  const joinCode = (await facilitator.get(`/api/events/${eventId}`)).body.joinCode as string;

  const members: Array<{ client: ApiClient; eventCompanyId: string; userId: string; person: string; company: string }> = [];
  for (const who of COMPANIES) {
    const client = new ApiClient(origin);
    const res = await client.post('/api/join', { code: joinCode, displayName: who.person, companyName: who.company });
    if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
    members.push({ client, eventCompanyId: res.body.eventCompanyId, userId: res.body.user.id, ...who });
  }
  const detail = (await facilitator.get(`/api/events/${eventId}`)).body as { rooms: Array<{ id: string }>; companies: Array<{ id: string; roomId: string | null }> };
  const roomId = detail.rooms[0]!.id;
  for (const m of members) {
    if (detail.companies.find((c) => c.id === m.eventCompanyId)?.roomId !== roomId) throw new Error('companies are not seated in the default room');
  }

  // The viewer: another person of the third company.
  const viewer = new ApiClient(origin);
  const viewerJoin = await viewer.post('/api/join', { code: joinCode, displayName: '閲覧 さん', eventCompanyId: members[2]!.eventCompanyId });
  if (viewerJoin.status !== 201) throw new Error(`viewer join: ${viewerJoin.status} ${JSON.stringify(viewerJoin.body)}`);

  // Worksheets, scores and cards, from each company's own connections.
  const providers: WebsocketProvider[] = [];
  cleanups.push(() => providers.forEach((p) => p.destroy()));
  const sockets: Socket[] = [];
  cleanups.push(() => sockets.forEach((s) => s.disconnect()));
  const sheetDocs: Y.Doc[] = [];
  const reacts: Array<() => Promise<unknown>> = [];
  const seedStarted = performance.now();
  for (const [i, m] of members.entries()) {
    const sheet = connectProvider(wsOrigin, sheetDocName(m.eventCompanyId), { cookie: m.client.cookie });
    const room = connectProvider(wsOrigin, roomDocName(roomId), { cookie: m.client.cookie });
    providers.push(sheet, room);
    await whenSynced(sheet);
    await whenSynced(room);
    sheetDocs.push(sheet.doc);

    sheetPhilosophy(sheet.doc).insert(0, `${m.company}は、お客様の暮らしに小さな喜びを届けます。`);
    for (const element of ['customers', 'brand', 'products', 'pr', 'data'] as ElementId[]) {
      sheetDoing(sheet.doc, element).push([newListItem(randomUUID(), `${element} でやっていること (${m.company})`, '毎月')]);
      sheetNotYet(sheet.doc, element).push([newListItem(randomUUID(), `${element} でまだできていないこと`)]);
    }

    const socket = await control(origin, m.client.cookie!);
    sockets.push(socket);
    await ask(socket, 'event:subscribe', { eventId });
    for (const [j, element] of ELEMENT_IDS.entries()) {
      if ((i + j) % 4 === 3) continue; // a few left unscored
      await ask(socket, 'score:set', { eventId, eventCompanyId: m.eventCompanyId, element, value: (i + j) % 4 });
    }

    // This company's share of the cards, one transaction each, built like the client builds them:
    // into the company's own document (authorship is recorded by the server).
    for (let n = i; n < CARDS; n += members.length) {
      const id = randomUUID();
      docCards(sheet.doc).set(id, newCard({ element: ELEMENT_IDS[n % ELEMENT_IDS.length]!, text: cardText(n) }));
      if (n % 7 === 0) {
        const reactor = (i + 1) % members.length;
        const docName = sheetDocName(m.eventCompanyId);
        reacts.push(() => ask(sockets[reactor]!, 'card:react', { eventId, docName, cardId: id, on: true }));
      }
    }
  }
  const totalCards = () => sheetDocs.reduce((sum, d) => sum + docCards(d).size, 0);
  await until('every seeding client to see its cards', () => totalCards() === CARDS);
  await sleep(300); // the server records authorship right after storing each card
  for (const react of reacts) await react();
  await sleep(500); // let the server persist the batches
  const roomState = Y.encodeStateAsUpdate(sheetDocs[0]!);
  console.log(
    `seeded in ${Math.round(performance.now() - seedStarted)} ms: ${members.length} companies, ${CARDS} cards over ${ELEMENT_IDS.length} elements, ` +
      `first company document ${kb(roomState.length)} (Yjs update), 10 worksheet items + 理念 per company, scores set over socket.io`,
  );

  // Cold loads.
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const boardUrl = `${origin}/events/${eventId}/board`;
  const results: RunResult[] = [];
  const loadBefore = os.loadavg()[0]!;
  for (let run = 0; run < RUNS; run++) {
    recordServer = true;
    results.push(await loadBoardOnce(browser, origin, viewer.cookie!, boardUrl));
    recordServer = false;
  }
  const loadAfter = os.loadavg()[0]!;
  // One more, traced (tracing slows the page, so it is not counted above).
  let traced: (RunResult & { trace?: Buffer }) | undefined;
  if (process.env.BENCH_BOARD_TRACE) {
    traced = await loadBoardOnce(browser, origin, viewer.cookie!, boardUrl, path.join(os.tmpdir(), `kizuki-board-trace-${process.pid}.json`)).catch((err) => {
      console.error('traced run failed:', err);
      return undefined;
    });
    cleanups.push(() => rmSync(path.join(os.tmpdir(), `kizuki-board-trace-${process.pid}.json`), { force: true }));
  }

  // The same server calls, one at a time from Node with no browser running: what they cost
  // without the page's concurrency (and how much of the in-page time is queueing/CPU contention).
  const idle = new Map<string, number[]>();
  const time = async (key: string, fn: () => Promise<unknown>) => {
    const started = performance.now();
    await fn();
    if (!idle.has(key)) idle.set(key, []);
    idle.get(key)!.push(performance.now() - started);
  };
  for (let i = 0; i < 10; i++) {
    await time('database ping (select 1)', () => database.ping());
    await time('GET /api/auth/me', () => viewer.get('/api/auth/me'));
    await time(`GET /api/events/:eventId`, () => viewer.get(`/api/events/${eventId}`));
    await time('Yjs sheet:* connect → synced (4.8 KiB doc)', async () => {
      const p = connectProvider(wsOrigin, sheetDocName(members[0]!.eventCompanyId), { cookie: viewer.cookie });
      try {
        await whenSynced(p);
      } finally {
        p.destroy();
      }
    });
    await time(`Yjs room:* connect → synced (facilitators' document)`, async () => {
      const p = connectProvider(wsOrigin, roomDocName(roomId), { cookie: viewer.cookie });
      try {
        await whenSynced(p);
      } finally {
        p.destroy();
      }
    });
  }

  // ---------------------------------------------------------------- report
  console.log(`\nBoard load, participant view, ${RUNS} cold browser contexts (Chromium ${browser.version()}, ${DESKTOP.width}×${DESKTOP.height}), ms from navigation start:`);
  console.log(row('usable board (diagram + all counts + online)', results.map((r) => r.usable)));
  console.log(row('  … painted (next frame after usable)', results.map((r) => r.usableFrame)));
  console.log(row('first diagram in DOM (svg.diagram)', results.map((r) => r.diagram)));
  console.log(row('  … painted (next frame)', results.map((r) => r.diagramFrame)));
  console.log(row('first card counted on the diagram', results.map((r) => r.firstCards)));
  console.log(row(`all ${CARDS} cards counted on the diagram`, results.map((r) => r.allCards)));
  console.log(row('connection indicator online', results.map((r) => r.online)));
  console.log(`  (machine: ${os.cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after the loads)`);

  console.log('\nPhases (median over runs):');
  const med = (f: (r: RunResult) => number) => ms(stats(results.map(f)).median);
  const res = (r: RunResult, test: (name: string) => boolean) => r.resources.find((x) => test(shortName(x.name, origin)));
  console.log(`  HTML response end                          ${med((r) => r.nav.responseEnd)}`);
  const initialNames = new Set(sizes.initial.map((f) => `/${f.file}`));
  console.log(`  initial JS downloaded (last responseEnd)   ${med((r) => Math.max(...r.resources.filter((x) => initialNames.has(shortName(x.name, origin))).map((x) => x.end)))}`);
  console.log(`  DOMContentLoaded end (modules executed)    ${med((r) => r.nav.dcl)}`);
  console.log(`  GET /api/auth/me            start→end      ${med((r) => res(r, (n) => n.startsWith('/api/auth/me'))?.start ?? NaN)} → ${med((r) => res(r, (n) => n.startsWith('/api/auth/me'))?.end ?? NaN)}`);
  console.log(`  GET /api/events/:id         start→end      ${med((r) => res(r, (n) => /^\/api\/events\/[^/]+$/.test(n))?.start ?? NaN)} → ${med((r) => res(r, (n) => /^\/api\/events\/[^/]+$/.test(n))?.end ?? NaN)}`);
  const wsPhase = (label: string, test: (url: string) => boolean) => {
    const pick = (r: RunResult) => r.ws.filter((w) => test(w.url));
    const count = Math.max(...results.map((r) => pick(r).length));
    if (!count) return;
    const first = (r: RunResult, k: 'created' | 'open' | 'firstMsg') => Math.min(...pick(r).map((w) => w[k] ?? NaN));
    const lastOf = (r: RunResult, k: 'open' | 'firstMsg') => Math.max(...pick(r).map((w) => w[k] ?? NaN));
    console.log(
      `  ${label.padEnd(27)} ×${count}  created ${med((r) => first(r, 'created'))}, open ${med((r) => first(r, 'open'))}–${med((r) => lastOf(r, 'open'))}, ` +
        `first message ${med((r) => first(r, 'firstMsg'))}–${med((r) => lastOf(r, 'firstMsg'))}, received ${kb(stats(results.map((r) => pick(r).reduce((a, w) => a + w.bytes, 0))).median)} by usable`,
    );
  };
  wsPhase('WebSocket /yjs room:*', (u) => u.includes('/yjs/room:') || u.includes('/yjs/room%3A'));
  wsPhase('WebSocket /yjs sheet:*', (u) => u.includes('/yjs/sheet:') || u.includes('/yjs/sheet%3A'));
  wsPhase('WebSocket /socket.io', (u) => u.includes('/socket.io/'));
  console.log(
    `  long tasks (>50 ms) before usable          median total ${med((r) => r.longTasks.reduce((a, t) => a + t.duration, 0))} ms; ` +
      `run 1: ${results[0]!.longTasks.map((t) => `${ms(t.start)}+${ms(t.duration)}`).join(', ') || 'none'}`,
  );

  if (traced?.trace) {
    console.log(`\nTraced extra run (BENCH_BOARD_TRACE; slower because traced): usable at ${ms(traced.usable)} ms, diagram ${ms(traced.diagram)}, all cards ${ms(traced.allCards)}, online ${ms(traced.online)}`);
    console.log(mainThreadBreakdown(traced.trace, traced.usable));
  }

  console.log('\nServer side, during the loads (all runs; ms):');
  for (const [key, values] of [...serverTimes.entries()].sort()) {
    const { median, max } = stats(values);
    console.log(`  ${key.padEnd(44)} n=${String(values.length).padStart(3)}  median ${median.toFixed(1).padStart(6)}  max ${max.toFixed(1).padStart(6)}`);
  }

  console.log('\nThe same calls one at a time from Node, browser idle (10 each; ms):');
  for (const [key, values] of idle) {
    const { median, max } = stats(values);
    console.log(`  ${key.padEnd(44)} median ${median.toFixed(1).padStart(6)}  max ${max.toFixed(1).padStart(6)}`);
  }

  console.log('\nFirst load over the network (until usable, median):');
  console.log(`  HTTP requests ${stats(results.map((r) => r.requests)).median}, ${kb(stats(results.map((r) => r.httpBytes)).median)} transferred (bodies + headers); WebSocket data received ${kb(stats(results.map((r) => r.wsBytes)).median)}`);
  const sample = results[results.length - 1]!;
  console.log(`  requests of the last run (ms from navigation start):`);
  for (const r of sample.resources) {
    console.log(`    ${shortName(r.name, origin).slice(0, 60).padEnd(60)} ${r.type.padEnd(6)} ${ms(r.start).padStart(5)} → ${ms(r.end).padStart(5)} ms  ${kb(r.transfer).padStart(10)}`);
  }

  const sum = (files: FileSize[]) => files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const list = (files: FileSize[]) => files.map((f) => `    ${f.file.padEnd(44)} ${kb(f.raw).padStart(10)} raw  ${kb(f.gzip).padStart(10)} gzip`).join('\n');
  const ini = sum(sizes.initial);
  const lazy = sum(sizes.lazy);
  const css = sum(sizes.css);
  console.log('\nClient bundle (dist/client; gzip = zlib level 9; the server sends files as is):');
  console.log(`  initial JS (module entry + modulepreload + static imports): ${kb(ini.raw)} raw, ${kb(ini.gzip)} gzip`);
  console.log(list(sizes.initial));
  console.log(`  lazily loaded JS chunks: ${kb(lazy.raw)} raw, ${kb(lazy.gzip)} gzip`);
  console.log(list(sizes.lazy));
  console.log(`  CSS: ${kb(css.raw)} raw, ${kb(css.gzip)} gzip;  index.html ${kb(sizes.html.raw)} raw, ${kb(sizes.html.gzip)} gzip`);
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  console.error('\nbench:board failed:', err);
  exitCode = 1;
} finally {
  await cleanUp();
  clearTimeout(watchdog);
}
process.exit(exitCode);
