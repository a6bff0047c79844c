// Declaration timestamps: RFC 3339 UTC, second precision, exactly `YYYY-MM-DDTHH:MM:SSZ`.
// One spelling per instant, so the signed bytes of a time never depend on who formatted it.

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/**
 * Timestamps recently parsed (text → seconds, or NaN for text that is not one). One verification parses the same few
 * times once per schema and check that reads them (≈ 10 per declaration); a bulk import sees the same times again and
 * again. Bounded; the mapping is a pure function of the text, so the cache cannot change an answer.
 */
const PARSED = new Map<string, number>();
const PARSED_LIMIT = 4096;
/** `YYYY-MM-DDTHH:MM:SSZ`: nothing longer or shorter is looked up or remembered (hostile text can be any size). */
const TIMESTAMP_LENGTH = 20;

/** Unix seconds of a strict timestamp, or undefined if the text is not one (including impossible dates like 02-30). */
export function parseTimestamp(text: unknown): number | undefined {
  if (typeof text !== 'string' || text.length !== TIMESTAMP_LENGTH) return undefined;
  let seconds = PARSED.get(text);
  if (seconds === undefined) {
    seconds = parseUncached(text) ?? Number.NaN;
    if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
    PARSED.set(text, seconds);
  }
  return Number.isNaN(seconds) ? undefined : seconds;
}

function parseUncached(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 02-30 over into March; a round trip exposes it.
  if (new Date(millis).getUTCDate() !== day) return undefined;
  return millis / 1000;
}

export function isTimestamp(text: unknown): text is string {
  return parseTimestamp(text) !== undefined;
}

/** Formats unix seconds (an integer ≥ 0) as a strict timestamp. */
export function timestampFromUnix(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new RangeError(`not a unix time in whole seconds: ${seconds}`);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Formats a Date, truncating to the second. */
export function timestampFromDate(date: Date): string {
  return timestampFromUnix(Math.floor(date.getTime() / 1000));
}

/** Unix seconds of a Date or a strict timestamp; throws RangeError for anything else. */
export function toUnixSeconds(at: Date | string): number {
  if (at instanceof Date) {
    const millis = at.getTime();
    if (Number.isNaN(millis)) throw new RangeError('invalid Date');
    return Math.floor(millis / 1000);
  }
  const seconds = parseTimestamp(at);
  if (seconds === undefined) throw new RangeError(`not a YYYY-MM-DDTHH:MM:SSZ timestamp: ${JSON.stringify(at)}`);
  return seconds;
}
