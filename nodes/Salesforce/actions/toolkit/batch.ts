import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { abbreviate, MESSAGE_LIMIT, QUOTE_LIMIT } from '../../helpers/text';
import {
	COLLECTION_SIZE,
	OUTCOME_UNKNOWN,
	OutcomeUnknownError,
	SalesforceClient,
	type SalesforceRecord,
	type SaveOperation,
	type SaveResult,
} from '../../transport';
import { ObjectSchema } from './schema';

export type BulkMode = 'auto' | 'always' | 'never';

/**
 * From this many items on, "Automatic" uses Bulk API 2.0. Below it, Collections cost at most 10 API calls and answer
 * synchronously; a Bulk job costs about as many calls (create, upload, close, polls, result downloads), adds polling
 * latency of seconds, and counts against the daily Bulk batch allocation. Salesforce's own guidance is the same:
 * Bulk API for more than 2,000 records.
 */
export const BULK_THRESHOLD = 2000;

type ItemError = NodeApiError | NodeOperationError;

/**
 * Exactly one output item per input item, in input order, each paired with its input item. Without continue-on-fail
 * the first failure stops the node; with it, a failure becomes that item's error item.
 */
export class ItemResults {
	private readonly outputs: INodeExecutionData[][];

	private readonly continueOnFail: boolean;

	private readonly toErrorOutput: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		count: number,
	) {
		this.outputs = Array.from({ length: count }, () => []);
		this.continueOnFail = ctx.continueOnFail();
		this.toErrorOutput = ctx.getNode().onError === 'continueErrorOutput';
	}

	/** One or more output items for an input item (Get Many returns many); `binary` goes with a single one (a download). */
	add(itemIndex: number, json: IDataObject | IDataObject[], binary?: IBinaryKeyData) {
		const records = Array.isArray(json) ? json : [json];
		this.outputs[itemIndex].push(...records.map((record) => ({ json: record, ...(binary ? { binary } : {}), pairedItem: { item: itemIndex } })));
	}

	/** The item's error item under Continue On Fail; otherwise throws the error, which stops the node. */
	failOrThrow(itemIndex: number, error: unknown) {
		const nodeError = asItemError(this.ctx, error, itemIndex);
		if (!this.continueOnFail) throw nodeError;
		const json = errorJson(nodeError, this.toErrorOutput);
		// Neither saved nor failed: says so next to errorCode OUTCOME_UNKNOWN.
		if (error instanceof OutcomeUnknownError) Object.assign(this.toErrorOutput ? (json.details as IDataObject) : json, { outcome: 'unknown' });
		this.outputs[itemIndex] = [{ json, pairedItem: { item: itemIndex } }];
	}

	/** failOrThrow for a record-level failure from Collections, Bulk or SOAP, with Salesforce's statusCode, message and fields. */
	failRecordOrThrow(itemIndex: number, result: Pick<SaveResult, 'errors'>) {
		this.failOrThrow(itemIndex, recordError(this.ctx, result, itemIndex));
	}

	get all(): INodeExecutionData[] {
		return this.outputs.flat();
	}
}

/**
 * An operation that reads once per item (a query, a search, a describe): what `read` returns for an item becomes
 * its output items, its failure the item's error, each paired with the item.
 */
export async function readEachItem(
	ctx: IExecuteFunctions,
	read: (itemIndex: number, client: SalesforceClient) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const client = await SalesforceClient.for(ctx);
	const results = new ItemResults(ctx, ctx.getInputData().length);
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			results.add(itemIndex, await read(itemIndex, client));
		} catch (error) {
			// A SoqlError (a parameter that cannot become safe SOQL) becomes the item's NodeOperationError, its message kept.
			results.failOrThrow(itemIndex, error);
		}
	}
	return results.all;
}

/** A message naming the input item it is about: "… (item 3)". */
export const namingItem = (message: string, itemIndex: number) => `${message} (item ${itemIndex})`;
/** The message without the item it names, if any. */
export const withoutItem = (message: string) => message.replace(/ \(item \d+\)$/, '');

export function recordError(ctx: IExecuteFunctions, result: Pick<SaveResult, 'errors'>, itemIndex: number): NodeApiError {
	const [first = { statusCode: 'UNKNOWN', message: 'Salesforce rejected the record without a reason' }] = result.errors ?? [];
	const fields = first.fields ?? [];
	// Salesforce quotes the rejected value (STRING_TOO_LONG: "data value too large: <value>"): quote it shortened.
	const message = abbreviate(first.message);
	const body: JsonObject = { statusCode: first.statusCode, message, fields };
	return new NodeApiError(ctx.getNode(), body, {
		message: namingItem(`${first.statusCode}: ${message}`, itemIndex),
		description: [
			fields.length ? `Fields: ${fields.join(', ')}.` : '',
			first.statusCode === 'REQUIRED_FIELD_MISSING' && fields.length ? `Give ${fields.join(', ')} a value.` : '',
			result.errors.length > 1 ? result.errors.slice(1).map((error) => `${error.statusCode}: ${abbreviate(error.message)}`).join(' ') : '',
		]
			.filter(Boolean)
			.join(' '),
		httpCode: '400',
		itemIndex,
	});
}

/**
 * A copy of the error for one item, its message naming the item (a call-level error is shared by its chunk), every
 * text shortened so that a long value it quotes does not make a long error.
 */
function asItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): ItemError {
	const message = namingItem(abbreviate(withoutItem(String((error as Error)?.message ?? error)), MESSAGE_LIMIT), itemIndex);
	const cause = (error as ItemError)?.description;
	const description = cause ? abbreviate(cause, MESSAGE_LIMIT) : undefined;
	if (error instanceof NodeApiError) {
		const response = (error as { errorResponse?: JsonObject }).errorResponse ?? { message: error.message };
		const shortened = typeof response.message === 'string' ? { ...response, message: abbreviate(response.message, MESSAGE_LIMIT) } : response;
		return new NodeApiError(ctx.getNode(), shortened, { message, description, httpCode: error.httpCode ?? undefined, itemIndex });
	}
	return new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
}

/**
 * The json of an error item: `error` plus Salesforce's own keys (statusCode for a record, errorCode for a call),
 * message and fields. n8n routes an item to the error output ("On Error: Continue (using error output)") only when
 * its json holds nothing but error, message and details, so in that mode Salesforce's keys move under `details`.
 * A message too long to quote whole is already in `error`, shortened, and is not repeated.
 */
function errorJson(error: ItemError, forErrorOutput: boolean): IDataObject {
	const response = (error as { errorResponse?: JsonObject }).errorResponse ?? {};
	const details: IDataObject = {};
	if (response.statusCode) details.statusCode = response.statusCode;
	if (response.errorCode) details.errorCode = response.errorCode;
	details.fields = (response.fields as string[] | undefined) ?? [];
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	const text = (response.message as string | undefined) ?? error.description ?? undefined;
	const repeated = text !== undefined && text.length > QUOTE_LIMIT && error.message.includes(text);
	const message = text && !repeated ? { message: text } : {};
	if (forErrorOutput) return { error: error.message, ...message, details };
	return { error: error.message, ...message, ...details };
}

export interface WriteEntry {
	itemIndex: number;
	record: SalesforceRecord;
	/** Upsert only: the external ID field that matches the record. */
	externalIdField?: string;
}

const BULK_OPERATION = { create: 'insert', update: 'update', upsert: 'upsert', delete: 'delete' } as const satisfies Record<SaveOperation, string>;

/**
 * Collections calls in flight at once unless the Parallel Calls option says otherwise. Salesforce runs them side by side;
 * each is far below its 20-second "long-running request" mark, so a few leave the org's 25 concurrent long-running
 * requests untouched.
 */
export const DEFAULT_PARALLEL_CALLS = 4;

/**
 * Child records (notes, case comments, campaign members) lock their parent while Salesforce saves them, so calls
 * holding children of the same parent would refuse each other with UNABLE_TO_LOCK_ROW: they go one at a time.
 */
export const CHILD_RECORD_PARALLEL_CALLS = 1;

/**
 * Sends the records of many items in as few calls as Salesforce allows: sObject Collections (200 per call,
 * allOrNone false), up to `parallelCalls` at once, or one Bulk API 2.0 job. Calls `onResult` per entry in input order.
 * Calls run one after the other when a record is written by two of them (the later item must win). Without
 * continue-on-fail `onResult` throws a failure: no further call starts, and the calls in flight finish first.
 */
export async function writeRecords(
	client: SalesforceClient,
	operation: SaveOperation,
	sobject: string,
	entries: WriteEntry[],
	options: { bulkMode: BulkMode; externalIdField?: string; parallelCalls: number },
	onResult: (entry: WriteEntry, result: SaveResult | ItemError) => void,
): Promise<void> {
	const useBulk = options.bulkMode === 'always' || (options.bulkMode === 'auto' && entries.length >= BULK_THRESHOLD);
	const chunkSize = useBulk ? entries.length : COLLECTION_SIZE;
	const chunks: WriteEntry[][] = [];
	for (let start = 0; start < entries.length; start += chunkSize) chunks.push(entries.slice(start, start + chunkSize));
	const parallelCalls = useBulk || writesARecordTwice(operation, chunks, options.externalIdField) ? 1 : options.parallelCalls;

	const send = async (chunk: WriteEntry[]): Promise<Array<SaveResult | ItemError>> => {
		const records = chunk.map((entry) => entry.record);
		try {
			const saved = useBulk
				? await client.bulkIngest(BULK_OPERATION[operation], sobject, records, options.externalIdField)
				: await client.saveMany(operation, sobject, records, options.externalIdField);
			return saved.map((result) => (isUnknownOutcome(result) ? unknownRowOf(client, operation, result) : result));
		} catch (error) {
			const callError = client.error(error);
			return chunk.map(() => (callError instanceof OutcomeUnknownError ? unknownOutcomeOf(client, operation, callError) : callError));
		}
	};
	const inFlight: Array<Promise<Array<SaveResult | ItemError>>> = [];
	try {
		for (let index = 0; index < chunks.length; index++) {
			while (inFlight.length < Math.min(chunks.length, index + parallelCalls)) inFlight.push(send(chunks[inFlight.length]));
			const results = await inFlight[index];
			chunks[index].forEach((entry, position) => onResult(entry, results[position]));
		}
	} finally {
		// A failure thrown by onResult waits for the calls in flight: the node never returns while Salesforce still writes.
		await Promise.all(inFlight);
	}
}

/** Whether two chunks hold the same record (by ID, or by external ID for an upsert): their calls must not overlap. */
function writesARecordTwice(operation: SaveOperation, chunks: WriteEntry[][], externalIdField?: string): boolean {
	if (chunks.length < 2 || operation === 'create') return false;
	// IDs compare by their case-sensitive 15 characters; external IDs case-insensitively, as Salesforce matches them.
	const keyOf = (record: SalesforceRecord) =>
		operation === 'upsert' ? String(record[externalIdField!] ?? '').toLowerCase() : String(record.Id ?? '').slice(0, 15);
	const chunkOfKey = new Map<string, number>();
	return chunks.some((chunk, index) =>
		chunk.some(({ record }) => {
			const key = keyOf(record);
			if ((chunkOfKey.get(key) ?? index) !== index) return true;
			chunkOfKey.set(key, index);
			return false;
		}),
	);
}

/** How to find out what became of a write whose answer was lost, and whether running it again is safe. */
const CHECK_AFTER_LOST_ANSWER: Record<SaveOperation, string | undefined> = {
	create: undefined,
	update: 'Salesforce may have updated the record. Running the update again is safe: it sets the same values.',
	upsert: 'Salesforce may have created or updated the record. Running the upsert again is safe: it matches the record by its External ID instead of creating a second one.',
	delete: 'Salesforce may have deleted the record: look it up in Salesforce or its Recycle Bin before running again.',
};

/** The transport's lost answer, told in terms of the operation (the client only knows it was a write). */
function unknownOutcomeOf(client: SalesforceClient, operation: SaveOperation, error: OutcomeUnknownError): OutcomeUnknownError {
	return error.noAnswer ? error.retold(client.node, operation, CHECK_AFTER_LOST_ANSWER[operation]) : error;
}

/** A row whose outcome the transport could not learn (a Bulk job's row without a result, say). */
const isUnknownOutcome = (result: SaveResult) => !result.success && result.errors[0]?.statusCode === OUTCOME_UNKNOWN;

function unknownRowOf(client: SalesforceClient, operation: SaveOperation, result: SaveResult): OutcomeUnknownError {
	return new OutcomeUnknownError(client.node, { operation, reason: result.errors[0].message, check: CHECK_AFTER_LOST_ANSWER[operation] });
}

export function isSaveResult(result: SaveResult | ItemError): result is SaveResult {
	return !(result instanceof Error);
}

export interface WriteItemsOptions {
	operation: SaveOperation;
	/** The object the items are about: its describe checks their IDs and fields. */
	sobject: string;
	/** The object written, when it is not `sobject` (Add Note writes Note records). */
	target?: string;
	/** Defaults to the "Use Bulk API 2.0" option. */
	bulkMode?: BulkMode;
	/** Defaults to the "Parallel Calls" option. */
	parallelCalls?: number;
	/** What an item writes; throwing fails that item only. */
	buildEntry(itemIndex: number, schema: ObjectSchema): Omit<WriteEntry, 'itemIndex'> | Promise<Omit<WriteEntry, 'itemIndex'>>;
	/** The output item of a record Salesforce accepted. */
	output(entry: WriteEntry, result: SaveResult): IDataObject;
	/** Rewrites a record Salesforce rejected before it becomes the item's error. */
	explainRejection?(result: SaveResult, entry: WriteEntry): SaveResult;
}

/** A write operation end to end: one entry per item, written in batches, one output or error item per input item. */
export async function writeItems(ctx: IExecuteFunctions, options: WriteItemsOptions): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const client = await SalesforceClient.for(ctx);
	const schema = await ObjectSchema.load(client, options.sobject);
	const results = new ItemResults(ctx, items.length);
	// One Collections upsert names one external ID field: entries are grouped by the field they name.
	const groups = new Map<string | undefined, WriteEntry[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const entry = { itemIndex, ...(await options.buildEntry(itemIndex, schema)) };
			const group = groups.get(entry.externalIdField) ?? [];
			group.push(entry);
			groups.set(entry.externalIdField, group);
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	const bulkMode = options.bulkMode ?? (ctx.getNodeParameter('options.bulkMode', 0, 'auto') as BulkMode);
	const parallelCalls = options.parallelCalls ?? (ctx.getNodeParameter('options.parallelCalls', 0, DEFAULT_PARALLEL_CALLS) as number);
	for (const [externalIdField, entries] of groups) {
		await writeRecords(client, options.operation, options.target ?? options.sobject, entries, { bulkMode, externalIdField, parallelCalls }, (entry, result) => {
			if (!isSaveResult(result)) {
				results.failOrThrow(entry.itemIndex, result);
				return;
			}
			if (!result.success) {
				results.failRecordOrThrow(entry.itemIndex, options.explainRejection?.(result, entry) ?? result);
				return;
			}
			const json = options.output(entry, result);
			// A result the transport could not be sure of (collections.ts) says so, whatever the operation outputs.
			if (result.note) Object.assign(json, result.created === null ? { created: null } : {}, { note: result.note });
			results.add(entry.itemIndex, json);
		});
	}
	return results.all;
}
