import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { fieldsProperties, writeOptionsProperty } from '../toolkit/descriptions';
import { lookupFields } from '../toolkit/records';

const properties: INodeProperties[] = [
	...fieldsProperties('getCreateFields', ['resource']),
	writeOptionsProperty,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead', 'contact', 'opportunity'], operation: ['create'] } },
	properties,
);

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
