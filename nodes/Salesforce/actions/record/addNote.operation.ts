import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { SalesforceClient } from '../../transport';
import { isSaveResult, ItemResults, writeRecords, type WriteEntry } from '../shared/batch';
import { recordLocator } from '../shared/descriptions';
import { recordIdParameter } from '../shared/records';
import { ObjectSchema } from '../shared/schema';

const properties: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record the note is attached to',
	}),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		description: 'Title of the note (up to 80 characters)',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'Text of the note (up to 32,000 characters)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Private',
				name: 'isPrivate',
				type: 'boolean',
				default: false,
				description: 'Whether only the owner of the note (and administrators) can see it',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead', 'contact', 'opportunity'], operation: ['addNote'] } },
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
			const record = {
				ParentId: recordIdParameter(this, 'recordId', itemIndex, describe),
				Title: this.getNodeParameter('title', itemIndex) as string,
				Body: this.getNodeParameter('body', itemIndex, '') as string,
				IsPrivate: this.getNodeParameter('options.isPrivate', itemIndex, false) as boolean,
			};
			entries.push({ itemIndex, record });
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}
	await writeRecords(client, 'create', 'Note', entries, { bulkMode: 'never' }, (entry, result) => {
		if (!isSaveResult(result)) return results.fail(entry.itemIndex, result);
		if (!result.success) return results.failRecord(entry.itemIndex, result);
		results.add(entry.itemIndex, { Id: result.id, ...entry.record });
	});
	return results.all;
}
