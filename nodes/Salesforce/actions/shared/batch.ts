import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { COLLECTION_SIZE, type SalesforceClient, type SalesforceRecord, type SaveResult } from '../../transport';

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

	/** One or more output items for an input item (Get Many returns many). */
	add(itemIndex: number, json: IDataObject | IDataObject[]) {
		const records = Array.isArray(json) ? json : [json];
		this.outputs[itemIndex].push(...records.map((record) => ({ json: record, pairedItem: { item: itemIndex } })));
	}

	fail(itemIndex: number, error: unknown) {
		const nodeError = asItemError(this.ctx, error, itemIndex);
		if (!this.continueOnFail) throw nodeError;
		this.outputs[itemIndex] = [{ json: errorJson(nodeError, this.toErrorOutput), pairedItem: { item: itemIndex } }];
	}

	/** A record-level failure from Collections, Bulk or SOAP, with Salesforce's statusCode, message and fields. */
	failRecord(itemIndex: number, result: Pick<SaveResult, 'errors'>) {
		this.fail(itemIndex, recordError(this.ctx, result, itemIndex));
	}

	get all(): INodeExecutionData[] {
		return this.outputs.flat();
	}
}

export function recordError(ctx: IExecuteFunctions, result: Pick<SaveResult, 'errors'>, itemIndex: number): NodeApiError {
	const [first = { statusCode: 'UNKNOWN', message: 'Salesforce rejected the record without a reason' }] = result.errors ?? [];
	const fields = first.fields ?? [];
	const body: JsonObject = { statusCode: first.statusCode, message: first.message, fields };
	return new NodeApiError(ctx.getNode(), body, {
		message: `${first.statusCode}: ${first.message} (item ${itemIndex})`,
		description: [
			fields.length ? `Fields: ${fields.join(', ')}.` : '',
			result.errors.length > 1 ? result.errors.slice(1).map((error) => `${error.statusCode}: ${error.message}`).join(' ') : '',
		]
			.filter(Boolean)
			.join(' '),
		httpCode: '400',
		itemIndex,
	});
}

/** A copy of the error for one item, its message naming the item (a call-level error is shared by its chunk). */
function asItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): ItemError {
	const message = `${String((error as Error)?.message ?? error).replace(/ \(item \d+\)$/, '')} (item ${itemIndex})`;
	const description = (error as ItemError)?.description ?? undefined;
	if (error instanceof NodeApiError) {
		const response = (error as { errorResponse?: JsonObject }).errorResponse ?? { message: error.message };
		return new NodeApiError(ctx.getNode(), response, { message, description, httpCode: error.httpCode ?? undefined, itemIndex });
	}
	return new NodeOperationError(ctx.getNode(), message, { description, itemIndex });
}

/**
 * The json of an error item: `error` plus Salesforce's own keys (statusCode for a record, errorCode for a call),
 * message and fields. n8n routes an item to the error output ("On Error: Continue (using error output)") only when
 * its json holds nothing but error, message and details, so in that mode Salesforce's keys move under `details`.
 */
function errorJson(error: ItemError, forErrorOutput: boolean): IDataObject {
	const response = (error as { errorResponse?: JsonObject }).errorResponse ?? {};
	const details: IDataObject = {};
	if (response.statusCode) details.statusCode = response.statusCode;
	if (response.errorCode) details.errorCode = response.errorCode;
	details.fields = (response.fields as string[] | undefined) ?? [];
	if (error instanceof NodeApiError && error.httpCode) details.httpCode = error.httpCode;
	const message = (response.message as string | undefined) ?? error.description ?? undefined;
	if (forErrorOutput) return { error: error.message, ...(message ? { message } : {}), details };
	return { error: error.message, ...(message ? { message } : {}), ...details };
}

export interface WriteEntry {
	itemIndex: number;
	record: SalesforceRecord;
}

const BULK_OPERATION = { create: 'insert', update: 'update', upsert: 'upsert', delete: 'delete' } as const;

/**
 * Sends the records of many items in as few calls as Salesforce allows: sObject Collections (200 per call,
 * allOrNone false) or one Bulk API 2.0 job. Calls `onResult` per entry in input order. Without continue-on-fail,
 * no further chunk is sent once a chunk held a failure, and the failure is thrown by `onResult`.
 */
export async function writeRecords(
	client: SalesforceClient,
	operation: 'create' | 'update' | 'upsert' | 'delete',
	sobject: string,
	entries: WriteEntry[],
	options: { bulkMode: BulkMode; externalIdField?: string },
	onResult: (entry: WriteEntry, result: SaveResult | ItemError) => void,
): Promise<void> {
	const useBulk = options.bulkMode === 'always' || (options.bulkMode === 'auto' && entries.length >= BULK_THRESHOLD);
	const chunkSize = useBulk ? entries.length : COLLECTION_SIZE;
	for (let start = 0; start < entries.length; start += chunkSize) {
		const chunk = entries.slice(start, start + chunkSize);
		const records = chunk.map((entry) => entry.record);
		let results: Array<SaveResult | ItemError>;
		try {
			results = useBulk
				? await client.bulkIngest(BULK_OPERATION[operation], sobject, records, options.externalIdField)
				: await client.saveMany(operation, sobject, records, options.externalIdField);
		} catch (error) {
			const callError = client.error(error);
			results = chunk.map(() => callError);
		}
		chunk.forEach((entry, position) => onResult(entry, results[position]));
	}
}

export function isSaveResult(result: SaveResult | ItemError): result is SaveResult {
	return !(result instanceof Error);
}
