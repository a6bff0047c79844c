// The baseline both publish benchmarks compare against: one connection per relay (relays in parallel), and each
// event awaits its OK before the next is sent — what a client without pipelining does.

import type { NostrEvent } from '../../electron/core/declaration/types';
import { RelayConnection } from '../../electron/relays/connection';

/** Returns how many (event, relay) pairs were accepted. */
export async function naivePublish(urls: string[], events: NostrEvent[]): Promise<number> {
  const perRelay = await Promise.all(
    urls.map(async (url) => {
      const connection = await RelayConnection.open(url, { connectTimeoutMs: 10_000 });
      let accepted = 0;
      for (const event of events) {
        const result = await connection.sendEvent(event, 10_000);
        if (result.kind === 'ok' && result.accepted) accepted += 1;
      }
      connection.close();
      return accepted;
    }),
  );
  return perRelay.reduce((a, b) => a + b, 0);
}
