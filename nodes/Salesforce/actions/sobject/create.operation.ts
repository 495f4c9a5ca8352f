import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { fieldsProperties, writeOptionsProperty } from '../toolkit/descriptions';
import { lookupFields } from '../toolkit/records';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	...fieldsProperties('getCreateFields', ['resource']),
	writeOptionsProperty,
];

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await writeItems(this, {
		operation: 'create',
		sobject,
		buildEntry: async (itemIndex, schema) => {
			const record = await schema.itemRecord(this, itemIndex);
			return { record: { ...record, ...lookupFields(this, itemIndex) } };
		},
		output: (entry, result) => ({ Id: result.id, ...entry.record }),
	});
}
