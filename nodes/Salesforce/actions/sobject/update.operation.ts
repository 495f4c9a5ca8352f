import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { fieldsProperties, recordLocator, writeOptionsProperty } from '../toolkit/descriptions';
import { clearedFields, lookupFields, recordIdParameter } from '../toolkit/records';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to update',
	}),
	...fieldsProperties('getUpdateFields', ['resource']),
	writeOptionsProperty,
];

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await writeItems(this, {
		operation: 'update',
		sobject,
		buildEntry: async (itemIndex, schema) => {
			const id = recordIdParameter(this, 'recordId', itemIndex, schema.describe);
			const record = { ...(await schema.itemRecord(this, itemIndex)), ...lookupFields(this, itemIndex) };
			return { record: { ...record, ...clearedFields(this, itemIndex, schema.describe, record), Id: id } };
		},
		output: (entry) => entry.record as IDataObject,
	});
}
