import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { fieldsProperties, recordLocator, writeOptionsProperty } from '../toolkit/descriptions';
import { clearedFields, lookupFields, recordIdParameter } from '../toolkit/records';

const properties: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to update',
	}),
	...fieldsProperties('getUpdateFields', ['resource']),
	writeOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead', 'contact', 'opportunity'], operation: ['update'] } },
	properties,
);

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
