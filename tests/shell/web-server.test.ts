import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_INPUT_BYTES } from '../../electron/core/declaration/bundle';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { createFixtureState, fixtureContextFactory, fixtureOperations, type FixtureState } from './fixtures/table';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  server: WebServer,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A call as our own page makes it: right Host (set by node from host:port), our Origin, the token, JSON. */
function callOp(server: WebServer, name: string, input?: unknown, extraHeaders: Record<string, string> = {}): Promise<Reply> {
  return send(server, {
    method: 'POST',
    path: `/api/op/${name}`,
    headers: {
      Origin: server.origin,
      Authorization: `Bearer ${server.token}`,
      'Content-Type': 'application/json',
      ...extraHeaders,
    },
    ...(input === undefined ? {} : { body: JSON.stringify(input) }),
  });
}

let dir: string;
let server: WebServer;
let state: FixtureState;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'declsign-web-'));
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Declaration Signer</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(path.join(rendererDir, '.env'), 'SECRET=1');
  writeFileSync(path.join(dir, 'secret.json'), '{"nsec":"outside the root"}');
  symlinkSync(path.join(dir, 'secret.json'), path.join(rendererDir, 'assets', 'link.json'));
  state = createFixtureState();
  server = await startWebServer({
    table: fixtureOperations,
    makeContext: fixtureContextFactory(state),
    rendererDir,
    maxBodyBytes: 64 * 1024,
  });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startWebServer', () => {
  it('listens on loopback only and hands out a 256-bit token in the URL fragment', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(Buffer.from(server.token, 'base64url')).toHaveLength(32);
    expect(server.url).toBe(`${server.origin}/#token=${server.token}`);
  });

  it('answers a valid call with its Result', async () => {
    const reply = await callOp(server, 'store.status', {});
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, value: { initialized: false, unlocked: false } });
  });

  it('accepts a call without a body as empty input', async () => {
    const reply = await callOp(server, 'store.status');
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true });
  });

  it('answers invalid input with an invalid_input Result and changes nothing', async () => {
    const reply = await callOp(server, 'store.init', { passphrase: 'short' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(state.passphrase).toBeNull();
  });

  it('answers a body that is not JSON with invalid_json', async () => {
    const reply = await send(server, {
      method: 'POST',
      path: '/api/op/store.status',
      headers: { Origin: server.origin, Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
      body: '{"passphrase":',
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
  });

  it('by default takes the largest import the core accepts, however much its JSON escaping grows it', async () => {
    // Every quote, backslash and newline of valid JSON text becomes two bytes in the body the renderer sends: a full
    // 32 MB input of them is a 64 MB body. The fixture table refuses the unknown field; what matters is it got there.
    const roomy = await startWebServer({ table: fixtureOperations, makeContext: fixtureContextFactory(createFixtureState()), rendererDir: dir });
    try {
      const reply = await callOp(roomy, 'store.init', { passphrase: 'correct horse', text: '"'.repeat(MAX_INPUT_BYTES) });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    } finally {
      await roomy.close();
    }
  }, 60_000);

  it('refuses a body over the limit with content_too_large', async () => {
    const reply = await callOp(server, 'store.init', { passphrase: 'x'.repeat(70 * 1024) });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'content_too_large' } });
    expect(state.passphrase).toBeNull();
  });

  it('refuses a non-JSON content type (no form posts)', async () => {
    const reply = await callOp(server, 'store.status', undefined, { 'Content-Type': 'text/plain' });
    expect(reply.status).toBe(415);
  });

  it('answers an unknown operation with 404 not_found', async () => {
    const reply = await callOp(server, 'keys.steal', {});
    expect(reply.status).toBe(404);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('routes legacy aliases like operation names', async () => {
    const reply = await callOp(server, encodeURIComponent('online:store:unlock'), { passphrase: 'correct horse battery' });
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'store_not_initialized' } });
  });

  describe('refuses callers that are not our page', () => {
    it('no token → 401', async () => {
      const reply = await send(server, {
        method: 'POST',
        path: '/api/op/store.init',
        headers: { Origin: server.origin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ passphrase: 'correct horse battery' }),
      });
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(state.passphrase).toBeNull();
    });

    it('wrong token of the same length → 401', async () => {
      const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
      const reply = await callOp(server, 'store.status', {}, { Authorization: `Bearer ${wrong}` });
      expect(reply.status).toBe(401);
    });

    it.each(['evil.example', `evil.example:${0}`, '127.0.0.1', '127.0.0.1:1', '[::1]'])('Host %s → 421', async (host) => {
      const reply = await callOp(server, 'store.status', {}, { Host: host });
      expect(reply.status).toBe(421);
    });

    it('Host check applies to static files too (DNS rebinding reads nothing)', async () => {
      const reply = await send(server, { path: '/', headers: { Host: `rebind.example:${server.port}` } });
      expect(reply.status).toBe(421);
      expect(reply.body).not.toContain('Declaration Signer');
    });

    it('accepts localhost:<port> with the matching origin', async () => {
      const reply = await callOp(server, 'store.status', {}, {
        Host: `localhost:${server.port}`,
        Origin: `http://localhost:${server.port}`,
      });
      expect(reply.status).toBe(200);
    });

    it('foreign Origin → 403 even with the token', async () => {
      const reply = await callOp(server, 'store.init', { passphrase: 'correct horse battery' }, { Origin: 'https://evil.example' });
      expect(reply.status).toBe(403);
      expect(state.passphrase).toBeNull();
    });

    it('POST without Origin → 403', async () => {
      const reply = await send(server, {
        method: 'POST',
        path: '/api/op/store.status',
        headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(reply.status).toBe(403);
    });

    it('cross-site Sec-Fetch-Site → 403', async () => {
      const reply = await callOp(server, 'store.status', {}, { 'Sec-Fetch-Site': 'cross-site' });
      expect(reply.status).toBe(403);
    });
  });

  describe('static files', () => {
    it('serves index.html at / with CSP, nosniff and no framing', async () => {
      const reply = await send(server, { path: '/' });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<title>Declaration Signer</title>');
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
      expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
    });

    it('serves assets with their content type', async () => {
      const reply = await send(server, { path: '/assets/app.js' });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^text\/javascript/);
    });

    it.each([
      '/../secret.json',
      '/assets/../../secret.json',
      '/%2e%2e/secret.json',
      '/assets%2f..%2f..%2fsecret.json',
      '/..%5csecret.json',
      '/assets/link.json',
      '/.env',
      '/assets/',
      '/assets',
      '/missing.js',
      '/index.html%00.js',
    ])('%s → 404', async (p) => {
      const reply = await send(server, { path: p });
      expect(reply.status).toBe(404);
      expect(reply.body).not.toContain('outside the root');
      expect(reply.body).not.toContain('SECRET');
    });

    it('refuses unknown API paths and writes to static paths', async () => {
      expect((await send(server, { path: '/api/keys' })).status).toBe(404);
      expect((await send(server, { method: 'PUT', path: '/index.html', body: 'x' })).status).toBe(405);
    });
  });

  describe('progress over Server-Sent Events', () => {
    it('requires the token', async () => {
      const reply = await send(server, { path: '/api/events' });
      expect(reply.status).toBe(401);
    });

    it('delivers progress events of a running operation', async () => {
      const frames: string[] = [];
      const gotTwo = new Promise<void>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, path: '/api/events', headers: { Authorization: `Bearer ${server.token}` } },
          (res) => {
            expect(res.statusCode).toBe(200);
            expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
            let buffered = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buffered += chunk;
              const parts = buffered.split('\n\n');
              buffered = parts.pop()!;
              for (const part of parts) if (part.startsWith('event: progress')) frames.push(part);
              if (frames.length >= 2) {
                req.destroy();
                resolve();
              }
            });
            // Only start the operation once the stream is subscribed.
            res.once('data', () => {
              void (async () => {
                await callOp(server, 'store.init', { passphrase: 'correct horse battery' });
                await callOp(server, 'publish.start', {
                  declarationIds: ['6f1c1c52-7c1e-4d7a-9d8e-0d6b1f1f0a01', '6f1c1c52-7c1e-4d7a-9d8e-0d6b1f1f0a02'],
                });
              })().catch(reject);
            });
          },
        );
        req.on('error', (e) => (frames.length >= 2 ? undefined : reject(e)));
        req.end();
      });
      await gotTwo;
      const data = frames.map((f) => JSON.parse(f.split('\ndata: ')[1]!) as { operation: string; callId: string; event: { done: number } });
      expect(data.map((d) => d.operation)).toEqual(['publish.start', 'publish.start']);
      expect(data.map((d) => d.event.done)).toEqual([1, 2]);
      expect(data[0]!.callId).toBe(data[1]!.callId);
      // the stream closed with the request; the hub forgot it
      await vi.waitFor(() => expect(server.progress.listenerCount).toBe(0));
    });
  });
});
