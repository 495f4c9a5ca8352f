import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { bulkModeOption, parallelCallsOption, recordLocator } from '../toolkit/descriptions';
import { recordIdParameter } from '../toolkit/records';
import { optionsCollection, timeoutOption } from '../../properties/options';
import type { Noun } from '../toolkit/operations';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to delete (it goes to the recycle bin)',
	}),
	optionsCollection([bulkModeOption, parallelCallsOption, timeoutOption]),
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Delete', description: `Delete ${noun.one}`, action: `Delete ${noun.one}` });

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await writeItems(this, {
		operation: 'delete',
		sobject,
		buildEntry: (itemIndex, schema) => ({ record: { Id: recordIdParameter(this, 'recordId', itemIndex, schema.describe) } }),
		output: (entry) => ({ Id: entry.record.Id, deleted: true }),
	});
}
