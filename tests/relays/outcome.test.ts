import { describe, expect, it } from 'vitest';
import {
  classifyOk,
  classifyTransportFailure,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  nextRetryDelay,
  okPrefix,
  RELAY_LIMIT_PREFIX,
  relayErrorAfter,
} from '../../electron/relays/outcome';

const plain = { canAuthenticate: false, authenticated: false };

describe('classifyOk', () => {
  it('reads the machine-readable prefix', () => {
    expect(okPrefix('rate-limited: slow down')).toBe('rate-limited');
    expect(okPrefix('auth-required: who are you')).toBe('auth-required');
    expect(okPrefix('no prefix here')).toBeNull();
    expect(okPrefix('Blocked: capitalised is not a NIP-01 prefix')).toBeNull();
    expect(okPrefix('')).toBeNull();
  });

  it('true is published whatever the message, informational prefixes included', () => {
    expect(classifyOk(true, '', plain)).toEqual({ state: 'published', prefix: null, reason: 'accepted' });
    expect(classifyOk(true, 'duplicate: already have this event', plain)).toMatchObject({ state: 'published', prefix: 'duplicate' });
    expect(classifyOk(true, 'pow: difficulty 25>=24', plain)).toMatchObject({ state: 'published', prefix: 'pow' });
  });

  it('maps false prefixes to retrying or failed and keeps the relay message', () => {
    const table: Array<[string, string]> = [
      ['rate-limited: slow down', 'retrying'],
      ['error: database busy', 'retrying'],
      ['blocked: you are banned', 'failed'],
      ['invalid: bad signature', 'failed'],
      ['restricted: not on the allow list', 'failed'],
      ['mute: nobody listens', 'failed'],
      ['pow: difficulty 10 < 20', 'failed'],
      ['whatever: future prefix', 'failed'],
      ['no prefix', 'failed'],
      ['', 'failed'],
    ];
    for (const [message, state] of table) {
      const outcome = classifyOk(false, message, plain);
      expect(outcome.state, message).toBe(state);
      if (message) expect(outcome.reason).toContain(message);
    }
    expect(classifyOk(false, '', plain).reason).toMatch(/refused without a message/);
  });

  it('auth-required is retrying only while AUTH can still help', () => {
    const message = 'auth-required: please AUTH';
    expect(classifyOk(false, message, { canAuthenticate: true, authenticated: false })).toMatchObject({
      state: 'retrying',
      prefix: 'auth-required',
    });
    expect(classifyOk(false, message, { canAuthenticate: false, authenticated: false }).state).toBe('failed');
    const after = classifyOk(false, message, { canAuthenticate: true, authenticated: true });
    expect(after.state).toBe('failed');
    expect(after.reason).toMatch(/still refused after NIP-42 AUTH/);
  });

  it('transport failures are retrying', () => {
    expect(classifyTransportFailure('timeout', 'no OK')).toEqual({ state: 'retrying', prefix: 'timeout', reason: 'no OK' });
  });
});

describe('nextRetryDelay (full jitter, capped)', () => {
  const almostOne = () => 0.999999;

  it('the ceiling doubles from the base and stops at the cap', () => {
    const ceilings = Array.from({ length: 30 }, (_, i) => nextRetryDelay(i + 1, almostOne));
    for (let i = 1; i < ceilings.length; i += 1) expect(ceilings[i]).toBeGreaterThanOrEqual(ceilings[i - 1]!);
    expect(ceilings[0]).toBe(Math.floor(0.999999 * 2_000));
    expect(ceilings[1]).toBe(Math.floor(0.999999 * 4_000));
    expect(Math.max(...ceilings)).toBeLessThanOrEqual(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(ceilings.at(-1)).toBe(Math.floor(0.999999 * DEFAULT_RETRY_POLICY.maxDelayMs));
    expect(nextRetryDelay(10_000, almostOne)).toBe(ceilings.at(-1)); // huge attempt numbers stay finite
  });

  it('is jittered over the whole range [0, ceiling)', () => {
    expect(nextRetryDelay(5, () => 0)).toBe(0);
    expect(nextRetryDelay(5, () => 0.5)).toBe(16_000);
    let seed = 42;
    const lcg = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const samples = Array.from({ length: 200 }, () => nextRetryDelay(4, lcg));
    expect(new Set(samples).size).toBeGreaterThan(150);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(16_000);
  });

  it('rejects a bad attempt number or random value', () => {
    expect(() => nextRetryDelay(0, () => 0.5)).toThrow(RangeError);
    expect(() => nextRetryDelay(1.5, () => 0.5)).toThrow(RangeError);
    expect(() => nextRetryDelay(1, () => 1)).toThrow(RangeError);
    expect(() => nextRetryDelay(1, () => Number.NaN)).toThrow(RangeError);
  });
});

describe('decideRetry', () => {
  const retrying = classifyTransportFailure('connect-failed', 'ECONNREFUSED');
  const policy = { baseDelayMs: 1_000, maxDelayMs: 8_000, maxAttempts: 3 };

  it('schedules a retry until the attempt budget is spent, then fails with the last reason', () => {
    expect(decideRetry(retrying, 1, () => 0.5, policy)).toMatchObject({ state: 'retrying', retryInMs: 500 });
    expect(decideRetry(retrying, 2, () => 0.5, policy)).toMatchObject({ state: 'retrying', retryInMs: 1_000 });
    const done = decideRetry(retrying, 3, () => 0.5, policy);
    expect(done.state).toBe('failed');
    expect(done.reason).toBe('gave up after 3 attempts; last: ECONNREFUSED');
    expect(done.retryInMs).toBeUndefined();
  });

  it('leaves published and failed alone', () => {
    const published = classifyOk(true, '', plain);
    expect(decideRetry(published, 99, () => 0.5, policy)).toBe(published);
  });
});

describe('relayErrorAfter', () => {
  it("is the relay's refusal or transport failure, null once it takes an event, and nothing for an event never sent", () => {
    expect(relayErrorAfter(classifyOk(false, 'blocked: no thanks', plain))).toBe('Publishing: blocked: no thanks');
    expect(relayErrorAfter(classifyTransportFailure('connect-failed', 'could not connect: connect ECONNREFUSED 127.0.0.1:7777'))).toBe(
      'Publishing: could not connect: connect ECONNREFUSED 127.0.0.1:7777',
    );
    expect(relayErrorAfter(classifyOk(true, 'duplicate: have it', plain))).toBeNull();
    expect(relayErrorAfter({ state: 'failed', prefix: RELAY_LIMIT_PREFIX, reason: 'not sent: event too large' })).toBeUndefined();
  });
});
