import { Connection } from 'jsforce';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { assertDomainFitsGrant, DEFAULT_API_VERSION, parseSalesforceDomain, type GrantType } from '../helpers/domain';
import { salesforceErrorOf, toNodeApiError, toSetupError } from './errors';

export const CREDENTIAL_TYPE = 'salesforceAppOAuth2Api';
/** sObject Collections accept at most 200 records per call. */
export const COLLECTION_SIZE = 200;

export type SalesforceContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions;

/** What sObject Collections do to many records. */
export type SaveOperation = 'create' | 'update' | 'upsert' | 'delete';

export interface SaveResult {
	id?: string;
	success: boolean;
	created?: boolean;
	errors: Array<{ statusCode: string; message: string; fields?: string[] }>;
}

export interface QueryPage<T> {
	records: T[];
	totalSize: number;
	done: boolean;
	nextRecordsUrl?: string;
}

export type SalesforceRecord = Record<string, unknown> & { Id?: string; attributes?: { type: string; url: string } };

export interface DescribeField {
	name: string;
	label: string;
	type: string;
	length?: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	defaultedOnCreate: boolean;
	externalId: boolean;
	idLookup?: boolean;
	unique?: boolean;
	filterable?: boolean;
	sortable?: boolean;
	calculated?: boolean;
	custom?: boolean;
	relationshipName?: string | null;
	referenceTo?: string[];
	picklistValues?: Array<{ value: string; label: string; active: boolean; defaultValue?: boolean }>;
}

export interface DescribeResult {
	name: string;
	label: string;
	keyPrefix?: string | null;
	queryable?: boolean;
	createable?: boolean;
	fields: DescribeField[];
	recordTypeInfos?: Array<{ recordTypeId: string; name: string; developerName?: string; active?: boolean; available?: boolean; master?: boolean }>;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'ERROR_HTTP_503']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'UND_ERR_SOCKET']);
const MAX_ATTEMPTS = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Bounded backoff: 0.25 s, 0.5 s, 1 s. Overridable so tests of retries stay fast. */
export const retryPolicy = { baseDelayMs: 250 };

const clients = new WeakMap<object, Promise<SalesforceClient>>();

/**
 * The only code that talks to Salesforce. A jsforce Connection built from the token n8n stores for the
 * credential; n8n stays the owner of tokens: when Salesforce answers 401 INVALID_SESSION_ID, the refresh function
 * makes one authenticated call through n8n's OAuth2 helper (which re-grants client credentials or refreshes the
 * authorization-code token under its per-credential lock and persists it), then reads the new token back.
 */
export class SalesforceClient {
	private readonly describes = new Map<string, Promise<DescribeResult>>();

	private constructor(
		private readonly ctx: SalesforceContext,
		readonly conn: Connection,
		private readonly secrets: Array<string | undefined>,
		private readonly auth: AuthState,
	) {}

	/** One client per node execution (or load-options call, or poll): describe results are shared within it. */
	static async for(ctx: SalesforceContext): Promise<SalesforceClient> {
		let client = clients.get(ctx);
		if (!client) {
			client = SalesforceClient.connect(ctx);
			clients.set(ctx, client);
			client.catch(() => clients.delete(ctx));
		}
		return await client;
	}

	private static async connect(ctx: SalesforceContext): Promise<SalesforceClient> {
		const node = ctx.getNode();
		let credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
		const secrets = () => [credentials.clientSecret as string, tokenOf(credentials).access_token];
		const domain = domainOf(node, credentials);
		const version = String(credentials.apiVersion || DEFAULT_API_VERSION).replace(/^v/i, '');
		const probeUrl = () => `${tokenOf(credentials).instance_url ?? domain.origin}/services/data/v${version}/limits`;

		// Let n8n fetch (client credentials, first use) or re-grant/refresh and persist the token, then read it back.
		const renewThroughN8n = async () => {
			try {
				await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
					method: 'GET',
					url: probeUrl(),
					json: true,
				});
			} catch (error) {
				throw toSetupError(node, error, secrets());
			}
			credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
			const token = tokenOf(credentials);
			if (!token.access_token) {
				throw new NodeOperationError(node, 'Salesforce returned no access token', {
					description: 'Open the credential and test or reconnect it.',
				});
			}
			return token;
		};

		if (!tokenOf(credentials).access_token) await renewThroughN8n();
		const token = tokenOf(credentials);
		const auth: AuthState = {};
		const conn = new Connection({
			// instance_url can be missing after a refresh (n8n issue #34916): the domain then serves the API.
			instanceUrl: token.instance_url ?? domain.origin,
			accessToken: token.access_token,
			version,
			maxRequest: 1000,
			refreshFn: (_conn, callback) => {
				renewThroughN8n().then(
					(renewed) => {
						// n8n keeps a token that still passes its probe; a second 401 with that same token would make
						// jsforce refresh and replay forever.
						auth.unchangedRenewals = renewed.access_token === _conn.accessToken ? (auth.unchangedRenewals ?? 0) + 1 : 0;
						if (auth.unchangedRenewals > 1) {
							auth.failure = new NodeOperationError(node, 'Salesforce keeps rejecting a freshly checked session (INVALID_SESSION_ID)', {
								description:
									'Check that the (Run As) user has the "API Enabled" permission and that no session security policy (IP restrictions, high-assurance sessions) blocks this API call.',
							});
							callback(auth.failure);
							return;
						}
						if (renewed.instance_url) _conn.instanceUrl = renewed.instance_url;
						callback(null, renewed.access_token);
					},
					(error: NodeOperationError) => {
						auth.failure = error;
						callback(error);
					},
				);
			},
		});
		return new SalesforceClient(ctx, conn, secrets(), auth);
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	get apiVersion(): string {
		return this.conn.version;
	}

	/** `{ used, limit }` from the last Sforce-Limit-Info header, if any. */
	get apiUsage(): { used: number; limit: number } | undefined {
		return (this.conn.limitInfo as { apiUsage?: { used: number; limit: number } }).apiUsage;
	}

	/** Maps any failure to the NodeApiError/NodeOperationError a user should see. */
	error(error: unknown, itemIndex?: number) {
		if (this.auth.failure && /Unable to refresh session/.test((error as Error)?.message ?? '')) {
			return this.auth.failure;
		}
		return toNodeApiError(this.node, error, this.secrets, itemIndex);
	}

	/** One REST call relative to /services/data/vXX.X (or an absolute path starting with /services). */
	async request<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
		const url = path.startsWith('/services/') ? path : `/services/data/v${this.apiVersion}${path}`;
		for (let attempt = 1; ; attempt++) {
			try {
				return (await this.conn.request<T>({
					method,
					url,
					body: body === undefined ? undefined : JSON.stringify(body),
					headers: { 'Content-Type': 'application/json', ...headers },
				})) as T;
			} catch (error) {
				if (attempt >= MAX_ATTEMPTS || !isRetryable(method, error)) throw this.error(error);
				await sleep(retryPolicy.baseDelayMs * 2 ** (attempt - 1));
			}
		}
	}

	describe(sobject: string): Promise<DescribeResult> {
		const key = sobject.toLowerCase();
		let result = this.describes.get(key);
		if (!result) {
			result = this.request<DescribeResult>('GET', `/sobjects/${encodeURIComponent(sobject)}/describe`);
			this.describes.set(key, result);
			result.catch(() => this.describes.delete(key));
		}
		return result;
	}

	async describeGlobal(): Promise<Array<{ name: string; label: string; queryable: boolean; createable: boolean; custom: boolean }>> {
		const result = await this.request<{ sobjects: Array<{ name: string; label: string; queryable: boolean; createable: boolean; custom: boolean }> }>('GET', '/sobjects');
		return result.sobjects;
	}

	/** First page of a query (`includeDeleted` uses queryAll); follow with queryMore(nextRecordsUrl). */
	query<T = SalesforceRecord>(soql: string, options: { includeDeleted?: boolean; batchSize?: number } = {}) {
		const resource = options.includeDeleted ? 'queryAll' : 'query';
		const headers = options.batchSize ? { 'Sforce-Query-Options': `batchSize=${options.batchSize}` } : undefined;
		return this.request<QueryPage<T>>('GET', `/${resource}?q=${encodeURIComponent(soql)}`, undefined, headers);
	}

	queryMore<T = SalesforceRecord>(nextRecordsUrl: string) {
		return this.request<QueryPage<T>>('GET', nextRecordsUrl);
	}

	/** All records up to `max` (follows nextRecordsUrl, never OFFSET). */
	async queryAllPages<T = SalesforceRecord>(soql: string, options: { includeDeleted?: boolean; max?: number } = {}): Promise<T[]> {
		const max = options.max ?? Infinity;
		let page = await this.query<T>(soql, options);
		const records = [...page.records];
		while (!page.done && page.nextRecordsUrl && records.length < max) {
			page = await this.queryMore<T>(page.nextRecordsUrl);
			records.push(...page.records);
		}
		return records.slice(0, max);
	}

	/**
	 * Create, update, upsert or delete many records through sObject Collections (200 per call, allOrNone false).
	 * Results come back in input order; records that failed only because a row was locked are retried.
	 */
	async saveMany(
		operation: SaveOperation,
		sobject: string,
		records: SalesforceRecord[],
		externalIdField?: string,
	): Promise<SaveResult[]> {
		const results: SaveResult[] = new Array(records.length);
		for (let start = 0; start < records.length; start += COLLECTION_SIZE) {
			let pending = records.slice(start, start + COLLECTION_SIZE).map((record, offset) => ({ record, index: start + offset }));
			for (let attempt = 1; pending.length > 0; attempt++) {
				const chunkResults = await this.sendCollection(operation, sobject, pending.map((entry) => entry.record), externalIdField);
				const retry: typeof pending = [];
				pending.forEach((entry, position) => {
					const result = chunkResults[position];
					const locked = !result.success && result.errors.some((error) => error.statusCode === 'UNABLE_TO_LOCK_ROW');
					if (locked && attempt < MAX_ATTEMPTS) retry.push(entry);
					else results[entry.index] = result;
				});
				pending = retry;
				if (pending.length > 0) await sleep(retryPolicy.baseDelayMs * 2 ** (attempt - 1));
			}
		}
		return results;
	}

	private async sendCollection(
		operation: SaveOperation,
		sobject: string,
		records: SalesforceRecord[],
		externalIdField?: string,
	): Promise<SaveResult[]> {
		if (operation === 'delete') {
			const ids = records.map((record) => encodeURIComponent(String(record.Id)));
			return await this.request<SaveResult[]>('DELETE', `/composite/sobjects?allOrNone=false&ids=${ids.join(',')}`);
		}
		const body = {
			allOrNone: false,
			records: records.map((record) => ({ attributes: { type: sobject }, ...withoutAttributes(record) })),
		};
		if (operation === 'create') return await this.request<SaveResult[]>('POST', '/composite/sobjects', body);
		if (operation === 'update') return await this.request<SaveResult[]>('PATCH', '/composite/sobjects', body);
		return await this.request<SaveResult[]>(
			'PATCH',
			`/composite/sobjects/${encodeURIComponent(sobject)}/${encodeURIComponent(String(externalIdField))}`,
			body,
		);
	}

	/**
	 * Bulk API 2.0 ingest job; results mapped back to input order. Salesforce returns result rows in no particular
	 * order, echoing the submitted columns, so rows are matched on Id (update, delete), on the external ID (upsert),
	 * or on the full submitted row (insert; identical rows are interchangeable).
	 */
	async bulkIngest(
		operation: 'insert' | 'update' | 'upsert' | 'delete',
		sobject: string,
		records: SalesforceRecord[],
		externalIdField?: string,
	): Promise<SaveResult[]> {
		const columns = [...new Set(records.flatMap((record) => Object.keys(withoutAttributes(record))))];
		const rows = records.map((record) =>
			Object.fromEntries(columns.map((column) => [column, csvValue(record[column])])),
		);
		let outcome;
		try {
			outcome = await this.conn.bulk2.loadAndWaitForResults({
				object: sobject,
				operation,
				externalIdFieldName: externalIdField,
				input: rows,
				pollInterval: 500,
				pollTimeout: 30 * 60 * 1000,
			});
		} catch (error) {
			throw this.error(error);
		}
		const keyOf = (row: Record<string, unknown>) => {
			if (operation === 'update' || operation === 'delete') return String(row.Id ?? '').slice(0, 15);
			if (operation === 'upsert') return String(row[String(externalIdField)] ?? '');
			return JSON.stringify(columns.map((column) => row[column] ?? ''));
		};
		const byKey = new Map<string, SaveResult[]>();
		const add = (row: Record<string, unknown>, result: SaveResult) => {
			const key = keyOf(row);
			byKey.set(key, [...(byKey.get(key) ?? []), result]);
		};
		for (const row of outcome.successfulResults as Array<Record<string, unknown>>) {
			add(row, { id: String(row.sf__Id), success: true, created: String(row.sf__Created) === 'true', errors: [] });
		}
		for (const row of outcome.failedResults as Array<Record<string, unknown>>) {
			add(row, { id: row.sf__Id ? String(row.sf__Id) : undefined, success: false, errors: [bulkError(String(row.sf__Error))] });
		}
		for (const row of outcome.unprocessedRecords as Array<Record<string, unknown>>) {
			add(row, { success: false, errors: [{ statusCode: 'UNPROCESSED', message: 'Salesforce did not process this row (the job was aborted or failed)' }] });
		}
		return rows.map((row) => byKey.get(keyOf(row))?.shift() ?? {
			success: false,
			errors: [{ statusCode: 'UNKNOWN', message: 'Salesforce returned no result for this row' }],
		});
	}

	/** Lead conversion through the SOAP API (the only call REST does not offer). */
	async convertLeads(conversions: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
		try {
			const result = await this.conn.soap.convertLead(conversions as never);
			return (Array.isArray(result) ? result : [result]) as Array<Record<string, unknown>>;
		} catch (error) {
			throw this.error(error);
		}
	}
}

/**
 * The refresh function's state: its last failure (jsforce wraps it into a plain Error, losing the fix we attached)
 * and how often in a row it handed back the token Salesforce had just rejected.
 */
interface AuthState {
	failure?: NodeOperationError;
	unchangedRenewals?: number;
}

function domainOf(node: INode, credentials: ICredentialDataDecryptedObject) {
	try {
		const domain = parseSalesforceDomain(credentials.domain);
		assertDomainFitsGrant(domain, (credentials.grantType as GrantType) ?? 'clientCredentials');
		return domain;
	} catch (error) {
		throw new NodeOperationError(node, (error as Error).message, {
			description: 'Field: Salesforce Domain (in the credential)',
		});
	}
}

function tokenOf(credentials: ICredentialDataDecryptedObject): { access_token?: string; instance_url?: string } {
	return (credentials.oauthTokenData ?? {}) as { access_token?: string; instance_url?: string };
}

function isRetryable(method: Method, error: unknown): boolean {
	const { errorCode } = salesforceErrorOf(error);
	const code = (error as { code?: string })?.code;
	if (errorCode === 'UNABLE_TO_LOCK_ROW') return true;
	// jsforce itself retries GET/PUT/DELETE on 5xx and network errors; POST and PATCH are ours to retry.
	if (method !== 'POST' && method !== 'PATCH') return false;
	if (errorCode && RETRYABLE_CODES.has(errorCode)) return true;
	// A network error after a POST may have created the record: only an idempotent PATCH is replayed.
	return method === 'PATCH' && code !== undefined && NETWORK_CODES.has(code);
}

function withoutAttributes(record: SalesforceRecord): Record<string, unknown> {
	const fields: Record<string, unknown> = { ...record };
	delete fields.attributes;
	return fields;
}

function csvValue(value: unknown): string {
	if (value === null) return '#N/A';
	if (value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function bulkError(text: string): { statusCode: string; message: string; fields?: string[] } {
	const match = /^([A-Z_]+):(.*?)(?::(.*))?$/.exec(text);
	if (!match) return { statusCode: 'BULK_ERROR', message: text };
	const fields = match[3]?.split(',').map((field) => field.trim()).filter(Boolean);
	return { statusCode: match[1], message: match[2].trim(), ...(fields?.length ? { fields } : {}) };
}
