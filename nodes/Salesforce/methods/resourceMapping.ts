import type { FieldType, ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import { NUMBER_FIELD_TYPES } from '../helpers/numbers';
import { isRequiredOnCreate } from '../helpers/records';
import type { DescribeField, DescribeResult } from '../transport';
import { describeCurrentSObject } from './currentResource';

const TYPE_BY_SALESFORCE_TYPE: Record<string, FieldType> = {
	...Object.fromEntries(NUMBER_FIELD_TYPES.map((type) => [type, 'number'])),
	boolean: 'boolean',
	date: 'dateTime',
	datetime: 'dateTime',
	time: 'time',
	picklist: 'options',
};

/** One mapper column per writable field, typed from describe; picklists and record types become dropdowns. */
function toColumn(describe: DescribeResult, field: DescribeField, required: boolean): ResourceMapperField {
	const column: ResourceMapperField = {
		id: field.name,
		displayName: field.label === field.name ? field.name : `${field.label} (${field.name})`,
		required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
		type: TYPE_BY_SALESFORCE_TYPE[field.type] ?? 'string',
	};
	if (field.type === 'picklist') {
		column.options = (field.picklistValues ?? [])
			.filter((value) => value.active)
			.map((value) => ({ name: value.label, value: value.value }));
	}
	const recordTypes = (describe.recordTypeInfos ?? []).filter((recordType) => !recordType.master && recordType.available !== false);
	if (field.name === 'RecordTypeId' && recordTypes.length > 0) {
		column.type = 'options';
		column.options = recordTypes.map((recordType) => ({ name: recordType.name, value: recordType.recordTypeId }));
	}
	return column;
}

/** Required fields first, then by label. */
function sorted(columns: ResourceMapperField[]): ResourceMapperFields {
	return {
		fields: columns.sort((a, b) => Number(b.required) - Number(a.required) || a.displayName.localeCompare(b.displayName)),
	};
}

export async function getCreateFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const describe = await describeCurrentSObject(this);
	return sorted(describe.fields.filter((field) => field.createable).map((field) => toColumn(describe, field, isRequiredOnCreate(field))));
}

export async function getUpdateFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const describe = await describeCurrentSObject(this);
	return sorted(describe.fields.filter((field) => field.updateable).map((field) => toColumn(describe, field, false)));
}

/** Fields of an upsert: the external ID field is required (it picks the record); the rest is optional. */
export async function getUpsertFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const describe = await describeCurrentSObject(this);
	const externalIdField = String(this.getCurrentNodeParameter('externalIdField') ?? '').toLowerCase();
	return sorted(
		describe.fields
			.filter((field) => field.createable || field.updateable || field.name.toLowerCase() === externalIdField)
			.map((field) => toColumn(describe, field, field.name.toLowerCase() === externalIdField)),
	);
}
