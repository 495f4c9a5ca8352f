import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CHILD_RECORD_PARALLEL_CALLS, writeItems } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { recordIdParameter } from '../toolkit/records';
import { optionsCollection, timeoutOption } from '../../properties/options';
import type { Noun } from '../toolkit/operations';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
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
	optionsCollection([
		{
			displayName: 'Private',
			name: 'isPrivate',
			type: 'boolean',
			default: false,
			description: 'Whether only the owner of the note (and administrators) can see it',
		},
		timeoutOption,
	]),
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Add Note', description: `Attach a note to ${noun.one}`, action: `Add a note to ${noun.one}` });

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await writeItems(this, {
		operation: 'create',
		sobject,
		target: 'Note',
		bulkMode: 'never',
		parallelCalls: CHILD_RECORD_PARALLEL_CALLS,
		buildEntry: (itemIndex, schema) => ({
			record: {
				ParentId: recordIdParameter(this, 'recordId', itemIndex, schema.describe),
				Title: itemParameter(this, 'title', itemIndex) as string,
				Body: itemParameter(this, 'body', itemIndex, '') as string,
				IsPrivate: itemParameter(this, 'options.isPrivate', itemIndex, false) as boolean,
			},
		}),
		output: (entry, result) => ({ Id: result.id, ...entry.record }),
	});
}
