// At the default level (info) a request is logged only when an API call failed; static files and
// successful calls appear at debug.
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { QuietRequestLog } from '../../server/request-log.ts';

async function logsAt(level: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const app = Fastify({
    logger: { level, stream: { write: (line: string) => void lines.push(JSON.parse(line)) } },
    logController: new QuietRequestLog(),
  });
  app.get('/assets/app.js', async () => 'console.log(1)');
  app.get('/api/ok', async () => ({ ok: true }));
  app.post('/api/join', async (_request, reply) => reply.code(400).send({ message: 'bad' }));
  await app.inject({ method: 'GET', url: '/assets/app.js' });
  await app.inject({ method: 'GET', url: '/api/ok' });
  await app.inject({ method: 'POST', url: '/api/join?x=1', payload: {} });
  await app.inject({ method: 'GET', url: '/nowhere' });
  await app.close();
  return lines;
}

describe('request logging', () => {
  it('at info: one line for a failed API request, none for static files or successes', async () => {
    const lines = await logsAt('info');
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/^POST \/api\/join 400 \d+ ms$/)]);
  });

  it('at debug: every request', async () => {
    const messages = (await logsAt('debug')).map((l) => String(l.msg));
    expect(messages.filter((m) => m === 'incoming request')).toHaveLength(4);
    expect(messages.some((m) => /^GET \/assets\/app\.js 200 \d+ ms$/.test(m))).toBe(true);
    expect(messages.some((m) => /^GET \/api\/ok 200 \d+ ms$/.test(m))).toBe(true);
    expect(messages.some((m) => m.includes('no route for GET /nowhere'))).toBe(true);
  });
});
