// Browser mode: the operation table over HTTP on 127.0.0.1, for machines where Electron cannot run.
// Threat model: other local processes and web pages in the user's browser. Hence loopback only, a per-launch
// 256-bit bearer token, an exact Host check (DNS rebinding), an Origin check, and no CORS at all.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_INPUT_BYTES } from '../core/declaration/bundle';
import type { AppError, ErrorCode, Result } from '../core/errors';
import { createDispatcher, type ContextFactory, type OperationTable } from '../ipc/dispatch';
import { ProgressHub } from '../ipc/progress';
import { encodeWireResult } from '../ipc/wire';
import { contentTypeFor, resolveStaticFile, SECURITY_HEADERS } from './static';

/**
 * A body is one operation's input as JSON. The largest input is an import of MAX_INPUT_BYTES of text, and JSON escaping
 * at most doubles valid JSON text (a quote, a backslash or a whitespace control character becomes two bytes; other
 * characters stay as they are), so the body may be twice that, plus the other fields. At 32 MB, a 28.7 MB file of
 * events was a 31.9 MB body: a file the CLI imports would have been refused here.
 */
export const DEFAULT_MAX_BODY_BYTES = 2 * MAX_INPUT_BYTES + 64 * 1024;
const SSE_KEEPALIVE_MS = 20_000;
const OP_PATH = '/api/op/';
const EVENTS_PATH = '/api/events';

export interface WebServerOptions<Ctx> {
  table: OperationTable<Ctx>;
  makeContext: ContextFactory<Ctx>;
  /** Directory of the built renderer (dist/renderer). */
  rendererDir: string;
  /** 0 or absent: a free port chosen by the OS. */
  port?: number;
  maxBodyBytes?: number;
  /** Pass one in when something outside the server (the context factory) also publishes progress. */
  progress?: ProgressHub;
}

export interface WebServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` — the only origin API calls are accepted from (besides localhost:<port>). */
  readonly origin: string;
  /** Per-launch secret; the UI receives it in the URL fragment, which browsers never send to the server. */
  readonly token: string;
  /** The URL to open: origin + `/#token=…`. */
  readonly url: string;
  readonly progress: ProgressHub;
  /** Runs an operation from the server process itself (idle lock): no token, same validation and shaping. */
  call(route: string, input: unknown): Promise<Result<unknown>>;
  /** Seconds since the page last called an operation (browser mode's measure of inactivity). */
  secondsSinceLastCall(): number;
  close(): Promise<void>;
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, {
    ...(status === 413 ? { Connection: 'close' } : {}),
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

function sendRefusal(res: ServerResponse, refusal: HttpRefusal): void {
  const error: AppError = { code: refusal.code, message: refusal.message };
  sendJson(res, refusal.status, JSON.stringify({ ok: false, error }));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpRefusal(413, 'content_too_large', `Request body exceeds ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the refusal closes the connection instead of draining the rest.
        req.removeAllListeners('data');
        req.pause();
        reject(new HttpRefusal(413, 'content_too_large', `Request body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startWebServer<Ctx>(options: WebServerOptions<Ctx>): Promise<WebServer> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(`Bearer ${token}`);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const progress = options.progress ?? new ProgressHub();
  const dispatcher = createDispatcher(options.table, options.makeContext, (p) => progress.publish(p));
  let port = 0;
  let lastCallAt = Date.now();

  /** Host must name our loopback socket exactly; anything else is a rebinding attempt or a misdirected request. */
  function checkHost(req: IncomingMessage): string {
    const host = req.headers.host;
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      throw new HttpRefusal(421, 'unauthorized', 'Request refused: unexpected Host header');
    }
    return host;
  }

  function checkApiCaller(req: IncomingMessage, host: string, requireOrigin: boolean): void {
    const origin = req.headers.origin;
    if (origin === undefined ? requireOrigin : origin !== `http://${host}`) {
      throw new HttpRefusal(403, 'unauthorized', 'Request refused: it did not come from the Declaration Signer page');
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') {
      throw new HttpRefusal(403, 'unauthorized', 'Request refused: cross-site request');
    }
    const authorization = Buffer.from(req.headers.authorization ?? '');
    if (authorization.length !== tokenBytes.length || !timingSafeEqual(authorization, tokenBytes)) {
      throw new HttpRefusal(401, 'unauthorized', 'Request refused: missing or wrong session token; open the URL printed at start-up');
    }
  }

  async function handleOperation(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (req.method !== 'POST') throw new HttpRefusal(405, 'invalid_input', 'Operations are called with POST');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpRefusal(415, 'invalid_input', 'Operations take a JSON body (Content-Type: application/json)');
    const body = await readBody(req, maxBodyBytes);
    let input: unknown;
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpRefusal(400, 'invalid_json', 'Request body is not valid JSON');
      }
    }
    lastCallAt = Date.now();
    const result = await dispatcher.call(route, input);
    const status = !result.ok && result.error.code === 'not_found' && !dispatcher.routes.has(route) ? 404 : 200;
    sendJson(res, status, encodeWireResult(result));
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') throw new HttpRefusal(405, 'invalid_input', 'The event stream is read with GET');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = progress.subscribe((json) => {
      res.write(`event: progress\ndata: ${json}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    keepalive.unref();
    res.on('close', () => {
      clearInterval(keepalive);
      unsubscribe();
    });
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'invalid_input', 'Static files are read with GET');
    const file = resolveStaticFile(options.rendererDir, pathname);
    if (file === undefined) throw new HttpRefusal(404, 'not_found', 'Not found');
    const body = await readFile(file);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeFor(file)!,
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const host = checkHost(req);
      const rawPath = (req.url ?? '/').split('?')[0]!;
      if (rawPath === EVENTS_PATH || rawPath.startsWith(OP_PATH)) {
        // A page that may not read our responses (foreign origin) still must not be able to cause effects.
        checkApiCaller(req, host, req.method !== 'GET' && req.method !== 'HEAD');
        if (rawPath === EVENTS_PATH) return handleEvents(req, res);
        let route: string;
        try {
          route = decodeURIComponent(rawPath.slice(OP_PATH.length));
        } catch {
          throw new HttpRefusal(404, 'not_found', 'Unknown operation');
        }
        return await handleOperation(req, res, route);
      }
      if (rawPath.startsWith('/api/')) throw new HttpRefusal(404, 'not_found', 'Not found');
      return await handleStatic(req, res, rawPath);
    } catch (thrown) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (thrown instanceof HttpRefusal) return sendRefusal(res, thrown);
      sendRefusal(res, new HttpRefusal(500, 'internal_error', 'The browser bridge failed to answer'));
    }
  }

  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    port,
    origin,
    token,
    url: `${origin}/#token=${token}`,
    progress,
    call: dispatcher.call,
    secondsSinceLastCall: () => (Date.now() - lastCallAt) / 1000,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SSE streams never end on their own.
        server.closeAllConnections();
      }),
  };
}
