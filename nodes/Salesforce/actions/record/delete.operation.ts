import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { SalesforceClient } from '../../transport';
import { isSaveResult, ItemResults, writeRecords, type BulkMode, type WriteEntry } from '../shared/batch';
import { bulkModeOption, recordLocator } from '../shared/descriptions';
import { recordIdParameter } from '../shared/records';
import { ObjectSchema } from '../shared/schema';

const properties: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to delete (it goes to the recycle bin)',
	}),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [bulkModeOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead', 'contact', 'opportunity'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const { describe } = await ObjectSchema.load(this, client, sobject);
	const results = new ItemResults(this, items.length);
	const entries: WriteEntry[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			entries.push({ itemIndex, record: { Id: recordIdParameter(this, 'recordId', itemIndex, describe) } });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}
	const bulkMode = this.getNodeParameter('options.bulkMode', 0, 'auto') as BulkMode;
	await writeRecords(client, 'delete', sobject, entries, { bulkMode }, (entry, result) => {
		if (!isSaveResult(result)) return results.fail(entry.itemIndex, result);
		if (!result.success) return results.failRecord(entry.itemIndex, result);
		results.add(entry.itemIndex, { Id: entry.record.Id, deleted: true });
	});
	return results.all;
}
