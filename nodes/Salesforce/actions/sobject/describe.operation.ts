import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { DescribeResult } from '../../transport';
import { readEachItem } from '../toolkit/batch';
import { isRequiredOnCreate } from '../../helpers/records';
import type { Noun } from '../toolkit/operations';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'Include Read-Only Fields',
		name: 'includeReadOnly',
		type: 'boolean',
		default: true,
		description: 'Whether to list fields that cannot be written, such as formulas and system fields',
	},
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({ name: 'Describe', description: `List the fields, picklist values and record types of ${noun.plural}`, action: `Describe the ${noun.singular} object` });

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await readEachItem(this, async (itemIndex, client) =>
		summarize(await client.describe(sobject), this.getNodeParameter('includeReadOnly', itemIndex, true) as boolean),
	);
}

/** The parts of describe a workflow builder needs: fields with types and picklist values, record types. */
function summarize(describe: DescribeResult, includeReadOnly: boolean): IDataObject {
	const fields = describe.fields
		.filter((field) => includeReadOnly || field.createable || field.updateable)
		.map((field) => ({
			name: field.name,
			label: field.label,
			type: field.type,
			...(field.length ? { length: field.length } : {}),
			required: isRequiredOnCreate(field),
			createable: field.createable,
			updateable: field.updateable,
			custom: field.custom ?? field.name.endsWith('__c'),
			externalId: field.externalId,
			...(field.referenceTo?.length ? { referenceTo: field.referenceTo } : {}),
			...(field.picklistValues?.length
				? {
						picklistValues: field.picklistValues
							.filter((value) => value.active)
							.map((value) => ({ value: value.value, label: value.label, ...(value.defaultValue ? { default: true } : {}) })),
					}
				: {}),
		}));
	return {
		name: describe.name,
		label: describe.label,
		keyPrefix: describe.keyPrefix ?? null,
		fields,
		recordTypes: (describe.recordTypeInfos ?? [])
			.filter((recordType) => !recordType.master)
			.map((recordType) => ({
				id: recordType.recordTypeId,
				name: recordType.name,
				developerName: recordType.developerName,
				active: recordType.active ?? true,
			})),
	};
}
