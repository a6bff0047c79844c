// Test relays on 127.0.0.1, each on a random port: the real relay (in-process or as a killable child process),
// deliberately faulty relays built on `ws`, and a NIP-11 responder on the same port. A port with nothing listening
// is "relay down" (`unusedRelayUrl`).
//
// A port that must stay free for a while (a relay that is down, one killed and restarted on the same port) is taken
// below the kernel's ephemeral range: listen(0) picks among only ~7,000 ports there (odd ones, lower half), so a port
// merely closed comes back to the next listen(0) — the other test worker's relays, web servers — about one time in
// 7,000, and a "down" relay is then someone else's server.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { verifyEvent, type Event as ToolsEvent } from 'nostr-tools/pure';
import { WebSocketServer, type WebSocket } from 'ws';
import { startRelayServer, type RelayServer } from './real-relay.mjs';

export type { RelayServer };

/** The real @nostr-relay relay in this process; `file` keeps its events in an SQLite file (options: real-relay.mjs). */
export function startRealRelay(options: Parameters<typeof startRelayServer>[0] = {}): Promise<RelayServer> {
  return startRelayServer(options);
}

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Sends `signal` (default SIGKILL, i.e. `kill -9`) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the relay again on the same port and file (after `kill`). */
  restart(): Promise<void>;
  /** Graceful stop (SIGTERM); safe to call when already stopped. */
  close(): Promise<void>;
}

// Next to this file when run from source (vitest); from the repository root when bundled (bench/ runs from there).
const RELAY_PROCESS_SCRIPT = [
  fileURLToPath(new URL('./relay-process.mjs', import.meta.url)),
  resolvePath('tests/helpers/relay-process.mjs'),
].find((candidate) => existsSync(candidate))!;

function spawnRelay(port: number, file: string): Promise<{ child: ChildProcess; url: string; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RELAY_PROCESS_SCRIPT, '--port', String(port), '--file', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const started = JSON.parse(line) as { url: string; port: number };
      resolve({ child, ...started });
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`relay process exited before listening (code ${code}, signal ${signal}): ${stderr}`)),
    );
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** The real relay as a child process (`node tests/helpers/relay-process.mjs`). */
export async function startRealRelayProcess(options: { file?: string; port?: number } = {}): Promise<RelayProcess> {
  const file = options.file ?? ':memory:';
  // Outside the ephemeral range, so that the port is still free when restart() comes.
  let current = await spawnRelay(options.port ?? (await portOutsideEphemeralRange()), file);
  const port = current.port;
  return {
    url: current.url,
    port,
    get pid() {
      return current.child.pid!;
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      const exited = waitForExit(current.child);
      current.child.kill(signal);
      await exited;
    },
    async restart() {
      await waitForExit(current.child);
      current = await spawnRelay(port, file);
    },
    async close() {
      const exited = waitForExit(current.child);
      current.child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A ws:// URL on 127.0.0.1 where nothing listens, and nothing will unless a test starts a relay on that port. */
export async function unusedRelayUrl(): Promise<string> {
  return `ws://127.0.0.1:${await portOutsideEphemeralRange()}`;
}

/** Below this the kernel hands out no port to listen(0) or to an outgoing connection (the IANA range starts higher). */
function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
}

const RESERVED_PORTS_FROM = 10_000;

/**
 * A free port on 127.0.0.1 that no listen(0) or connect() can be given later: only an explicit bind to the same
 * number (a second pick of it, one in ~20,000) can take it. Where the ephemeral range covers everything, the
 * kernel's own choice.
 */
async function portOutsideEphemeralRange(): Promise<number> {
  const end = ephemeralRangeStart();
  const free = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createNetServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const bound = (server.address() as AddressInfo).port;
        server.close(() => resolve(bound));
      });
    });
  if (Number.isSafeInteger(end) && end - RESERVED_PORTS_FROM >= 1_000) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const port = await free(randomInt(RESERVED_PORTS_FROM, end));
      if (port !== undefined) return port;
    }
  }
  const port = await free(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}

export type FaultyMode =
  /** Answers every EVENT with OK true (a well-behaved relay, e.g. to combine with NIP-11 limits). */
  | 'accept'
  /** Accepts the connection, never sends anything (still answers pings, as a busy relay would). */
  | 'silent'
  /** Like 'silent' but also ignores pings: a dead peer that only keep-alive can detect. */
  | 'frozen'
  /** Answers every EVENT with `OK <accepted> "<prefix> …"`; `accepted` defaults to false. */
  | 'ok-false'
  /** NIP-42: sends a challenge, refuses EVENTs with `auth-required:` until a valid AUTH for it arrives. */
  | 'auth-required'
  /** Sends non-JSON and wrong-shaped frames and NOTICEs around every real answer. */
  | 'garbage'
  /** Sends one huge frame when the first EVENT arrives. */
  | 'oversized'
  /** Accepts `dropAfter` events, then terminates the socket when the next EVENT arrives. */
  | 'drop-after';

export interface Nip11Responder {
  /** Served as JSON for `Accept: application/nostr+json`. */
  document?: unknown;
  /** Served verbatim instead of `document` (to test malformed documents). */
  raw?: string;
  /** Delay before answering (to test the fetch deadline). */
  delayMs?: number;
}

export interface FaultyRelayOptions {
  /** For 'ok-false': the machine-readable prefix, e.g. `rate-limited:`. */
  prefix?: string;
  /** For 'ok-false': the OK's accepted flag (true for `duplicate:` / `pow:` info). */
  accepted?: boolean;
  /** For 'accept': answer each OK this long after the EVENT arrives (a stand-in for network latency; answers overlap). */
  okDelayMs?: number;
  /** For 'drop-after'. */
  dropAfter?: number;
  /** For 'oversized': bytes of the huge frame (default 3 MiB). */
  oversizedBytes?: number;
  /** For 'auth-required': only these pubkeys may AUTH (others get `restricted:`); default any valid signer. */
  allowedAuthPubkeys?: string[];
  nip11?: Nip11Responder;
  port?: number;
}

export interface FaultyRelay {
  readonly url: string;
  readonly port: number;
  /** Ids of EVENTs received, in arrival order (repeats included). */
  readonly receivedEventIds: string[];
  /** Pubkeys that completed a valid AUTH. */
  readonly authenticatedPubkeys: string[];
  /** Number of WebSocket connections accepted so far. */
  connectionCount(): number;
  close(): Promise<void>;
}

const GARBAGE_FRAMES = [
  'this is not json',
  '{"OK":true}',
  '[]',
  '[1,2,3]',
  'null',
  '["OK"]',
  '["OK",42,true,""]',
  '["EVENT"]',
  '["EOSE"]',
  '["CLOSED",7]',
  '["AUTH",{"not":"a string"}]',
  '["NOTICE","garbage relay says hello"]',
  '["NOTICE"]',
  '["UNKNOWN_VERB","x"]',
  '[',
];

/** Is `signed` a valid NIP-42 AUTH event for this challenge and relay URL (signature checked by nostr-tools)? */
function authProblem(signed: unknown, challenge: string, relayUrl: string): string | null {
  if (typeof signed !== 'object' || signed === null) return 'AUTH payload is not an event';
  const event = signed as ToolsEvent;
  if (event.kind !== 22242) return 'AUTH event must be kind 22242';
  if (!verifyEvent({ ...event })) return 'bad AUTH signature';
  const tag = (name: string) => event.tags.find((t) => t[0] === name)?.[1];
  if (tag('challenge') !== challenge) return 'AUTH challenge does not match';
  const relayTag = tag('relay');
  if (relayTag === undefined || relayTag.replace(/\/+$/, '') !== relayUrl) return 'AUTH relay tag does not match';
  if (Math.abs(event.created_at - Math.floor(Date.now() / 1000)) > 600) return 'AUTH created_at too far from now';
  return null;
}

export async function startFaultyRelay(mode: FaultyMode, options: FaultyRelayOptions = {}): Promise<FaultyRelay> {
  const receivedEventIds: string[] = [];
  const authenticatedPubkeys: string[] = [];
  let connections = 0;

  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const nip11 = options.nip11;
    if (!nip11 || !String(request.headers.accept ?? '').includes('application/nostr+json')) {
      response.writeHead(404).end();
      return;
    }
    const send = () => {
      if (response.destroyed) return;
      response.writeHead(200, { 'content-type': 'application/nostr+json', 'access-control-allow-origin': '*' });
      response.end(nip11.raw ?? JSON.stringify(nip11.document ?? {}));
    };
    if (nip11.delayMs) setTimeout(send, nip11.delayMs).unref();
    else send();
  });
  const wss = new WebSocketServer({ server: http, autoPong: mode !== 'frozen' });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const url = `ws://127.0.0.1:${port}`;

  wss.on('connection', (socket: WebSocket) => {
    connections += 1;
    socket.on('error', () => {});
    const send = (frame: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    };
    const challenge = `challenge-${connections}-${Math.random().toString(36).slice(2)}`;
    let authed = false;
    let accepted = 0;

    if (mode === 'auth-required') send(['AUTH', challenge]);
    if (mode === 'garbage') {
      for (const frame of GARBAGE_FRAMES) send(frame);
      socket.send(Buffer.from([0xff, 0x00, 0xfe]), { binary: true });
    }

    socket.on('message', (data) => {
      let message: unknown;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!Array.isArray(message)) return;
      const [verb] = message;

      if (verb === 'AUTH' && mode === 'auth-required') {
        const signed = message[1] as ToolsEvent;
        const problem = authProblem(signed, challenge, url);
        const id = typeof signed?.id === 'string' ? signed.id : '';
        if (problem) return send(['OK', id, false, `invalid: ${problem}`]);
        if (options.allowedAuthPubkeys && !options.allowedAuthPubkeys.includes(signed.pubkey)) {
          return send(['OK', id, false, 'restricted: this pubkey may not write here']);
        }
        authed = true;
        authenticatedPubkeys.push(signed.pubkey);
        return send(['OK', id, true, '']);
      }

      if (verb === 'REQ' && mode !== 'silent' && mode !== 'frozen') {
        if (mode === 'garbage') for (const frame of GARBAGE_FRAMES) send(frame);
        send(['EOSE', message[1]]);
        return;
      }

      if (verb !== 'EVENT') return;
      const id = (message[1] as { id?: unknown })?.id;
      if (typeof id !== 'string') return;
      receivedEventIds.push(id);

      switch (mode) {
        case 'silent':
        case 'frozen':
          return;
        case 'accept':
          if (options.okDelayMs) return void setTimeout(() => send(['OK', id, true, '']), options.okDelayMs);
          return send(['OK', id, true, '']);
        case 'ok-false':
          return send(['OK', id, options.accepted ?? false, `${options.prefix ?? 'error:'} test relay refuses this`]);
        case 'auth-required':
          return send(authed ? ['OK', id, true, ''] : ['OK', id, false, 'auth-required: please AUTH first']);
        case 'garbage':
          for (const frame of GARBAGE_FRAMES) send(frame);
          send(['OK', id, 'true', 'accepted flag is a string']);
          send(['OK', id.toUpperCase(), true, 'wrong id']);
          send(['NOTICE', `about ${id}: this NOTICE is not a publish result`]);
          return send(['OK', id, true, '']);
        case 'oversized':
          return send(`["NOTICE","${'x'.repeat(options.oversizedBytes ?? 3 * 1024 * 1024)}"]`);
        case 'drop-after':
          if (accepted >= (options.dropAfter ?? 0)) return socket.terminate();
          accepted += 1;
          return send(['OK', id, true, '']);
      }
    });
  });

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    receivedEventIds,
    authenticatedPubkeys,
    connectionCount: () => connections,
    close() {
      closed ??= (async () => {
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closed;
    },
  };
}
