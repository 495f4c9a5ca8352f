import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { CHILD_RECORD_PARALLEL_CALLS, writeItems } from '../toolkit/batch';
import { recordLocator } from '../toolkit/descriptions';
import { recordIdParameter } from '../toolkit/records';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Case',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The case to comment on',
		placeholderId: '5005g00000AbCdEFGH',
	}),
	{
		displayName: 'Comment',
		name: 'commentBody',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'Text of the comment (up to 4,000 characters)',
	},
	optionsCollection([
		{
			displayName: 'Public',
			name: 'isPublished',
			type: 'boolean',
			default: false,
			description: 'Whether customers see the comment (in the customer portal or Experience Cloud site); off keeps it internal',
		},
		timeoutOption,
	]),
];

export const label = (): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Add Comment',
	description: 'Add a comment to a case',
	action: 'Add a comment to a case',
});

/** CaseComment records, written in batches like every other write. */
export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await writeItems(this, {
		operation: 'create',
		sobject,
		target: 'CaseComment',
		bulkMode: 'never',
		parallelCalls: CHILD_RECORD_PARALLEL_CALLS,
		buildEntry: (itemIndex, schema) => ({
			record: {
				ParentId: recordIdParameter(this, 'recordId', itemIndex, schema.describe, 'Case'),
				CommentBody: itemParameter(this, 'commentBody', itemIndex) as string,
				IsPublished: itemParameter(this, 'options.isPublished', itemIndex, false) as boolean,
			},
		}),
		output: (entry, result) => ({ Id: result.id, ...entry.record }),
	});
}
