// Bulk API 2.0: ingest jobs (insert, update, upsert, delete, hardDelete) processed when the upload completes,
// with successful/failed/unprocessed result CSVs; query jobs with locator-paged CSV results.
import { randomBytes } from 'node:crypto';
import { formatDateTime } from './clock.ts';
import { parseCsv, toCsv } from './csv.ts';
import { SalesforceError, UnreadableValueError, notFound } from './errors.ts';
import { json, readJson, route } from './http.ts';
import { DEFAULT_BULK_FAILURE_MESSAGE } from './faults.ts';
import { caseSafeSuffix } from './ids.ts';
import { isAggregateQuery, parseSoql, runQuery } from './soql.ts';
import type { Query } from '@jetstreamapp/soql-parser-js';
import type { Reply, Request, Route } from './http.ts';
import type { Org } from './org.ts';
import type { SObjectRecord } from './store.ts';

const INGEST = '/services/data/v{version}/jobs/ingest';
const QUERY = '/services/data/v{version}/jobs/query';
const OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
/**
 * Bulk API saves each chunk of 200 records as a separate transaction (Bulk API 2.0 and Bulk API Developer Guide,
 * "Limits": Apex transactions), so each chunk's changes are one commit for Change Data Capture.
 */
const ROWS_PER_TRANSACTION = 200;
const DELIMITERS: Record<string, string> = { COMMA: ',', TAB: '\t', SEMICOLON: ';', PIPE: '|', CARET: '^', BACKQUOTE: '`' };

interface JobInfo extends Record<string, unknown> {
	id: string;
	state: string;
	object: string;
	operation: string;
	columnDelimiter: string;
	lineEnding: string;
}

interface IngestJob {
	info: JobInfo;
	externalIdFieldName?: string;
	data: string[];
	header: string[];
	successful: unknown[][];
	failed: unknown[][];
	unprocessed: string[][];
}

interface QueryJob {
	info: JobInfo;
	header: string[];
	rows: unknown[][];
}

export function bulkRoutes(org: Org): Route[] {
	const ingestJobs = new Map<string, IngestJob>();
	const queryJobs = new Map<string, QueryJob>();
	const jobId = () => {
		const id15 = '7508a' + randomBytes(8).toString('hex').slice(0, 10).toUpperCase();
		return id15 + caseSafeSuffix(id15);
	};
	const baseInfo = (req: Request, id: string, object: string, operation: string, body: Record<string, unknown>): JobInfo => {
		const now = formatDateTime(org.store.now());
		return {
			id, operation, object, createdById: req.userId, createdDate: now, systemModstamp: now, state: 'Open',
			concurrencyMode: 'Parallel', contentType: 'CSV', apiVersion: Number(req.version),
			lineEnding: String(body.lineEnding ?? 'LF'), columnDelimiter: String(body.columnDelimiter ?? 'COMMA'),
		};
	};
	const ingestJob = (req: Request) => {
		const job = ingestJobs.get(req.params.jobId);
		if (!job) throw notFound('The requested resource does not exist');
		return job;
	};
	const csvReply = (text: string, headers: Record<string, string> = {}): Reply => ({ status: 200, body: text, headers: { 'content-type': 'text/csv', ...headers } });

	const parseRows = (job: IngestJob) => job.data.flatMap((chunk) => parseCsv(chunk, DELIMITERS[job.info.columnDelimiter] ?? ','));
	/** Processes the uploaded rows; with a pending failNextBulkJob, only the first rows, then the job ends Failed. */
	const process = (req: Request, job: IngestJob) => {
		const [header, ...records] = parseRows(job);
		job.header = header ?? [];
		const failure = org.faults.takeBulkJobFailure();
		const processed = failure ? records.slice(0, failure.afterRows) : records;
		job.unprocessed = records.slice(processed.length);
		const start = Date.now();
		const origin = org.cdc.currentOrigin();
		for (let offset = 0; offset < processed.length; offset += ROWS_PER_TRANSACTION) {
			org.cdc.transaction(origin, () => {
				for (const values of processed.slice(offset, offset + ROWS_PER_TRANSACTION)) applyCsvRow(req, job, values);
			});
		}
		Object.assign(job.info, {
			state: failure ? 'Failed' : 'JobComplete', numberRecordsProcessed: processed.length, numberRecordsFailed: job.failed.length,
			totalProcessingTime: Date.now() - start, systemModstamp: formatDateTime(org.store.now()),
			...(failure ? { errorMessage: failure.errorMessage ?? DEFAULT_BULK_FAILURE_MESSAGE } : {}),
		});
	};
	const applyCsvRow = (req: Request, job: IngestJob, values: string[]) => {
		const fields: Record<string, unknown> = {};
		job.header.forEach((column, i) => {
			const value = values[i] ?? '';
			if (value === '#N/A') fields[column] = null;
			else if (value !== '') fields[column] = value;
		});
		try {
			const { id, created } = applyRow(req, job, fields);
			job.successful.push([id, created, ...values]);
		} catch (error) {
			if (!(error instanceof SalesforceError)) throw error;
			const id = String(Object.entries(fields).find(([k]) => k.toLowerCase() === 'id')?.[1] ?? '');
			const failure = error instanceof UnreadableValueError ? csvValueError(job.header, error) : error;
			job.failed.push([id, `${failure.errorCode}:${failure.message}:${failure.fields.join(',')} --`, ...values]);
		}
	};
	const applyRow = (req: Request, job: IngestJob, fields: Record<string, unknown>): { id: string; created: boolean } => {
		const options = { userId: req.userId };
		const object = job.info.object;
		const idKey = Object.keys(fields).find((k) => k.toLowerCase() === 'id');
		const id = idKey ? String(fields[idKey]) : '';
		const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== idKey));
		switch (job.info.operation) {
			case 'insert':
				return { id: org.store.insert(object, fields, options).Id as string, created: true };
			case 'update':
				if (!id) throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in an update call');
				return { id: org.store.update(object, id, rest, options).Id as string, created: false };
			case 'delete':
			case 'hardDelete':
				if (!id) throw new SalesforceError('MISSING_ARGUMENT', 'Id not specified in a delete call');
				org.store.delete(object, id, options);
				return { id, created: false };
		}
		const meta = org.store.describe(object);
		const external = job.externalIdFieldName!;
		const key = Object.keys(fields).find((k) => k.toLowerCase() === external.toLowerCase());
		const value = key ? fields[key] : undefined;
		if (value === undefined || value === null) throw new SalesforceError('MISSING_ARGUMENT', `${external} not specified`);
		const matches = external.toLowerCase() === 'id' ? [org.store.live(meta, String(value))] : org.store.findByField(meta, external, value);
		if (matches.length > 1) throw new SalesforceError('DUPLICATE_EXTERNAL_ID', `${external}: more than one record found for external id field: ${matches.map((m) => m.Id).join(', ')}`, { fields: [external] });
		if (matches.length === 1) {
			const changes = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key && k !== idKey));
			return { id: org.store.update(object, matches[0].Id as string, changes, options).Id as string, created: false };
		}
		return { id: org.store.insert(object, rest, options).Id as string, created: true };
	};

	return [
		route('POST', INGEST, 'data', (req) => {
			const body = readJson<Record<string, unknown>>(req) ?? {};
			const operation = String(body.operation ?? '');
			if (!OPERATIONS.includes(operation)) throw new SalesforceError('INVALIDJOB', `InvalidJob : Invalid operation: ${operation}`);
			const meta = org.store.findObject(String(body.object ?? ''));
			if (!meta) throw new SalesforceError('INVALIDJOB', `InvalidJob : Unable to find object: ${String(body.object)}`);
			if (operation === 'upsert') {
				const f = body.externalIdFieldName ? meta.fieldIndex.get(String(body.externalIdFieldName).toLowerCase()) : undefined;
				if (!f || !(f.externalId || f.idLookup)) {
					throw new SalesforceError('INVALIDJOB', `InvalidJob : External ID was blank for ${meta.name}. An External ID must be specified for upsert.`);
				}
			}
			const info = baseInfo(req, jobId(), meta.name, operation, body);
			if (operation === 'upsert') info.externalIdFieldName = String(body.externalIdFieldName);
			Object.assign(info, { contentUrl: `services/data/v${req.version}/jobs/ingest/${info.id}/batches`, jobType: 'V2Ingest', retries: 0 });
			ingestJobs.set(info.id, {
				info, externalIdFieldName: info.externalIdFieldName as string | undefined, data: [], header: [], successful: [], failed: [], unprocessed: [],
			});
			return json(200, info);
		}),
		route('GET', INGEST, 'data', () =>
			json(200, { done: true, records: [...ingestJobs.values()].map((j) => j.info), nextRecordsUrl: null })),
		route('PUT', `${INGEST}/{jobId}/batches`, 'data', (req) => {
			const job = ingestJob(req);
			if (job.info.state !== 'Open') throw new SalesforceError('INVALIDJOBSTATE', `Job is not in Open state: ${job.info.state}`, { httpStatus: 409 });
			job.data.push(req.body.toString('utf8'));
			return { status: 201 };
		}),
		route('PATCH', `${INGEST}/{jobId}`, 'data', (req) => {
			const job = ingestJob(req);
			const { state } = readJson<{ state?: string }>(req) ?? {};
			if (state === 'Aborted') {
				if (job.info.state === 'Open') {
					const [header = [], ...rows] = parseRows(job);
					Object.assign(job, { header, unprocessed: rows });
				}
				job.info.state = 'Aborted';
			}
			else if (state === 'UploadComplete') {
				if (job.info.state !== 'Open') throw new SalesforceError('INVALIDJOBSTATE', `Job is not in Open state: ${job.info.state}`, { httpStatus: 409 });
				job.info.state = 'UploadComplete';
				process(req, job);
			} else throw new SalesforceError('INVALIDJOBSTATE', `Invalid state: ${String(state)}`);
			return json(200, job.info);
		}),
		route('GET', `${INGEST}/{jobId}`, 'data', (req) => json(200, ingestJob(req).info)),
		route('DELETE', `${INGEST}/{jobId}`, 'data', (req) => {
			ingestJobs.delete(ingestJob(req).info.id);
			return { status: 204 };
		}),
		route('GET', `${INGEST}/{jobId}/successfulResults`, 'data', (req) => {
			const job = ingestJob(req);
			return csvReply(toCsv(['sf__Id', 'sf__Created', ...job.header], job.successful));
		}),
		route('GET', `${INGEST}/{jobId}/failedResults`, 'data', (req) => {
			const job = ingestJob(req);
			return csvReply(toCsv(['sf__Id', 'sf__Error', ...job.header], job.failed));
		}),
		route('GET', `${INGEST}/{jobId}/unprocessedrecords`, 'data', (req) => {
			const job = ingestJob(req);
			return csvReply(toCsv(job.header, job.unprocessed));
		}),

		route('POST', QUERY, 'data', (req) => {
			const body = readJson<Record<string, unknown>>(req) ?? {};
			const operation = String(body.operation ?? 'query');
			const soql = String(body.query ?? '');
			const parsed = parseSoql(soql);
			const unsupported = unsupportedInBulkQuery(parsed);
			if (unsupported) throw new SalesforceError('API_ERROR', unsupported);
			const result = runQuery(org.store, soql, { includeDeleted: operation === 'queryAll', apiVersion: req.version });
			const info = baseInfo(req, jobId(), org.store.describe(parsed.sObject ?? '').name, operation, body);
			const header = flattenHeader(result.records);
			const rows = result.records.map((r) => header.map((h) => flattenValue(r, h)));
			Object.assign(info, { state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: rows.length, retries: 0, totalProcessingTime: 0 });
			queryJobs.set(info.id, { info, header, rows });
			return json(200, { ...info, state: 'UploadComplete' });
		}),
		route('GET', `${QUERY}/{jobId}`, 'data', (req) => json(200, queryJob(req).info)),
		route('PATCH', `${QUERY}/{jobId}`, 'data', (req) => {
			const job = queryJob(req);
			job.info.state = 'Aborted';
			return json(200, job.info);
		}),
		route('DELETE', `${QUERY}/{jobId}`, 'data', (req) => {
			queryJobs.delete(queryJob(req).info.id);
			return { status: 204 };
		}),
		route('GET', `${QUERY}/{jobId}/results`, 'data', (req) => {
			const job = queryJob(req);
			const offset = Number(req.url.searchParams.get('locator') ? Buffer.from(req.url.searchParams.get('locator')!, 'base64url').toString() : 0);
			const max = Number(req.url.searchParams.get('maxRecords') ?? 50_000);
			const rows = job.rows.slice(offset, offset + max);
			const next = offset + rows.length < job.rows.length ? Buffer.from(String(offset + rows.length)).toString('base64url') : 'null';
			return csvReply(toCsv(job.header, rows), { 'sforce-locator': next, 'sforce-numberofrecords': String(rows.length) });
		}),
	];

	function queryJob(req: Request): QueryJob {
		const job = queryJobs.get(req.params.jobId);
		if (!job) throw notFound('The requested resource does not exist');
		return job;
	}
}

/**
 * A CSV value the API cannot read as its field's type, as Bulk API results word it ("Failed to deserialize field at
 * col 3. Due to, '01/02/2026' is not a valid value for the type xsd:date"); the column counts from 1.
 */
function csvValueError(header: string[], error: UnreadableValueError): SalesforceError {
	const column = header.findIndex((name) => name.toLowerCase() === error.field.toLowerCase()) + 1;
	const xsdType = error.soapType === 'datetime' ? 'xsd:dateTime' : `xsd:${error.soapType}`;
	return new SalesforceError('INVALID_FIELD', `Failed to deserialize field at col ${column}. Due to, '${error.value}' is not a valid value for the type ${xsdType}`, { fields: [error.field] });
}

/**
 * Why Bulk API 2.0 refuses a query, or undefined. "Understanding Bulk API 2.0 Query" (Bulk API 2.0 Developer Guide):
 * no GROUP BY, OFFSET or TYPEOF, no aggregate functions such as COUNT(), no parent-to-child relationship queries.
 * The subquery message is the one a real org answers; the others follow its wording.
 */
function unsupportedInBulkQuery(query: Query): string | undefined {
	const fields = query.fields ?? [];
	if (fields.some((f) => f.type === 'FieldSubquery')) return 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type';
	if (query.groupBy) return 'GROUP BY not supported in Bulk V2 Query';
	if (isAggregateQuery(query)) return 'Aggregate queries not supported in Bulk V2 Query';
	if (query.offset !== undefined) return 'OFFSET not supported in Bulk V2 Query';
	if (fields.some((f) => f.type === 'FieldTypeof')) return 'TYPEOF not supported in Bulk V2 Query';
	return undefined;
}

/** Query result columns: relationship fields become dotted names (Account.Name), like Bulk API 2.0 CSV. */
function flattenHeader(records: SObjectRecord[]): string[] {
	const header: string[] = [];
	const walk = (value: SObjectRecord, prefix: string) => {
		for (const [k, v] of Object.entries(value)) {
			if (k === 'attributes') continue;
			if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as SObjectRecord, `${prefix}${k}.`);
			else if (!header.includes(prefix + k)) header.push(prefix + k);
		}
	};
	for (const r of records) walk(r, '');
	return header;
}

function flattenValue(record: SObjectRecord, path: string): unknown {
	let current: unknown = record;
	for (const part of path.split('.')) current = current && typeof current === 'object' ? (current as SObjectRecord)[part] : null;
	return current ?? null;
}
