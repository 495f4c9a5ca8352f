import { salesforceErrorOf } from './errors';
import { NoAnswerError } from './http';
import type { Method, RequestOptions } from './types';

/** Salesforce answers that mean the request was not carried out: safe to send again, whatever the method. */
const NOT_PROCESSED_CODES = new Set(['SERVER_UNAVAILABLE', 'ERROR_HTTP_503']);
/** HTTP statuses on which a read is sent again (jsforce's own list, 420 and 429 left to the caller). */
export const REPLAYABLE_STATUS = new Set([500, 502, 503, 504]);
export const MAX_ATTEMPTS = 4;

/** Bounded backoff: 0.25 s, 0.5 s, 1 s. Overridable so tests of retries stay fast. */
export const retryPolicy = { baseDelayMs: 250 };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits before attempt `attempt + 1`. */
export const backoff = (attempt: number) => sleep(retryPolicy.baseDelayMs * 2 ** (attempt - 1));

/** Reads carry no effect: the transport replays them after a lost connection or a 5xx answer. */
export const isReplayableRead = (method: string) => method === 'GET' || method === 'HEAD';

/** Salesforce answers to a call it could not carry out for now (HTTP 500, 503, or a 5xx page): a read is sent again. */
const SERVER_ERROR_CODES = new Set(['UNKNOWN_EXCEPTION', 'SERVER_UNAVAILABLE', ...[...REPLAYABLE_STATUS].map((status) => `ERROR_HTTP_${status}`)]);

/**
 * Whether SalesforceClient.request sends a call again after this failure. Network failures of GETs and of requests
 * never sent are replayed by the transport (http.ts); a read with another method (`read: true`) is replayed here,
 * after a lost connection or a 5xx answer. The caller decides about writes that may have arrived.
 */
export function isRetryable(method: Method, error: unknown, options: RequestOptions = {}): boolean {
	const readNotReplayedByTransport = options.read === true && !isReplayableRead(method);
	if (error instanceof NoAnswerError) return readNotReplayedByTransport && error.reason === 'connectionLost';
	const { errorCode } = salesforceErrorOf(error);
	if (errorCode === undefined) return false;
	if (errorCode === 'UNABLE_TO_LOCK_ROW') return true;
	if (readNotReplayedByTransport) return SERVER_ERROR_CODES.has(errorCode);
	return !isReplayableRead(method) && NOT_PROCESSED_CODES.has(errorCode);
}
