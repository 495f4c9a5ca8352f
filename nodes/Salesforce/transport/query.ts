import { NodeApiError } from 'n8n-workflow';

import { buildSelect, quote, SoqlError, type SelectQuery } from '../helpers/soql';
import type { QueryPage, Requester, SalesforceRecord } from './types';

export interface QueryOptions {
	/** queryAll: include deleted and archived rows. */
	includeDeleted?: boolean;
	/** Records per page (Sforce-Query-Options batchSize). */
	batchSize?: number;
	/**
	 * The parts the SOQL was built from (buildSelect). With them, a SELECT whose URL would pass Salesforce's limit is
	 * read in parts (see readWide) instead of being refused.
	 */
	select?: SelectQuery;
}

/**
 * Salesforce accepts at most 16,384 bytes of URI plus headers in a REST request ("Salesforce Developer Limits and
 * Allocations Quick Reference", API Request Limits and Allocations) and answers 414 or 431 beyond.
 */
export const MAX_URI_AND_HEADERS_BYTES = 16_384;
export const URI_LIMIT_TEXT = `Salesforce accepts at most ${MAX_URI_AND_HEADERS_BYTES.toLocaleString('en-US')} bytes of URL and headers`;
/** What the headers of a query may take of that: Authorization (the token), Host, User-Agent, Accept, Content-Type, Sforce-Query-Options. */
const HEADERS_ALLOWANCE_BYTES = 2_048;
/** The URI bytes a query may take. */
export const URI_BUDGET_BYTES = MAX_URI_AND_HEADERS_BYTES - HEADERS_ALLOWANCE_BYTES;
/** The longest path before the query text: /services/data/vNNN.N/queryAll?q= */
const PATH_BYTES = '/services/data/v100.0/queryAll?q='.length;
/** sObject Collections retrieve reads at most 2,000 records a call ("Get Records Using sObject Collections"). */
export const RETRIEVE_SIZE = 2000;
/** IDs per `Id IN (…)` of a slice query: 200 IDs take about 5,000 of the URI's bytes, leaving the rest for fields. */
const IDS_PER_SLICE = 200;

/** The URI bytes of a query: its path plus the SOQL, percent-encoded as sent. */
export const queryBytes = (soql: string): number => PATH_BYTES + Buffer.byteLength(encodeURIComponent(soql));

/** A query that cannot be sent: its URI would pass Salesforce's limit and it cannot be read in parts. */
export class QueryTooLongError extends SoqlError {
	constructor(
		readonly bytes: number,
		fix: string,
	) {
		super(
			`The query is ${bytes.toLocaleString('en-US')} bytes, ${URI_LIMIT_TEXT}: ${fix}`,
		);
	}
}

const SHORTEN_CONDITIONS = 'shorten the condition values (a long text, a long list of IN values) or spread them over several items';

/** First page of a query (`includeDeleted` uses queryAll); follow with queryMore(nextRecordsUrl). */
export async function query<T = SalesforceRecord>(requester: Requester, soql: string, options: QueryOptions = {}): Promise<QueryPage<T>> {
	const bytes = queryBytes(soql);
	if (bytes > URI_BUDGET_BYTES) {
		if (options.select) return (await readWide(requester, options.select, options)) as QueryPage<T>;
		throw new QueryTooLongError(bytes, `${SHORTEN_CONDITIONS}, or select fewer fields.`);
	}
	const resource = options.includeDeleted ? 'queryAll' : 'query';
	const headers = options.batchSize ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` } : undefined;
	try {
		return await requester.request<QueryPage<T>>('GET', `/${resource}?q=${encodeURIComponent(soql)}`, undefined, headers);
	} catch (error) {
		throw tooLongAnswer(error, soql) ?? error;
	}
}

export async function queryMore<T = SalesforceRecord>(requester: Requester, nextRecordsUrl: string): Promise<QueryPage<T>> {
	const wide = wideReads.get(requester)?.get(nextRecordsUrl);
	const page = await requester.request<QueryPage<SalesforceRecord>>('GET', nextRecordsUrl);
	if (!wide) return page as QueryPage<T>;
	const completed = await completePage(requester, wide, page);
	wideReads.get(requester)?.delete(nextRecordsUrl);
	return completed as QueryPage<T>;
}

/** All records up to `max` (follows nextRecordsUrl, never OFFSET). */
export async function queryAllPages<T = SalesforceRecord>(
	requester: Requester,
	soql: string,
	options: QueryOptions & { max?: number } = {},
): Promise<T[]> {
	const max = options.max ?? Infinity;
	let page = await query<T>(requester, soql, options);
	const records = [...page.records];
	while (!page.done && page.nextRecordsUrl && records.length < max) {
		page = await queryMore<T>(requester, page.nextRecordsUrl);
		records.push(...page.records);
	}
	return records.slice(0, max);
}

/** Salesforce's 414/431 (an HTML page, not JSON) for a query, as the cause and the fix; undefined for other errors. */
function tooLongAnswer(error: unknown, soql: string): QueryTooLongError | undefined {
	const status = error instanceof NodeApiError ? error.httpCode : undefined;
	if (status !== '414' && status !== '431') return undefined;
	return new QueryTooLongError(queryBytes(soql), `Salesforce answered HTTP ${status}. ${SHORTEN_CONDITIONS}, or select fewer fields.`);
}

/** How the pages of a query read in parts are completed: the fields its SOQL leaves out. */
interface WideRead {
	select: SelectQuery;
	/** Fields read by the SOQL itself: Id, the sort fields (their values must be the ones the order was decided on) and parent fields. */
	core: string[];
	/** Fields read afterwards for the page's IDs. */
	rest: string[];
	includeDeleted: boolean;
}

/** The wide reads of each client, by the nextRecordsUrl of their next page. */
const wideReads = new WeakMap<Requester, Map<string, WideRead>>();

/**
 * A SELECT too long for one URL (objects with hundreds of custom fields): the SOQL reads the IDs, sort fields and
 * parent fields; every other field comes from sObject Collections retrieve (POST, 2,000 IDs a call), merged back in
 * query order, page by page. Retrieve skips deleted records, so those (queryAll) are read by several SOQL queries,
 * each selecting a slice of the fields for some of the page's IDs within the limit.
 */
async function readWide(requester: Requester, select: SelectQuery, options: QueryOptions): Promise<QueryPage<SalesforceRecord>> {
	const sortFields = (select.orderBy ?? []).map((entry) => entry.field);
	const core = unique(['Id', ...sortFields, ...select.fields.filter((field) => field.includes('.'))]);
	const known = new Set(core.map((field) => field.toLowerCase()));
	const rest = unique(select.fields).filter((field) => !known.has(field.toLowerCase()));
	const coreSoql = buildSelect({ ...select, fields: core });
	if (queryBytes(coreSoql) > URI_BUDGET_BYTES) {
		throw new QueryTooLongError(queryBytes(buildSelect(select)), `its conditions alone do not fit: ${SHORTEN_CONDITIONS}.`);
	}
	const wide: WideRead = { select, core, rest, includeDeleted: options.includeDeleted === true };
	const page = await query(requester, coreSoql, { includeDeleted: options.includeDeleted, batchSize: options.batchSize });
	return await completePage(requester, wide, page);
}

/** Adds the fields the page's SOQL left out, and remembers how to complete its next page. */
async function completePage(requester: Requester, wide: WideRead, page: QueryPage<SalesforceRecord>): Promise<QueryPage<SalesforceRecord>> {
	if (page.nextRecordsUrl) {
		const reads = wideReads.get(requester) ?? new Map<string, WideRead>();
		reads.set(page.nextRecordsUrl, wide);
		wideReads.set(requester, reads);
	}
	const ids = page.records.map((record) => String(record.Id));
	if (ids.length === 0 || wide.rest.length === 0) return page;
	const found = new Map<string, SalesforceRecord>();
	if (!wide.includeDeleted) {
		for (let start = 0; start < ids.length; start += RETRIEVE_SIZE) {
			const chunk = ids.slice(start, start + RETRIEVE_SIZE);
			const retrieved = await requester.request<Array<SalesforceRecord | null>>(
				'POST',
				`/composite/sobjects/${encodeURIComponent(wide.select.object)}`,
				{ ids: chunk, fields: wide.rest },
				undefined,
				{ read: true },
			);
			retrieved.forEach((record, index) => record && found.set(chunk[index], record));
		}
	}
	// Deleted rows, and rows deleted between the query and the retrieve, come from queryAll.
	const missing = ids.filter((id) => !found.has(id));
	for (const slice of await readSlices(requester, wide, missing)) {
		const record = found.get(String(slice.Id));
		found.set(String(slice.Id), record ? { ...record, ...slice } : slice);
	}
	const records = page.records.map((record) => merged(wide.select.fields, record, found.get(String(record.Id))));
	return { ...page, records };
}

/** The record with the SOQL's values (they decided the order) and the others, keys in the order of `fields`. */
function merged(fields: string[], record: SalesforceRecord, extra: SalesforceRecord | undefined): SalesforceRecord {
	const result: SalesforceRecord = record.attributes ? { attributes: record.attributes } : {};
	for (const key of [...fields.map((field) => field.split('.')[0]), ...Object.keys(record)]) {
		if (key in result) continue;
		if (key in record) result[key] = record[key];
		else if (extra && key in extra) result[key] = extra[key];
	}
	return result;
}

/** `rest` of the given IDs through queryAll, in queries of at most IDS_PER_SLICE IDs and as many fields as fit. */
async function readSlices(requester: Requester, wide: WideRead, ids: string[]): Promise<SalesforceRecord[]> {
	const records: SalesforceRecord[] = [];
	for (let start = 0; start < ids.length; start += IDS_PER_SLICE) {
		const where = `Id IN (${ids.slice(start, start + IDS_PER_SLICE).map(quote).join(', ')})`;
		const sliceSoql = (fields: string[]) => buildSelect({ object: wide.select.object, fields: ['Id', ...fields], where });
		let slice: string[] = [];
		const flush = async () => {
			if (slice.length) records.push(...(await queryAllPages(requester, sliceSoql(slice), { includeDeleted: true })));
			slice = [];
		};
		for (const field of wide.rest) {
			if (slice.length && queryBytes(sliceSoql([...slice, field])) > URI_BUDGET_BYTES) await flush();
			slice.push(field);
		}
		await flush();
	}
	return records;
}

const unique = (names: string[]) => [...new Set(names)];
