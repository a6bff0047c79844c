export interface RelayServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startRelayServer(options?: {
  port?: number;
  file?: string;
  /** Turns on the relay's NIP-42: AUTH events must name a relay URL on this host. */
  hostname?: string;
  plugins?: import('@nostr-relay/common').NostrRelayPlugin[];
  /** false: no greeting on connect (with NIP-42 on, no challenge until a plugin sends one). Default true. */
  greet?: boolean;
}): Promise<RelayServer>;
