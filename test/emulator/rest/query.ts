// SOQL: GET query and queryAll, and their next batches through nextRecordsUrl locators (`<cursorId>-<offset>`).
import { SalesforceError } from '../errors.ts';
import { jsonRecord } from '../format.ts';
import { json, route } from '../http.ts';
import { runQuery } from '../soql.ts';
import type { Reply, Request, Route } from '../http.ts';
import type { Org } from '../org.ts';
import type { SObjectRecord } from '../store.ts';

const DATA = '/services/data/v{version}';
const DEFAULT_BATCH = 2000;

export function queryRoutes(org: Org): Route[] {
	return [
		route('GET', `${DATA}/query`, 'data', (req) => runSoql(org, req, false)),
		route('GET', `${DATA}/queryAll`, 'data', (req) => runSoql(org, req, true)),
		route('GET', `${DATA}/query/{locator}`, 'data', (req) => nextPage(org, req, false)),
		route('GET', `${DATA}/queryAll/{locator}`, 'data', (req) => nextPage(org, req, true)),
	];
}

function runSoql(org: Org, req: Request, includeDeleted: boolean): Reply {
	const soql = req.url.searchParams.get('q');
	if (!soql) throw new SalesforceError('MALFORMED_QUERY', 'A query string has to be specified');
	const result = runQuery(org.store, soql, { includeDeleted, apiVersion: req.version });
	const option = /batchSize=(\d+)/i.exec(String(req.headers['sforce-query-options'] ?? ''));
	const requested = option ? Math.min(2000, Math.max(200, Number(option[1]))) : DEFAULT_BATCH;
	if (result.unpaged && result.records.length > requested) {
		throw new SalesforceError('MALFORMED_QUERY', 'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch');
	}
	const batchSize = result.unpaged ? result.records.length : requested;
	return json(200, page(org, req, { totalSize: result.totalSize, records: result.records, offset: 0, batchSize, all: includeDeleted }));
}

function nextPage(org: Org, req: Request, all: boolean): Reply {
	const [cursorId, offsetText] = req.params.locator.split('-');
	const cursor = org.cursor(cursorId);
	const offset = Number(offsetText);
	if (!cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.records.length) {
		throw new SalesforceError('INVALID_QUERY_LOCATOR', 'invalid query locator');
	}
	return json(200, page(org, req, { totalSize: cursor.records.length, records: cursor.records, offset, batchSize: cursor.batchSize, all, cursorId }));
}

interface Batch {
	totalSize: number;
	records: SObjectRecord[];
	offset: number;
	batchSize: number;
	/** queryAll rather than query. */
	all: boolean;
	/** The cursor the batch continues, when it is not the first. */
	cursorId?: string;
}

function page(org: Org, req: Request, { totalSize, records, offset, batchSize, all, cursorId }: Batch) {
	const slice = records.slice(offset, offset + batchSize);
	const end = offset + slice.length;
	const done = end >= records.length;
	const body: Record<string, unknown> = { totalSize, done };
	if (!done) {
		const id = cursorId ?? org.openCursor(records, batchSize);
		body.nextRecordsUrl = `/services/data/v${req.version}/${all ? 'queryAll' : 'query'}/${id}-${end}`;
	}
	body.records = slice.map((record) => jsonRecord(record, (name) => org.store.findObject(name)));
	return body;
}
