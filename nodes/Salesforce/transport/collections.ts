import { withoutAttributes } from '../helpers/records';
import { OutcomeUnknownError } from './outcome';
import { backoff, MAX_ATTEMPTS } from './retry';
import type { Requester, SalesforceRecord, SaveOperation, SaveResult } from './types';

/** sObject Collections accept at most 200 records per call. */
export const COLLECTION_SIZE = 200;

/**
 * Create, update, upsert or delete many records through sObject Collections (200 per call, allOrNone false).
 * Results come back in input order; records that failed only because a row was locked are retried.
 *
 * A call whose connection closed before Salesforce answered may have been carried out. An update, upsert or delete
 * is then sent again: the same update is harmless; a delete that now finds ENTITY_IS_DELETED for a record of the
 * lost call deleted it; an upsert reports `created: true` truthfully, but `created: false` may mean that the lost
 * call created the record, so it becomes `created: null` with a note. A create is never sent again (it would
 * duplicate records): its OutcomeUnknownError is thrown, as is a timed-out call, which Salesforce may still be running.
 */
export async function saveMany(
	requester: Requester,
	operation: SaveOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField?: string,
): Promise<SaveResult[]> {
	const results: SaveResult[] = [];
	for (let start = 0; start < records.length; start += COLLECTION_SIZE) {
		const chunk = records.slice(start, start + COLLECTION_SIZE);
		results.push(...(await saveChunk(operation, chunk, (positions) => sendCollection(requester, { operation, sobject, externalIdField }, positions.map((p) => chunk[p])))));
	}
	return results;
}

/**
 * The records of one sObject Collections call, saved by `send` (the records at these positions of the chunk, in one
 * call); results in chunk order. Records refused only for a row lock are sent again, and so is a repeatable write whose
 * connection was lost (see saveMany); any other call failure is thrown.
 */
export async function saveChunk(
	operation: SaveOperation,
	records: SalesforceRecord[],
	send: (positions: number[]) => Promise<SaveResult[]>,
): Promise<SaveResult[]> {
	const results: SaveResult[] = new Array(records.length);
	let pending = records.map((record, position) => ({ record, position, inLostCall: false }));
	for (let attempt = 1; pending.length > 0; attempt++) {
		const answer = await send(pending.map((entry) => entry.position)).then(
			(chunkResults) => ({ chunkResults }),
			(error: unknown) => ({ error }),
		);
		if ('error' in answer) {
			if (!(attempt < MAX_ATTEMPTS && mayResend(operation, answer.error))) throw answer.error;
			pending.forEach((entry) => (entry.inLostCall = true));
			continue;
		}
		const { chunkResults } = answer;
		const retry: typeof pending = [];
		pending.forEach((entry, index) => {
			const result = chunkResults[index];
			const locked = !result.success && result.errors.some((error) => error.statusCode === 'UNABLE_TO_LOCK_ROW');
			if (locked && attempt < MAX_ATTEMPTS) retry.push(entry);
			else results[entry.position] = entry.inLostCall ? afterLostCall(operation, entry.record, result) : result;
		});
		pending = retry;
		if (pending.length > 0) await backoff(attempt);
	}
	return results;
}

const UPSERT_CREATED_UNKNOWN =
	'The connection closed before Salesforce answered the first attempt, which may have created this record; the repeated upsert found it, so whether it was created or updated is unknown.';

/** Only a lost connection (not a timeout: Salesforce may still be running the call) of a repeatable write. */
function mayResend(operation: SaveOperation, error: unknown): boolean {
	return operation !== 'create' && error instanceof OutcomeUnknownError && error.noAnswer?.reason === 'connectionLost';
}

/** What a record's result means when the call before it, holding the same record, got no answer. */
function afterLostCall(operation: SaveOperation, record: SalesforceRecord, result: SaveResult): SaveResult {
	if (operation === 'delete' && !result.success && result.errors.length > 0 && result.errors.every((error) => error.statusCode === 'ENTITY_IS_DELETED')) {
		return { id: String(record.Id), success: true, errors: [] };
	}
	if (operation === 'upsert' && result.success && result.created === false) {
		return { ...result, created: null, note: UPSERT_CREATED_UNKNOWN };
	}
	return result;
}

/** One sObject Collections call; upsert matches records by `externalIdField`. */
async function sendCollection(
	requester: Requester,
	{ operation, sobject, externalIdField }: { operation: SaveOperation; sobject: string; externalIdField?: string },
	records: SalesforceRecord[],
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
