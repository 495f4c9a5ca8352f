import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { buildSelect, quote, SoqlError } from '../../helpers/soql';
import { SalesforceClient, type SalesforceRecord } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import { fieldSetProperties, recordLocator } from '../toolkit/descriptions';
import { selectFields } from '../../helpers/query';
import { withoutAttributes } from '../../helpers/records';
import { recordIdParameter } from '../toolkit/records';
import { isStaleField, ObjectSchema } from '../toolkit/schema';
import { optionsCollection, timeoutOption } from '../../properties/options';
import type { Noun } from '../toolkit/operations';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to get',
	}),
	...fieldSetProperties('all'),
	optionsCollection([timeoutOption]),
];

/** IDs per query: keeps `WHERE Id IN (…)` well below Salesforce's 16 KB URL limit (wide field lists are read in parts). */
const IDS_PER_QUERY = 100;

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Get', description: `Get ${noun.one}`, action: `Get ${noun.one}` });

/** An item's record ID and field choice. */
interface RecordRequest {
	itemIndex: number;
	id: string;
	fieldSet: unknown;
	chosen: unknown;
}

/**
 * Records are read with one SOQL query per 100 items (items sharing the same field choice), not one call each. A
 * field Salesforce no longer knows (INVALID_FIELD: deleted since the shared describe was checked) revalidates the
 * describe once and reads that chunk again with the fields Salesforce has now.
 */
export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const schema = await ObjectSchema.load(client, sobject);
	const results = new ItemResults(this, items.length);
	const requests: RecordRequest[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const id = recordIdParameter(this, 'recordId', itemIndex, schema.describe);
			requests.push({ itemIndex, id, fieldSet: itemParameter(this, 'fieldSet', itemIndex, 'all'), chosen: itemParameter(this, 'fields', itemIndex, []) });
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}

	const read = async (requests: RecordRequest[]): Promise<void> => {
		const byFields = new Map<string, { fields: string[]; requests: RecordRequest[] }>();
		for (const request of requests) {
			try {
				const fields = await schema.withRetryOnStale((describe) => selectFields(describe.fields, sobject, request.fieldSet, request.chosen));
				const group = byFields.get(fields.join(',')) ?? { fields, requests: [] };
				group.requests.push(request);
				byFields.set(fields.join(','), group);
			} catch (error) {
				results.failOrThrow(request.itemIndex, error);
			}
		}
		for (const { fields, requests } of byFields.values()) {
			for (let start = 0; start < requests.length; start += IDS_PER_QUERY) {
				const chunk = requests.slice(start, start + IDS_PER_QUERY);
				const ids = [...new Set(chunk.map((request) => request.id))];
				let records: SalesforceRecord[];
				try {
					const select = { object: sobject, fields, where: `Id IN (${ids.map(quote).join(', ')})` };
					records = await client.queryAllPages(buildSelect(select), { select });
				} catch (error) {
					// Revalidated at most once per execution: a second INVALID_FIELD fails the chunk.
					if (isStaleField(error) && (await schema.refresh())) {
						await read(chunk);
						continue;
					}
					const callError = error instanceof SoqlError ? new NodeOperationError(this.getNode(), error.message) : client.error(error);
					chunk.forEach((request) => results.failOrThrow(request.itemIndex, callError));
					continue;
				}
				const byId = new Map(records.map((record) => [String(record.Id).slice(0, 15), record]));
				for (const { itemIndex, id } of chunk) {
					const record = byId.get(id.slice(0, 15));
					if (record) results.add(itemIndex, withoutAttributes(record));
					else results.failOrThrow(itemIndex, notFound(this, sobject, id, itemIndex));
				}
			}
		}
	};
	await read(requests);
	return results.all;
}

function notFound(ctx: IExecuteFunctions, sobject: string, id: string, itemIndex: number) {
	return new NodeApiError(
		ctx.getNode(),
		{ errorCode: 'NOT_FOUND', message: `No ${sobject} with ID ${id}`, fields: [] },
		{
			message: `NOT_FOUND: No ${sobject} with ID ${id}`,
			description: 'The record does not exist, was deleted, or the Salesforce user cannot see it. Check the Record parameter.',
			httpCode: '404',
			itemIndex,
		},
	);
}
