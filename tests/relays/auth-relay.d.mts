import type { NostrEvent } from '../../electron/core/declaration';
import type { RelayServer } from '../helpers/real-relay.mjs';

export interface ReceivedAuth {
  event: NostrEvent;
  /** The challenge of the connection it came on. */
  challenge: string;
  /** Did the relay accept it (its NIP-42 checks, and the pubkey allowed)? */
  accepted: boolean;
}

export interface AuthRelayOptions {
  /** When the relay sends its challenge: on connect, or only after refusing a REQ. */
  challenge: 'on-connect' | 'after-closed';
  /** Only these pubkeys may AUTH (others get `OK false "restricted: …"`); default any valid signer. */
  allowedPubkeys?: readonly string[];
}

export interface AuthRelay extends RelayServer {
  readonly auths: ReceivedAuth[];
  /** REQs refused for want of AUTH. */
  refusedReqs(): number;
}

export const READ_AUTH_REASON: string;

export function startAuthRelay(options: AuthRelayOptions): Promise<AuthRelay>;
