import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { DESCRIBE_DEPENDS_ON, fieldsProperties, recordLocator, writeOptionsProperty } from '../toolkit/descriptions';
import { clearedFields, lookupFields, recordIdParameter } from '../toolkit/records';
import type { Noun } from '../toolkit/operations';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	recordLocator({
		displayName: 'Record',
		name: 'recordId',
		searchListMethod: 'searchRecords',
		description: 'The record to update',
	}),
	...fieldsProperties('getUpdateFields', DESCRIBE_DEPENDS_ON),
	writeOptionsProperty,
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Update', description: `Update ${noun.one}`, action: `Update ${noun.one}` });

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
