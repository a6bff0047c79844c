// One WebSocket to one relay, reused for a whole batch. The rules that the usual libraries break (see
// nostr-anchors §3): every send has a deadline, a close or error settles every pending promise, a silent dead
// socket is found by ping/pong, NOTICE is recorded but never taken as a publish result, and malformed or
// oversized frames are dropped or cut off without taking the process down.

import WebSocket from 'ws';
import type { NostrEvent, UnsignedNostrEvent } from '../core/declaration/types';
import { parseRelayFrame } from './frames';
import { eventFrame } from './limits';
import { buildAuthTemplate } from './nip42';
import type { TransportFailure } from './outcome';

export const DEFAULT_MAX_PAYLOAD_BYTES = 2 * 1024 * 1024;
export const DEFAULT_PING_INTERVAL_MS = 15_000;
const MAX_KEPT_NOTICES = 50;

export interface RelayConnectionOptions {
  connectTimeoutMs: number;
  /** A ping every interval; no pong by the next one means the socket is dead. */
  pingIntervalMs?: number;
  /** Inbound frames larger than this close the connection (code 1009) instead of being buffered. */
  maxPayloadBytes?: number;
}

export type SendResult =
  | { kind: 'ok'; accepted: boolean; message: string }
  | { kind: 'transport'; failure: Extract<TransportFailure, 'connection-dropped' | 'timeout'>; detail: string };

export class RelayConnectError extends Error {
  readonly failure: Extract<TransportFailure, 'connect-failed' | 'connect-timeout'>;
  constructor(failure: RelayConnectError['failure'], message: string) {
    super(message);
    this.name = 'RelayConnectError';
    this.failure = failure;
  }
}

export interface SubscriptionHandlers {
  /** The event exactly as the relay sent it; untrusted until the importer parses and verifies it. */
  onEventText(eventText: string): void;
  onEose?(): void;
  /** The relay ended the subscription with `CLOSED`. */
  onClosed?(message: string): void;
}

type Settle = (result: SendResult) => void;

/** How one NIP-42 AUTH went: accepted (as `pubkey`), or the step where it stopped. */
export type AuthAttempt =
  | { kind: 'accepted'; pubkey: string }
  | { kind: 'no-challenge'; detail: string }
  | { kind: 'sign-failed'; error: unknown }
  /** The signer did not answer in time (a remote signer awaiting approval may well answer next time). */
  | { kind: 'sign-timeout'; detail: string }
  | { kind: 'refused'; pubkey: string; message: string }
  | { kind: 'transport'; failure: Extract<SendResult, { kind: 'transport' }>['failure']; detail: string };

let subscriptionCounter = 0;

export class RelayConnection {
  readonly url: string;
  /** NOTICEs received (the last 50): shown for diagnosis, never a publish result. */
  readonly notices: string[] = [];
  /** Frames that were not JSON, had the wrong shape or an unknown verb. */
  ignoredFrames = 0;

  private readonly socket: WebSocket;
  private readonly pending = new Map<string, Set<Settle>>();
  private readonly subscriptions = new Map<string, SubscriptionHandlers>();
  private readonly closeListeners = new Set<(detail: string) => void>();
  private readonly challengeWaiters = new Set<(challenge: string | undefined) => void>();
  private latestChallenge: string | undefined;
  private closedDetail: string | undefined;
  private lastError: string | undefined;
  private pingTimer: NodeJS.Timeout | undefined;

  private constructor(url: string, socket: WebSocket, pingIntervalMs: number) {
    this.url = url;
    this.socket = socket;
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('error', (error) => (this.lastError = error.message));
    socket.on('close', (code, reason) => this.handleClose(code, reason.toString('utf8')));
    let alive = true;
    socket.on('pong', () => (alive = true));
    this.pingTimer = setInterval(() => {
      if (!alive) {
        this.lastError = `no pong within ${pingIntervalMs} ms`;
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  /** Opens a connection or rejects with a `RelayConnectError` within `connectTimeoutMs`. */
  static open(url: string, options: RelayConnectionOptions): Promise<RelayConnection> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url, {
          handshakeTimeout: options.connectTimeoutMs,
          maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
          // Predictable CPU and memory: no decompression of relay frames.
          perMessageDeflate: false,
          followRedirects: false,
        });
      } catch (error) {
        reject(new RelayConnectError('connect-failed', error instanceof Error ? error.message : String(error)));
        return;
      }
      let lastError = 'connection closed during the handshake';
      const fail = (failure: RelayConnectError['failure'], message: string) => {
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on('error', () => {});
        socket.terminate();
        reject(new RelayConnectError(failure, message));
      };
      const timer = setTimeout(
        () => fail('connect-timeout', `no connection within ${options.connectTimeoutMs} ms`),
        options.connectTimeoutMs,
      );
      // Node's message usually names the code already ("connect ECONNREFUSED 127.0.0.1:7777"): add it only when not.
      socket.on('error', (error: NodeJS.ErrnoException) => (lastError = error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message));
      socket.once('close', () => fail('connect-failed', lastError));
      socket.once('open', () => {
        clearTimeout(timer);
        socket.removeAllListeners();
        resolve(new RelayConnection(url, socket, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS));
      });
    });
  }

  get isOpen(): boolean {
    return this.closedDetail === undefined && this.socket.readyState === WebSocket.OPEN;
  }

  /** The latest NIP-42 challenge the relay sent on this connection. */
  get challenge(): string | undefined {
    return this.latestChallenge;
  }

  /** Resolves with the challenge, waiting up to `timeoutMs` for one; undefined if none came. */
  waitForChallenge(timeoutMs: number): Promise<string | undefined> {
    if (this.latestChallenge !== undefined || !this.isOpen) return Promise.resolve(this.latestChallenge);
    return new Promise((resolve) => {
      const done = (challenge: string | undefined) => {
        clearTimeout(timer);
        this.challengeWaiters.delete(done);
        resolve(challenge);
      };
      const timer = setTimeout(() => done(undefined), timeoutMs);
      this.challengeWaiters.add(done);
    });
  }

  /** Sends `["EVENT", event]` and settles with the relay's OK, a timeout, or the connection dropping. Never rejects. */
  sendEvent(event: NostrEvent, timeoutMs: number, frame: string = eventFrame(event)): Promise<SendResult> {
    return this.sendAwaitingOk(event.id, frame, timeoutMs);
  }

  /** Sends `["AUTH", signedAuthEvent]` (NIP-42); the relay answers with an OK for the AUTH event's id. */
  sendAuth(signedAuthEvent: NostrEvent, timeoutMs: number): Promise<SendResult> {
    return this.sendAwaitingOk(signedAuthEvent.id, JSON.stringify(['AUTH', signedAuthEvent]), timeoutMs);
  }

  /**
   * NIP-42: signs the kind-22242 event for this connection's challenge (waiting for one if the relay has not sent it
   * yet, at most `challengeWaitMs`), sends it and awaits the relay's OK — all within `timeoutMs`. Never rejects; `sign`
   * is called at most once.
   */
  async authenticate(
    sign: (template: UnsignedNostrEvent) => NostrEvent | Promise<NostrEvent>,
    timeoutMs: number,
    nowMs: () => number = Date.now,
    challengeWaitMs = timeoutMs,
  ): Promise<AuthAttempt> {
    const deadline = nowMs() + timeoutMs;
    const remaining = () => Math.max(0, deadline - nowMs());
    const challenge = await this.waitForChallenge(Math.min(challengeWaitMs, remaining()));
    if (challenge === undefined) {
      return { kind: 'no-challenge', detail: this.isOpen ? `no AUTH challenge within ${Math.min(challengeWaitMs, timeoutMs)} ms` : (this.closedDetail ?? 'connection is not open') };
    }
    let signed: NostrEvent;
    let timer: NodeJS.Timeout | undefined;
    const late = Symbol('late');
    try {
      const timeout = new Promise<typeof late>((resolve) => {
        timer = setTimeout(() => resolve(late), remaining());
      });
      const result = await Promise.race([Promise.resolve().then(() => sign(buildAuthTemplate(this.url, challenge, Math.floor(nowMs() / 1000)))), timeout]);
      if (result === late) return { kind: 'sign-timeout', detail: `signing the AUTH event took longer than ${timeoutMs} ms` };
      signed = result;
    } catch (error) {
      return { kind: 'sign-failed', error };
    } finally {
      clearTimeout(timer);
    }
    const answer = await this.sendAuth(signed, remaining());
    if (answer.kind === 'transport') return { kind: 'transport', failure: answer.failure, detail: answer.detail };
    return answer.accepted ? { kind: 'accepted', pubkey: signed.pubkey } : { kind: 'refused', pubkey: signed.pubkey, message: answer.message };
  }

  /** Opens a subscription; returns its id and a close function that sends `CLOSE`. */
  subscribe(filters: readonly object[], handlers: SubscriptionHandlers): { id: string; close(): void } {
    subscriptionCounter += 1;
    const id = `declsign-${subscriptionCounter}`;
    this.subscriptions.set(id, handlers);
    this.sendFrame(JSON.stringify(['REQ', id, ...filters]));
    return {
      id,
      close: () => {
        if (this.subscriptions.delete(id)) this.sendFrame(JSON.stringify(['CLOSE', id]));
      },
    };
  }

  /** Called once when the connection ends for any reason, after every pending send has been settled. */
  onClose(listener: (detail: string) => void): () => void {
    if (this.closedDetail !== undefined) {
      listener(this.closedDetail);
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    if (this.closedDetail !== undefined) return;
    this.socket.close(1000);
    // A relay that never completes the closing handshake must not keep us waiting.
    setTimeout(() => this.socket.terminate(), 1_000).unref();
    this.handleClose(1000, 'closed by us');
  }

  private sendAwaitingOk(id: string, frame: string, timeoutMs: number): Promise<SendResult> {
    if (!this.isOpen) {
      return Promise.resolve({ kind: 'transport', failure: 'connection-dropped', detail: this.closedDetail ?? 'connection is not open' });
    }
    return new Promise((resolve) => {
      let waiters = this.pending.get(id);
      if (!waiters) this.pending.set(id, (waiters = new Set()));
      const settle: Settle = (result) => {
        clearTimeout(timer);
        waiters.delete(settle);
        if (waiters.size === 0 && this.pending.get(id) === waiters) this.pending.delete(id);
        resolve(result);
      };
      const timer = setTimeout(
        () => settle({ kind: 'transport', failure: 'timeout', detail: `no OK from the relay within ${timeoutMs} ms` }),
        timeoutMs,
      );
      waiters.add(settle);
      this.sendFrame(frame);
    });
  }

  private sendFrame(frame: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    // A send error surfaces as a socket 'error' + 'close', which settles everything pending.
    this.socket.send(frame, (error) => {
      if (error) this.lastError = error.message;
    });
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.ignoredFrames += 1;
      return;
    }
    const frame = parseRelayFrame(data.toString());
    switch (frame.type) {
      case 'OK': {
        const waiters = this.pending.get(frame.eventId);
        if (!waiters) return; // an OK for something we are not waiting on: nothing to settle
        for (const settle of [...waiters]) settle({ kind: 'ok', accepted: frame.accepted, message: frame.message });
        return;
      }
      case 'EVENT':
        this.subscriptions.get(frame.subscriptionId)?.onEventText(frame.eventText);
        return;
      case 'EOSE':
        this.subscriptions.get(frame.subscriptionId)?.onEose?.();
        return;
      case 'CLOSED': {
        const handlers = this.subscriptions.get(frame.subscriptionId);
        this.subscriptions.delete(frame.subscriptionId);
        handlers?.onClosed?.(frame.message);
        return;
      }
      case 'NOTICE':
        this.notices.push(frame.message.slice(0, 1_000));
        if (this.notices.length > MAX_KEPT_NOTICES) this.notices.shift();
        return;
      case 'AUTH':
        this.latestChallenge = frame.challenge;
        for (const waiter of [...this.challengeWaiters]) waiter(frame.challenge);
        return;
      case 'ignored':
        this.ignoredFrames += 1;
        return;
    }
  }

  private handleClose(code: number, reason: string): void {
    if (this.closedDetail !== undefined) return;
    const why = this.lastError ?? (reason || `closed with code ${code}`);
    this.closedDetail = `connection dropped: ${why}`;
    clearInterval(this.pingTimer);
    for (const waiters of [...this.pending.values()]) {
      for (const settle of [...waiters]) settle({ kind: 'transport', failure: 'connection-dropped', detail: this.closedDetail });
    }
    for (const waiter of [...this.challengeWaiters]) waiter(undefined);
    this.subscriptions.clear();
    for (const listener of [...this.closeListeners]) listener(this.closedDetail);
    this.closeListeners.clear();
  }
}
