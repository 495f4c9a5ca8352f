import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { writeItems } from '../toolkit/batch';
import { DESCRIBE_DEPENDS_ON, fieldsProperties, writeOptionsProperty } from '../toolkit/descriptions';
import { lookupFields } from '../toolkit/records';
import type { Noun } from '../toolkit/operations';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	...fieldsProperties('getCreateFields', DESCRIBE_DEPENDS_ON),
	writeOptionsProperty,
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Create', description: `Create ${noun.one}`, action: `Create ${noun.one}` });

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
