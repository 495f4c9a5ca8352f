import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SaveResult } from '../../transport';
import { writeItems } from '../toolkit/batch';
import { DESCRIBE_DEPENDS_ON, fieldsProperties, writeOptionsProperty } from '../toolkit/descriptions';
import { clearedFields, isEmpty, lookupFields } from '../toolkit/records';
import type { Noun } from '../toolkit/operations';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'External ID Field Name or ID',
		name: 'externalIdField',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getExternalIdFields', loadOptionsDependsOn: DESCRIBE_DEPENDS_ON },
		required: true,
		default: '',
		description:
			'The field that identifies the record: a match is updated, no match creates a record. Only fields marked "External ID" in Salesforce qualify. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...fieldsProperties('getUpsertFields', [...DESCRIBE_DEPENDS_ON, 'externalIdField']),
	writeOptionsProperty,
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Create or Update',
	description: `Create a new ${noun.singular}, or update the current one if it already exists (upsert)`,
	action: `Create or update ${noun.one}`,
});

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	return await writeItems(this, {
		operation: 'upsert',
		sobject,
		buildEntry: async (itemIndex, schema) => {
			const name = itemParameter(this, 'externalIdField', itemIndex) as string;
			const field = await schema.withRetryOnStale((describe) => {
				const match = describe.fields.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
				if (match?.externalId) return match;
				throw new NodeOperationError(this.getNode(), `"${name}" is not an external ID field of ${sobject}`, {
					itemIndex,
					description: `Pick a field from the External ID Field list. To add one, tick "External ID" on a custom field in Setup → Object Manager → ${sobject}.`,
				});
			}, () => true);
			const record = await schema.itemRecord(this, itemIndex);
			if (isEmpty(record[field.name])) {
				throw new NodeOperationError(this.getNode(), `No value for the external ID field ${field.name}`, {
					itemIndex,
					description: `Map a value to ${field.name}: it decides whether the record is created or updated.`,
				});
			}
			const written = { ...record, ...lookupFields(this, itemIndex) };
			return { record: { ...written, ...clearedFields(this, itemIndex, schema.describe, written) }, externalIdField: field.name };
		},
		output: (entry, result) => ({ Id: result.id, created: result.created === true, ...entry.record }),
		explainRejection: (result, entry) => explainMultipleMatches(result, entry.externalIdField as string),
	});
}

/** Salesforce answers 300 when several records share the external ID value: say so, and how to fix it. */
function explainMultipleMatches(result: SaveResult, externalIdField: string): SaveResult {
	const [first, ...rest] = result.errors;
	if (!first || !/MULTIPLE_CHOICES|DUPLICATE_EXTERNAL_ID|^300$/.test(first.statusCode)) return result;
	const message = `Several records match this ${externalIdField} value, so Salesforce cannot tell which one to update. Make the value unique (tick "Unique" on the field) or update by record ID. Salesforce said: ${first.message}`;
	return { ...result, errors: [{ ...first, message, fields: first.fields?.length ? first.fields : [externalIdField] }, ...rest] };
}
