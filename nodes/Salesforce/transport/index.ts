import type { Connection } from 'jsforce';
import type { INode } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { describeFlow, invokeFlow, type FlowDescribe, type FlowResult } from './actions';
import { CREDENTIAL_TYPE, openSession, type Session } from './auth';
import { bulkIngest, type BulkOperation } from './bulk';
import { saveMany } from './collections';
import { timeoutSecondsOf, type SalesforceContext } from './context';
import { errorCodeOf, errorOfBinaryAnswer, toNodeApiError } from './errors';
import { uploadFiles, type CallOutcome, type FileUpload } from './files';
import { DescribeCache, type DescribeAnswer } from './describe';
import { NoAnswerError, type AnswerObserver } from './http';
import { OutcomeUnknownError } from './outcome';
import { query, queryAllPages, queryMore, type QueryOptions } from './query';
import { backoff, isReplayableRead, isRetryable, MAX_ATTEMPTS } from './retry';
import { ChangeStream, type ChangeStreamHandlers } from './streaming';
import type { DescribeResult, GlobalDescribeEntry, Method, Requester, RequestOptions, SalesforceRecord, SaveOperation, SaveResult } from './types';

export { FLOW_INPUTS_PER_CALL, type FlowDescribe, type FlowResult, type FlowVariable } from './actions';
export { CREDENTIAL_TYPE } from './auth';
export { COLLECTION_SIZE } from './collections';
export { DESCRIBE_FRESH_FOR_MS } from './describe';
export { MAX_FILE_BYTES, type CallOutcome, type FileUpload } from './files';
export type { SalesforceContext } from './context';
export { DEFAULT_TIMEOUT_SECONDS, NoAnswerError, SAFE_IDLE_MS } from './http';
export { OUTCOME_UNKNOWN, OutcomeUnknownError, type OutcomeUnknownOptions } from './outcome';
export { retryPolicy } from './retry';
export { ChangeStream, reconnectPolicy, REPLAY_NEW, REPLAY_RETAINED, type ChangeStreamHandlers } from './streaming';
export type { DescribeField, DescribeResult, GlobalDescribeEntry, QueryPage, SalesforceRecord, SaveOperation, SaveResult } from './types';

const clients = new WeakMap<object, Promise<SalesforceClient>>();

/**
 * How jsforce reads a binary answer: as text whatever its Content-Type (it would parse a CSV or JSON file), one
 * character per byte (latin1), so that the bytes come back unchanged.
 */
const BINARY_ANSWER = { responseType: 'application/octet-stream', encoding: 'latin1' } as const;

/** What a request may ask of jsforce and the transport besides its method, URL, body and headers. */
type AnswerOptions = Partial<typeof BINARY_ANSWER> & AnswerObserver;

/**
 * The only door to Salesforce. A session (auth.ts: jsforce Connection on n8n's stored token, renewed through n8n),
 * REST calls with bounded retries (retry.ts), reads (query.ts), sObject Collections (collections.ts), files
 * (files.ts), Bulk API 2.0 (bulk.ts), flows as invocable actions (actions.ts) and SOAP lead conversion.
 */
export class SalesforceClient implements Requester {
	private readonly describes = new DescribeCache(
		(sobject, ifModifiedSince) => this.fetchDescribe(sobject, ifModifiedSince),
		() => [this.node.credentials?.[CREDENTIAL_TYPE]?.id ?? '', this.conn.instanceUrl, this.apiVersion].join('|'),
	);

	readonly conn: Connection;
	private readonly secrets: Array<string | undefined>;
	private readonly auth: Session['auth'];

	private constructor(
		private readonly ctx: SalesforceContext,
		private readonly session: Session,
	) {
		({ conn: this.conn, secrets: this.secrets, auth: this.auth } = session);
	}

	/** One client per node execution (or load-options call, or poll); describe results are shared across them (describe.ts). */
	static async for(ctx: SalesforceContext): Promise<SalesforceClient> {
		let client = clients.get(ctx);
		if (!client) {
			client = openSession(ctx, { timeoutSeconds: timeoutSecondsOf(ctx) }).then((session) => new SalesforceClient(ctx, session));
			clients.set(ctx, client);
			client.catch(() => clients.delete(ctx));
		}
		return await client;
	}

	get node(): INode {
		return this.ctx.getNode();
	}

	get apiVersion(): string {
		return this.conn.version;
	}

	/**
	 * Maps any failure to the NodeApiError/NodeOperationError a user should see. A write whose request may have
	 * reached Salesforce but got no answer becomes an OutcomeUnknownError; a read (`read: true`) never does.
	 */
	error(error: unknown, itemIndex?: number, options: RequestOptions = {}) {
		if (error instanceof NoAnswerError) {
			if (error.mayHaveArrived && !options.read && !isReplayableRead(error.method)) {
				return new OutcomeUnknownError(this.node, { operation: 'write', reason: error.message, noAnswer: error, itemIndex });
			}
			return new NodeOperationError(this.node, error.message, {
				description:
					error.reason === 'timeout'
						? 'Raise the Timeout option of the node (seconds), or try again when Salesforce answers faster (status.salesforce.com).'
						: `Check the network between n8n and Salesforce (proxy, firewall) and the Salesforce Domain of the credential, then try again. (${error.networkCode ?? 'network error'})`,
				itemIndex,
			});
		}
		return toNodeApiError(this.node, error, this.secrets, itemIndex);
	}

	/**
	 * One REST call relative to /services/data/vXX.X (or an absolute path starting with /services). The body is sent
	 * as JSON, a Buffer as it is (with the Content-Type given in `headers`). `read: true` marks a call that only reads
	 * whatever its method, replayed as a GET is (retry.ts).
	 */
	async request<T>(method: Method, path: string, body?: unknown, headers?: Record<string, string>, options: RequestOptions = {}): Promise<T> {
		const payload = body === undefined || Buffer.isBuffer(body) ? body : JSON.stringify(body);
		return await this.send<T>(method, path, payload, { 'Content-Type': 'application/json', ...headers }, options);
	}

	/**
	 * The content of a blob field, e.g. `/sobjects/ContentVersion/068…/VersionData` ("sObject Blob Get": binary data,
	 * whatever Content-Type Salesforce gives it), read like any other read: replayed after a lost connection or a 5xx
	 * answer, within the Timeout, with the session renewed on 401. A file over MAX_FILE_BYTES does not fit (files.ts).
	 */
	async downloadBlob(path: string): Promise<Buffer> {
		const latin1 = await this.send<string>('GET', path, undefined, {}, { read: true }, BINARY_ANSWER);
		return Buffer.from(latin1, 'latin1');
	}

	/** Uploads files as ContentVersion records in as few sObject Collections calls as Salesforce allows (files.ts). */
	uploadFiles(uploads: FileUpload[], onCall: (positions: number[], outcome: CallOutcome) => void): Promise<void> {
		return uploadFiles(this, uploads, onCall);
	}

	private async send<T>(
		method: Method,
		path: string,
		body: string | Buffer | undefined,
		headers: Record<string, string>,
		options: RequestOptions,
		answer?: AnswerOptions,
	): Promise<T> {
		const url = path.startsWith('/services/') ? path : `/services/data/v${this.apiVersion}${path}`;
		for (let attempt = 1; ; attempt++) {
			const failureBefore = this.auth.failure;
			try {
				return (await this.conn.request<T>({ method, url, body, headers }, answer)) as T;
			} catch (thrown) {
				const error = answer?.responseType ? errorOfBinaryAnswer(thrown) : thrown;
				const accepted = options.acceptError?.(error);
				if (accepted !== undefined) return accepted as T;
				const renewalFailure = this.renewalFailureSince(failureBefore);
				if (renewalFailure || attempt >= MAX_ATTEMPTS || !isRetryable(method, error, options)) {
					throw renewalFailure ?? this.error(error, undefined, options);
				}
			}
			await backoff(attempt);
		}
	}

	/**
	 * When the session renewal failed during a call, jsforce throws a plain Error of its own; the failure the
	 * renewal recorded (with the fix it names) is the one to report.
	 */
	private renewalFailureSince(failureBefore: NodeOperationError | undefined): NodeOperationError | undefined {
		return this.auth.failure !== failureBefore ? this.auth.failure : undefined;
	}

	/**
	 * An object's describe, shared across executions (describe.ts): the shared result while it was checked within
	 * `maxAgeMs` (default 0: ask Salesforce, with If-Modified-Since when a result is shared), at most once per client.
	 * An object Salesforce does not know fails naming the fix.
	 */
	async describe(sobject: string, { maxAgeMs = 0 }: { maxAgeMs?: number } = {}): Promise<DescribeResult> {
		return await this.describes.describe(sobject, maxAgeMs).catch((error: unknown) => this.describeError(sobject, error));
	}

	/** The describe as Salesforce has it now (for a field name it did not know); asked at most once per client. */
	async revalidatedDescribe(sobject: string): Promise<DescribeResult> {
		return await this.describes.revalidated(sobject).catch((error: unknown) => this.describeError(sobject, error));
	}

	private describeError(sobject: string, error: unknown): never {
		throw errorCodeOf(error) === 'NOT_FOUND'
			? new NodeOperationError(this.node, `Salesforce has no object named ${sobject}`, {
					description: 'Check the object’s API name (custom objects end in __c, e.g. Invoice__c) and that the Salesforce user’s profile or permission sets give access to it.',
				})
			: error;
	}

	/**
	 * sObject Describe; with `ifModifiedSince`, Salesforce answers 304 Not Modified without a body when the object's
	 * metadata has not changed since ("Get Object Metadata Changes", REST API Developer Guide). The answer's date (its
	 * Last-Modified, else Date) is Salesforce's clock, to revalidate with next time.
	 */
	private async fetchDescribe(sobject: string, ifModifiedSince?: string): Promise<DescribeAnswer> {
		let status = 0;
		let date: string | undefined;
		const result = await this.send<DescribeResult | ''>(
			'GET',
			`/sobjects/${encodeURIComponent(sobject)}/describe`,
			undefined,
			ifModifiedSince ? { 'If-Modified-Since': ifModifiedSince } : {},
			{},
			{
				onAnswer: ({ statusCode, headers }) => {
					status = statusCode;
					date = headerOf(headers, 'last-modified') ?? headerOf(headers, 'date');
				},
			},
		);
		return status === 304 || !result ? { date } : { result, date };
	}

	async describeGlobal(): Promise<GlobalDescribeEntry[]> {
		return (await this.request<{ sobjects: GlobalDescribeEntry[] }>('GET', '/sobjects')).sobjects;
	}

	/** First page of a query (`includeDeleted` uses queryAll); follow with queryMore(nextRecordsUrl). */
	query<T = SalesforceRecord>(soql: string, options: QueryOptions = {}) {
		return query<T>(this, soql, options);
	}

	queryMore<T = SalesforceRecord>(nextRecordsUrl: string) {
		return queryMore<T>(this, nextRecordsUrl);
	}

	/** All records up to `max` (follows nextRecordsUrl, never OFFSET). */
	queryAllPages<T = SalesforceRecord>(soql: string, options: QueryOptions & { max?: number } = {}): Promise<T[]> {
		return queryAllPages<T>(this, soql, options);
	}

	/** sObject Collections, 200 records a call, results in input order (collections.ts). */
	saveMany(operation: SaveOperation, sobject: string, records: SalesforceRecord[], externalIdField?: string): Promise<SaveResult[]> {
		return saveMany(this, operation, sobject, records, externalIdField);
	}

	/** An autolaunched flow's input and output variables; undefined when no invocable flow has that API name (actions.ts). */
	describeFlow(apiName: string): Promise<FlowDescribe | undefined> {
		return describeFlow(this, apiName);
	}

	/** One invocation of a flow with up to FLOW_INPUTS_PER_CALL inputs, results in input order (actions.ts). */
	invokeFlow(apiName: string, inputs: Array<Record<string, unknown>>): Promise<FlowResult[]> {
		return invokeFlow(this, apiName, inputs);
	}

	/** One Bulk API 2.0 ingest job, results in input order (bulk.ts). */
	bulkIngest(operation: BulkOperation, sobject: string, records: SalesforceRecord[], externalIdField?: string): Promise<SaveResult[]> {
		return this.onConnection(async () => await bulkIngest(this.conn, operation, sobject, records, externalIdField, this));
	}

	/** Renews the session through n8n, as after a 401: for the Streaming API, whose refusals jsforce does not see. */
	async renewSession(): Promise<void> {
		await this.session.renew();
	}

	/** A call outside jsforce's requests (a CometD handshake) accepted the session's token. */
	sessionAccepted(): void {
		this.auth.unconfirmedToken = undefined;
	}

	/**
	 * The change events of `sobject` on `channel`, through jsforce's Streaming API client on this session
	 * (streaming.ts); `start()` it, `close()` it.
	 */
	changeStream(channel: string, sobject: string, handlers: ChangeStreamHandlers): ChangeStream {
		return new ChangeStream(this, channel, sobject, handlers);
	}

	/** Lead conversion through the SOAP API (the only call REST does not offer). */
	convertLeads(conversions: Array<Record<string, unknown>>): Promise<Array<Record<string, unknown>>> {
		return this.onConnection(async () => {
			const result = await this.conn.soap.convertLead(conversions as never);
			return (Array.isArray(result) ? result : [result]) as Array<Record<string, unknown>>;
		});
	}

	/** A call made on the jsforce Connection itself (not through request): its failure as the user sees it. */
	private async onConnection<T>(call: () => Promise<T>): Promise<T> {
		const failureBefore = this.auth.failure;
		try {
			return await call();
		} catch (error) {
			throw this.renewalFailureSince(failureBefore) ?? this.error(error);
		}
	}
}

function headerOf(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const value = headers?.[name];
	return typeof value === 'string' ? value : undefined;
}
