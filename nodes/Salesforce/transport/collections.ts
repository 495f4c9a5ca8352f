import { backoff, MAX_ATTEMPTS } from './retry';
import { withoutAttributes, type Requester, type SalesforceRecord, type SaveOperation, type SaveResult } from './types';

/** sObject Collections accept at most 200 records per call. */
export const COLLECTION_SIZE = 200;

/**
 * Create, update, upsert or delete many records through sObject Collections (200 per call, allOrNone false).
 * Results come back in input order; records that failed only because a row was locked are retried.
 */
export async function saveMany(
	requester: Requester,
	operation: SaveOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField?: string,
): Promise<SaveResult[]> {
	const results: SaveResult[] = new Array(records.length);
	for (let start = 0; start < records.length; start += COLLECTION_SIZE) {
		let pending = records.slice(start, start + COLLECTION_SIZE).map((record, offset) => ({ record, index: start + offset }));
		for (let attempt = 1; pending.length > 0; attempt++) {
			const chunkResults = await sendCollection(requester, operation, sobject, pending.map((entry) => entry.record), externalIdField);
			const retry: typeof pending = [];
			pending.forEach((entry, position) => {
				const result = chunkResults[position];
				const locked = !result.success && result.errors.some((error) => error.statusCode === 'UNABLE_TO_LOCK_ROW');
				if (locked && attempt < MAX_ATTEMPTS) retry.push(entry);
				else results[entry.index] = result;
			});
			pending = retry;
			if (pending.length > 0) await backoff(attempt);
		}
	}
	return results;
}

async function sendCollection(
	requester: Requester,
	operation: SaveOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField?: string,
): Promise<SaveResult[]> {
	if (operation === 'delete') {
		const ids = records.map((record) => encodeURIComponent(String(record.Id)));
		return await requester.request<SaveResult[]>('DELETE', `/composite/sobjects?allOrNone=false&ids=${ids.join(',')}`);
	}
	const body = {
		allOrNone: false,
		records: records.map((record) => ({ attributes: { type: sobject }, ...withoutAttributes(record) })),
	};
	if (operation === 'create') return await requester.request<SaveResult[]>('POST', '/composite/sobjects', body);
	if (operation === 'update') return await requester.request<SaveResult[]>('PATCH', '/composite/sobjects', body);
	return await requester.request<SaveResult[]>(
		'PATCH',
		`/composite/sobjects/${encodeURIComponent(sobject)}/${encodeURIComponent(String(externalIdField))}`,
		body,
	);
}
