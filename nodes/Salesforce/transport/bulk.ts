import type { Connection } from 'jsforce';

import { salesforceErrorOf } from './errors';
import { NoAnswerError } from './http';
import { saveMany } from './collections';
import { OUTCOME_UNKNOWN, OutcomeUnknownError } from './outcome';
import { backoff, isRetryable, MAX_ATTEMPTS, sleep } from './retry';
import { withoutAttributes } from '../helpers/records';
import type { Requester, SalesforceRecord, SaveOperation, SaveResult } from './types';

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';

/**
 * How an ingest job is watched: the first check after `pollIntervalMs`, each next one twice as late up to
 * `maxPollIntervalMs`, for at most `pollTimeoutMs`. Overridable so tests stay fast.
 */
export const bulkPolicy = { pollIntervalMs: 500, maxPollIntervalMs: 10_000, pollTimeoutMs: 30 * 60 * 1000 };

/** The statusCode of a row Salesforce did not reach (the job failed or was aborted first): safe to send again. */
export const UNPROCESSED = 'UNPROCESSED';

/** Bulk API 2.0 CSV's null value. */
const NULL_MARKER = '#N/A';

const SAVE_OPERATION = { insert: 'create', update: 'update', upsert: 'upsert', delete: 'delete' } as const satisfies Record<BulkOperation, SaveOperation>;

type IngestJob = ReturnType<Connection['bulk2']['createJob']>;
type JobInfo = Awaited<ReturnType<IngestJob['check']>>;
type ResultRow = Record<string, unknown>;

interface JobResults {
	successful: ResultRow[];
	failed: ResultRow[];
	unprocessed: ResultRow[];
}

const FINAL_STATES = new Set<JobInfo['state']>(['JobComplete', 'Failed', 'Aborted']);

/**
 * Many records through Bulk API 2.0, results in input order. A record holding the text "#N/A" goes through sObject
 * Collections instead (`collections`: SalesforceClient), because Bulk CSV reads that value as null ("Valid CSV Record
 * Rows": "To set a field value to null, use a field value of #N/A").
 */
export async function bulkIngest(
	conn: Connection,
	operation: BulkOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField: string | undefined,
	collections: Requester,
): Promise<SaveResult[]> {
	const literal = records.map(holdsNullMarker);
	const csvRecords = records.filter((_, index) => !literal[index]);
	const literalRecords = records.filter((_, index) => literal[index]);
	const csvResults = csvRecords.length > 0 ? await ingestJob(conn, operation, sobject, csvRecords, externalIdField) : [];
	const literalResults = literalRecords.length > 0 ? await saveLiterally(collections, operation, sobject, literalRecords, externalIdField) : [];
	return literal.map((isLiteral) => (isLiteral ? literalResults : csvResults).shift()!);
}

/**
 * One Bulk API 2.0 ingest job, step by step (create, upload, close, poll, results), each step's failure handled so
 * that no row is sent twice and no row that may have been saved is reported failed. Results are mapped back to
 * input order: Salesforce returns result rows in no particular order, echoing the submitted columns, so rows are
 * matched on Id (update, delete), on the external ID (upsert), or on the full submitted row (insert; identical rows
 * are interchangeable).
 */
async function ingestJob(
	conn: Connection,
	operation: BulkOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField?: string,
): Promise<SaveResult[]> {
	const columns = [...new Set(records.flatMap((record) => Object.keys(withoutAttributes(record))))];
	const rows = records.map((record) => columns.map((column) => csvValue(record[column])));
	const job = await openAndUpload(conn, { object: sobject, operation, externalIdFieldName: externalIdField }, toCsv(columns, rows));
	await closeJob(job);
	const info = await waitUntilFinal(job);
	if (typeof info === 'string') return rows.map(() => unknownOutcome(job, info));
	const results = await readResults(job);
	if (typeof results === 'string') return rows.map(() => unknownOutcome(job, results));

	const keyOf = (row: ResultRow) => {
		if (operation === 'update' || operation === 'delete') return String(row.Id ?? '').slice(0, 15);
		if (operation === 'upsert') return String(row[String(externalIdField)] ?? '');
		return JSON.stringify(columns.map((column) => row[column] ?? ''));
	};
	const submitted = rows.map((values) => Object.fromEntries(columns.map((column, index) => [column, values[index]])));
	const byKey = new Map<string, SaveResult[]>();
	const add = (row: ResultRow, result: SaveResult) => {
		const key = keyOf(row);
		byKey.set(key, [...(byKey.get(key) ?? []), result]);
	};
	for (const row of results.successful) {
		add(row, { id: String(row.sf__Id), success: true, created: String(row.sf__Created) === 'true', errors: [] });
	}
	for (const row of results.failed) {
		add(row, { id: row.sf__Id ? String(row.sf__Id) : undefined, success: false, errors: [bulkError(String(row.sf__Error))] });
	}
	const notProcessed = {
		statusCode: UNPROCESSED,
		message: `Bulk API 2.0 job ${job.id} ended ${info.state} before this row: nothing was written, running the item again is safe.${info.errorMessage ? ` Salesforce said: ${info.errorMessage}` : ''}`,
	};
	for (const row of results.unprocessed) add(row, { success: false, errors: [notProcessed] });
	return submitted.map((row) => byKey.get(keyOf(row))?.shift() ?? unknownOutcome(job, `ended ${info.state} without a result for this row`));
}

/**
 * Records with a literal "#N/A" through sObject Collections. This runs after the Bulk job, so a failed call (already
 * the user's NodeApiError or OutcomeUnknownError, from SalesforceClient.request) becomes these records' results
 * rather than hiding what the job saved.
 */
async function saveLiterally(
	collections: Requester,
	operation: BulkOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField?: string,
): Promise<SaveResult[]> {
	try {
		return await saveMany(collections, SAVE_OPERATION[operation], sobject, records, externalIdField);
	} catch (error) {
		const answer = (error as { errorResponse?: { errorCode?: string; message?: string } }).errorResponse;
		const statusCode = error instanceof OutcomeUnknownError ? OUTCOME_UNKNOWN : (answer?.errorCode ?? 'UNKNOWN_EXCEPTION');
		const message = error instanceof OutcomeUnknownError ? error.reason : (answer?.message ?? String((error as Error)?.message));
		return records.map(() => ({ success: false, errors: [{ statusCode, message }] }));
	}
}

const holdsNullMarker = (record: SalesforceRecord) => Object.values(withoutAttributes(record)).includes(NULL_MARKER);

/**
 * Creates the job and uploads its CSV. Salesforce processes nothing before the upload is marked complete (doc "Upload
 * Complete"), so a create or upload whose answer was lost is started again on a new job, the old one aborted. The CSV
 * is sent as one body rather than through jsforce's upload stream, which a replay after a session renewal (401)
 * would send empty and leave waiting for data.
 */
async function openAndUpload(conn: Connection, options: Parameters<Connection['bulk2']['createJob']>[0], csv: string) {
	for (let attempt = 1; ; attempt++) {
		const job = conn.bulk2.createJob(options);
		const upload = async () =>
			await conn.request({
				method: 'PUT',
				url: `/services/data/v${conn.version}/jobs/ingest/${job.id}/batches`,
				body: csv,
				headers: { 'Content-Type': 'text/csv' },
			});
		const failure = await failureOf(job.open().then(upload));
		if (failure === undefined) return job;
		if (job.id) await abort(job);
		// SalesforceClient.bulkIngest turns it into the NodeApiError a user sees.
		if (attempt >= MAX_ATTEMPTS || !isTransient(failure)) throw failure;
		await backoff(attempt);
	}
}

/**
 * Marks the upload complete, which starts processing. An answer Salesforce gave (a refusal) to the first close leaves
 * the job Open and unprocessed: it is aborted and the refusal thrown. A lost answer (dropped, timed out, 5xx) is
 * followed by reading the job by its id: past Open, it is processing; still Open (or unreadable), it is closed again.
 * A job that cannot be closed is aborted; its results then say what was processed.
 */
async function closeJob(job: IngestJob): Promise<void> {
	let answerLost = false;
	for (let attempt = 1; ; attempt++) {
		const failure = await failureOf(job.close());
		if (failure === undefined) return;
		if (!answerLost && !isTransient(failure) && salesforceErrorOf(failure).errorCode !== 'INVALIDJOBSTATE') {
			await abort(job);
			throw failure;
		}
		answerLost = true;
		const info = await job.check().catch(() => undefined);
		if (info && info.state !== 'Open') return;
		if (attempt >= MAX_ATTEMPTS) return void (await abort(job));
		await backoff(attempt);
	}
}

/**
 * Polls the job until it reaches a final state; lost or failed checks are retried within the poll timeout, a
 * refusal (such as REQUEST_LIMIT_EXCEEDED) ends the wait. Returns the final state, or why it could not be learnt.
 */
async function waitUntilFinal(job: IngestJob): Promise<JobInfo | string> {
	const deadline = Date.now() + bulkPolicy.pollTimeoutMs;
	let info: JobInfo | undefined;
	let problem = 'could not be read';
	for (let interval = bulkPolicy.pollIntervalMs; !info || !FINAL_STATES.has(info.state); ) {
		if (Date.now() + interval > deadline) {
			return info ? `was still ${info.state} after ${bulkPolicy.pollTimeoutMs / 1000} s` : problem;
		}
		await sleep(interval);
		interval = Math.min(interval * 2, bulkPolicy.maxPollIntervalMs);
		try {
			info = await job.check();
		} catch (error) {
			problem = `could not be read (${failureName(error)})`;
			if (!isTransient(error)) return problem;
		}
	}
	return info;
}

/** Successful, failed and unprocessed rows; Salesforce keeps them for failed and aborted jobs too. */
async function readResults(job: IngestJob): Promise<JobResults | string> {
	for (let attempt = 1; ; attempt++) {
		try {
			const results = await job.getAllResults();
			const rowsOf = (value: unknown) => (Array.isArray(value) ? (value as ResultRow[]) : []);
			return {
				successful: rowsOf(results.successfulResults),
				failed: rowsOf(results.failedResults),
				unprocessed: rowsOf(results.unprocessedRecords),
			};
		} catch (error) {
			if (attempt >= MAX_ATTEMPTS || !isTransient(error)) return `ended, but its results could not be read (${failureName(error)})`;
			await backoff(attempt);
		}
	}
}

/** A step's failure as a value (undefined when it succeeded), for the caller to repeat, give up or throw. */
async function failureOf(step: Promise<unknown>): Promise<unknown> {
	return await step.then(
		() => undefined,
		(error: unknown) => error ?? new Error('Bulk API 2.0 step failed'),
	);
}

/** Best effort: a job left Open is never processed, so a failed abort changes nothing for the rows. */
async function abort(job: IngestJob): Promise<void> {
	await job.abort().catch(() => undefined);
}

/**
 * The answer was lost (dropped, timed out) or Salesforce was briefly unavailable (503, a locked row): a step that is
 * safe to repeat may be tried again.
 */
function isTransient(error: unknown): boolean {
	return error instanceof NoAnswerError || isRetryable('PATCH', error);
}

/** A failure in a few words: the transport's account of a lost answer, or Salesforce's code; never a quoted request. */
function failureName(error: unknown): string {
	if (error instanceof NoAnswerError) return error.message;
	return salesforceErrorOf(error).errorCode ?? (error as Error)?.name ?? 'unknown error';
}

/** A row whose outcome could not be learnt (Salesforce may have saved it): its error's statusCode is OUTCOME_UNKNOWN. */
function unknownOutcome(job: IngestJob, what: string): SaveResult {
	const reason = `Bulk API 2.0 job ${job.id} ${what} (Setup → Bulk Data Load Jobs shows what it saved)`;
	return { success: false, errors: [{ statusCode: OUTCOME_UNKNOWN, message: reason }] };
}

/** Bulk API 2.0 CSV ("Valid CSV Record Rows"): comma-separated, every value quoted, a quote inside doubled, LF lines. */
function toCsv(columns: string[], rows: string[][]): string {
	const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
	return [columns.join(','), ...rows.map((values) => values.map(quote).join(','))].join('\n') + '\n';
}

function csvValue(value: unknown): string {
	if (value === null) return NULL_MARKER;
	if (value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A failed row's sf__Error, `CODE:message:FIELD1,FIELD2 --` (the message may hold colons, the field list may be empty). */
function bulkError(text: string): { statusCode: string; message: string; fields?: string[] } {
	const match = /^([A-Z_]+):(.*):([^:]*?)\s*--$/s.exec(text) ?? /^([A-Z_]+):(.*)()$/s.exec(text);
	if (!match) return { statusCode: 'BULK_ERROR', message: text };
	const fields = match[3].split(',').map((field) => field.trim()).filter(Boolean);
	return { statusCode: match[1], message: match[2].trim(), ...(fields.length ? { fields } : {}) };
}
