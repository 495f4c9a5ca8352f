import type { Method } from './types';
import { salesforceErrorOf } from './errors';

/** Salesforce answers that mean the request was not carried out: safe to send again, whatever the method. */
const NOT_PROCESSED_CODES = new Set(['SERVER_UNAVAILABLE', 'ERROR_HTTP_503']);
/** HTTP statuses on which a read is sent again (jsforce's own list, 420 and 429 left to the caller). */
export const REPLAYABLE_STATUS = new Set([500, 502, 503, 504]);
export const MAX_ATTEMPTS = 4;

/** Bounded backoff: 0.25 s, 0.5 s, 1 s. Overridable so tests of retries stay fast. */
export const retryPolicy = { baseDelayMs: 250 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits before attempt `attempt + 1`. */
export const backoff = (attempt: number) => sleep(retryPolicy.baseDelayMs * 2 ** (attempt - 1));

/** Reads carry no effect: the transport replays them after a lost connection or a 5xx answer. */
export const isReplayableRead = (method: string) => method === 'GET' || method === 'HEAD';

/**
 * Whether SalesforceClient.request sends a call again after this Salesforce answer. Network failures are not
 * retried here: the transport replays what is safe (http.ts), the caller decides about writes that may have arrived.
 */
export function isRetryable(method: Method, error: unknown): boolean {
	const { errorCode } = salesforceErrorOf(error);
	if (errorCode === 'UNABLE_TO_LOCK_ROW') return true;
	return !isReplayableRead(method) && errorCode !== undefined && NOT_PROCESSED_CODES.has(errorCode);
}
