import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { SalesforceClient } from '../../transport';
import { isSaveResult, ItemResults, writeRecords, type BulkMode, type WriteEntry } from '../shared/batch';
import { bulkModeOption, fieldsProperties, lookupOptions, recordLocator } from '../shared/descriptions';
import { itemFields, lookupFields, recordIdParameter } from '../shared/records';
import { ObjectSchema } from '../shared/schema';

const properties: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to update',
	}),
	...fieldsProperties('getUpdateFields', ['resource']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...lookupOptions, bulkModeOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead', 'contact', 'opportunity'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const schema = await ObjectSchema.load(this, client, sobject);
	const results = new ItemResults(this, items.length);
	const entries: WriteEntry[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const id = recordIdParameter(this, 'recordId', itemIndex, schema.describe);
			const { fields, dropEmpty } = itemFields(this, itemIndex);
			const record = await schema.recordFrom(this, itemIndex, fields, { dropEmpty });
			entries.push({ itemIndex, record: { ...record, ...lookupFields(this, itemIndex), Id: id } });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}
	const bulkMode = this.getNodeParameter('options.bulkMode', 0, 'auto') as BulkMode;
	await writeRecords(client, 'update', sobject, entries, { bulkMode }, (entry, result) => {
		if (!isSaveResult(result)) return results.fail(entry.itemIndex, result);
		if (!result.success) return results.failRecord(entry.itemIndex, result);
		results.add(entry.itemIndex, entry.record as IDataObject);
	});
	return results.all;
}
