import type { Method } from './types';
import { salesforceErrorOf } from './errors';

const RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'ERROR_HTTP_503']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_SOCKET']);
export const MAX_ATTEMPTS = 4;

/** Bounded backoff: 0.25 s, 0.5 s, 1 s. Overridable so tests of retries stay fast. */
export const retryPolicy = { baseDelayMs: 250 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits before attempt `attempt + 1`. */
export const backoff = (attempt: number) => sleep(retryPolicy.baseDelayMs * 2 ** (attempt - 1));

export function isRetryable(method: Method, error: unknown): boolean {
	const { errorCode } = salesforceErrorOf(error);
	const code = (error as { code?: string })?.code;
	if (errorCode === 'UNABLE_TO_LOCK_ROW') return true;
	// jsforce itself retries GET/PUT/DELETE on 5xx and network errors; POST and PATCH are ours to retry.
	if (method !== 'POST' && method !== 'PATCH') return false;
	if (errorCode && RETRYABLE_CODES.has(errorCode)) return true;
	// A network error after a POST may have created the record: only an idempotent PATCH is replayed.
	return method === 'PATCH' && code !== undefined && NETWORK_CODES.has(code);
}
