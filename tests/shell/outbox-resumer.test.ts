// The outbox resumer's scheduling: one round at a time, a round at start, quiet about a store not created yet.
// (The round itself, publish.retry, is tested against real relays in tests/publish.)

import { describe, expect, it } from 'vitest';
import type { Result } from '../../electron/core/errors';
import { startOutboxResumer } from '../../electron/ipc/outbox-resumer';

describe('startOutboxResumer', () => {
  it('runs a round at start and never two at once', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const resumer = startOutboxResumer(async () => {
      calls++;
      await gate;
      return { ok: true, value: {} } as Result<unknown>;
    }, { intervalMs: 3_600_000 });
    const again = resumer.kick();
    expect(calls).toBe(1);
    release();
    await again;
    await resumer.kick();
    expect(calls).toBe(2);
    resumer.stop();
  });

  it('reports failed rounds except for a store that does not exist yet', async () => {
    const errors: string[] = [];
    const answers: Result<unknown>[] = [
      { ok: false, error: { code: 'store_not_initialized', message: 'no store' } },
      { ok: false, error: { code: 'relay_error', message: 'boom' } },
    ];
    const resumer = startOutboxResumer(async () => answers.shift()!, { intervalMs: 3_600_000, onError: (m) => errors.push(m) });
    await resumer.kick();
    await resumer.kick();
    expect(errors).toEqual(['relay_error: boom']);
    resumer.stop();
  });
});
