import type { INodePropertyOptions } from 'n8n-workflow';

import type { DescribeField, GlobalDescribeEntry } from '../transport';
import { conditionFieldOf, conditionFieldValue } from './conditions';

/** Options in the order the editor shows them: by name. */
export const byName = (a: INodePropertyOptions, b: INodePropertyOptions) => a.name.localeCompare(b.name);

type ListedField = Pick<DescribeField, 'name' | 'label' | 'type'>;

/** Fields as options of both nodes' field lists: `Label (ApiName)`, the type as description, sorted by label. */
export function fieldOptions(fields: ListedField[], valueOf: (field: ListedField) => string = (field) => field.name): INodePropertyOptions[] {
	return fields.map((field) => ({ name: `${field.label} (${field.name})`, value: valueOf(field), description: field.type })).sort(byName);
}

/** Fields of the typed condition builder: filterable ones, picklists, checkboxes and dates named with their type. */
export function conditionFieldOptions(fields: Array<ListedField & Pick<DescribeField, 'filterable'>>): INodePropertyOptions[] {
	return fieldOptions(fields.filter((field) => field.filterable !== false), conditionFieldValue);
}

/** The active values of the picklist a condition's field names (as the condition builder saves it), as options. */
export function picklistOptions(fields: DescribeField[], conditionField: unknown): INodePropertyOptions[] {
	const { name } = conditionFieldOf(conditionField);
	const field = fields.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
	return (field?.picklistValues ?? []).filter((value) => value.active).map((value) => ({ name: value.label, value: value.value }));
}

/** Objects of the global describe as options of both nodes' object lists: `Label (ApiName)`, sorted by label. */
export function objectOptions(objects: GlobalDescribeEntry[]): INodePropertyOptions[] {
	return objects.map((object) => ({ name: `${object.label} (${object.name})`, value: object.name })).sort(byName);
}
