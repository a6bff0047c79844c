// Checks an event against a relay's advertised NIP-11 limits before sending it: an event the relay is bound to
// refuse is recorded as failed with the limit it breaks, instead of costing a round trip and an opaque refusal.

import type { NostrEvent } from '../core/declaration/types';
import type { RelayLimitation } from './nip11';

/** The exact frame we send, so its byte length is what the relay measures. */
export function eventFrame(event: NostrEvent): string {
  return JSON.stringify(['EVENT', event]);
}

/** Returns why `event` breaks `limitation` at `nowSeconds`, or null when it fits. */
export function relayLimitViolation(
  event: NostrEvent,
  limitation: RelayLimitation,
  nowSeconds: number,
  frame: string = eventFrame(event),
): string | null {
  const { max_message_length, max_content_length, max_event_tags, created_at_lower_limit, created_at_upper_limit } =
    limitation;
  if (max_message_length !== undefined) {
    const bytes = Buffer.byteLength(frame, 'utf8');
    if (bytes > max_message_length) {
      return `message is ${bytes} bytes; relay max_message_length is ${max_message_length}`;
    }
  }
  if (max_content_length !== undefined) {
    // NIP-11 counts unicode characters: code points, not UTF-16 units.
    const characters = Array.from(event.content).length;
    if (characters > max_content_length) {
      return `content is ${characters} characters; relay max_content_length is ${max_content_length}`;
    }
  }
  if (max_event_tags !== undefined && event.tags.length > max_event_tags) {
    return `event has ${event.tags.length} tags; relay max_event_tags is ${max_event_tags}`;
  }
  if (created_at_lower_limit !== undefined && event.created_at < nowSeconds - created_at_lower_limit) {
    return `created_at ${event.created_at} is older than the relay accepts (created_at_lower_limit ${created_at_lower_limit} s)`;
  }
  if (created_at_upper_limit !== undefined && event.created_at > nowSeconds + created_at_upper_limit) {
    return `created_at ${event.created_at} is further in the future than the relay accepts (created_at_upper_limit ${created_at_upper_limit} s)`;
  }
  return null;
}
