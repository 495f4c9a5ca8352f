import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { SalesforceClient, type SaveResult } from '../../transport';
import { isSaveResult, ItemResults, writeRecords, type BulkMode, type WriteEntry } from '../shared/batch';
import { bulkModeOption, fieldsProperties, lookupOptions } from '../shared/descriptions';
import { itemFields, lookupFields } from '../shared/records';
import { ObjectSchema } from '../shared/schema';

const properties: INodeProperties[] = [
	{
		displayName: 'External ID Field Name or ID',
		name: 'externalIdField',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getExternalIdFields', loadOptionsDependsOn: ['resource'] },
		required: true,
		default: '',
		description:
			'The field that identifies the record: a match is updated, no match creates a record. Only fields marked "External ID" in Salesforce qualify. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...fieldsProperties('getUpsertFields', ['resource', 'externalIdField']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...lookupOptions, bulkModeOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['lead', 'contact', 'opportunity'], operation: ['upsert'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, sobject: string): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const schema = await ObjectSchema.load(this, client, sobject);
	const results = new ItemResults(this, items.length);
	// One Collections upsert names one external ID field: items are grouped by the field their parameter names.
	const entriesByField = new Map<string, WriteEntry[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const name = this.getNodeParameter('externalIdField', itemIndex) as string;
			const field = await schema.withRetryOnStale((describe) => {
				const match = describe.fields.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
				if (match?.externalId) return match;
				throw new NodeOperationError(this.getNode(), `"${name}" is not an external ID field of ${sobject}`, {
					itemIndex,
					description: `Pick a field from the External ID Field list. To add one, tick "External ID" on a custom field in Setup → Object Manager → ${sobject}.`,
				});
			}, () => true);
			const { fields, dropEmpty } = itemFields(this, itemIndex);
			const record = await schema.recordFrom(this, itemIndex, fields, { dropEmpty });
			if (record[field.name] === undefined || record[field.name] === null || record[field.name] === '') {
				throw new NodeOperationError(this.getNode(), `No value for the external ID field ${field.name}`, {
					itemIndex,
					description: `Map a value to ${field.name}: it decides whether the record is created or updated.`,
				});
			}
			const entry = { itemIndex, record: { ...record, ...lookupFields(this, itemIndex) } };
			entriesByField.set(field.name, [...(entriesByField.get(field.name) ?? []), entry]);
		} catch (error) {
			results.fail(itemIndex, error);
		}
	}
	const bulkMode = this.getNodeParameter('options.bulkMode', 0, 'auto') as BulkMode;
	for (const [externalIdField, entries] of entriesByField) {
		await writeRecords(client, 'upsert', sobject, entries, { bulkMode, externalIdField }, (entry, result) => {
			if (!isSaveResult(result)) return results.fail(entry.itemIndex, result);
			if (!result.success) return results.failRecord(entry.itemIndex, explainMultipleMatches(result, externalIdField));
			results.add(entry.itemIndex, { Id: result.id, created: result.created === true, ...entry.record });
		});
	}
	return results.all;
}

/** Salesforce answers 300 when several records share the external ID value: say so, and how to fix it. */
function explainMultipleMatches(result: SaveResult, externalIdField: string): SaveResult {
	const [first, ...rest] = result.errors;
	if (!first || !/MULTIPLE_CHOICES|DUPLICATE_EXTERNAL_ID|^300$/.test(first.statusCode)) return result;
	const message = `Several records match this ${externalIdField} value, so Salesforce cannot tell which one to update. Make the value unique (tick "Unique" on the field) or update by record ID. Salesforce said: ${first.message}`;
	return { ...result, errors: [{ ...first, message, fields: first.fields?.length ? first.fields : [externalIdField] }, ...rest] };
}
