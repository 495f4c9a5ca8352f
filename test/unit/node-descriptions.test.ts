// The words both nodes show in the editor follow one convention (n8n's: sentence case for "Add …" placeholders,
// "Field Name or ID" / "Field Names or IDs" for lists loaded from Salesforce).
import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node';

type Property = INodeProperties | INodePropertyCollection;

function* walk(properties: readonly Property[]): Generator<Property> {
	for (const property of properties) {
		yield property;
		const children = 'values' in property ? property.values : 'options' in property ? property.options : undefined;
		if (Array.isArray(children)) yield* walk(children.filter((child): child is Property => typeof child === 'object' && 'displayName' in child));
	}
}

describe.each([
	['Salesforce CRM', new SalesforceCrm().description.properties],
	['Salesforce CRM Trigger', new SalesforceCrmTrigger().description.properties],
])('%s', (_, properties) => {
	const all = [...walk(properties)];

	it('writes collection placeholders in sentence case ("Add option")', () => {
		const placeholders = all
			.filter((property): property is INodeProperties => 'type' in property && (property.type === 'collection' || property.type === 'fixedCollection'))
			.map((property) => property.placeholder);
		expect(placeholders.length).toBeGreaterThan(0);
		for (const placeholder of placeholders) expect(placeholder).toMatch(/^Add [a-z][a-z ]*$/);
	});

	it('labels lists loaded from Salesforce that take IDs "… Name or ID" / "… Names or IDs"', () => {
		const loaded = all.filter(
			(property): property is INodeProperties => 'typeOptions' in property && Boolean(property.typeOptions?.loadOptionsMethod),
		);
		expect(loaded.length).toBeGreaterThan(0);
		const named = loaded.filter((property) => / or IDs?$/.test(property.displayName));
		expect(named.length).toBeGreaterThan(0);
		for (const property of named) {
			expect(property.displayName).toMatch(property.type === 'multiOptions' ? /^[A-Z][a-z]*( [A-Z][a-z]*)* Names or IDs$/ : / Name or ID$/);
			expect(property.displayName).not.toMatch(/^Fields Names/);
		}
	});
});

// itemParameter takes a mapped field (`{{ $json.Email }}`) from the item without n8n, which then neither validates
// nor extracts: that gives n8n's value only while no parameter declares a type to validate against and no ID mode
// of a record locator declares a pattern to extract the ID with (test/integration/field-references.test.ts).
describe('Salesforce CRM', () => {
	it('declares nothing n8n would validate or extract after evaluating a mapped field', () => {
		const all = [...walk(new SalesforceCrm().description.properties)];
		for (const property of all) {
			expect(property, property.displayName).not.toHaveProperty('validateType');
			const modes = 'modes' in property ? (property.modes ?? []) : [];
			for (const mode of modes.filter(({ name }) => name === 'id')) expect(mode, property.displayName).not.toHaveProperty('extractValue');
		}
		expect(all.some((property) => 'modes' in property && property.modes?.some(({ name }) => name === 'id'))).toBe(true);
	});
});

// Which value input the editor shows in a condition: n8n's own displayParameter on the typed builders' parameters.
const crmTyped = new SalesforceCrm().description.properties.find((property) => property.name === 'filterGroups' && JSON.stringify(property.displayOptions).includes('gte'));
const triggerFilters = new SalesforceCrmTrigger().description.properties.find((property) => property.name === 'filters');
describe.each([
	['Get Many (version 3)', (crmTyped?.options?.[0] as INodePropertyCollection).values.find((value) => value.name === 'conditions')],
	['the trigger (version 2)', (triggerFilters?.options as INodeProperties[]).filter((option) => option.name === 'conditions')[1]],
])('conditions of %s', (_, conditions) => {
	const inputs = (conditions!.options![0] as INodePropertyCollection).values.filter((property) => !['field', 'operator'].includes(property.name));
	const shown = (condition: Record<string, string>) =>
		inputs.filter((property) => NodeHelpers.displayParameter(condition, property, null, null)).map((property) => property.name);

	it('shows a dropdown, a multi-select, a toggle or a date input by the field type its list names', () => {
		expect(shown({ field: 'StageName|picklist', operator: 'equal' })).toEqual(['picklistValue']);
		expect(shown({ field: 'StageName|picklist', operator: 'notIn' })).toEqual(['picklistValues']);
		expect(shown({ field: 'Interests__c|multipicklist', operator: 'includes' })).toEqual(['picklistValues']);
		expect(shown({ field: 'IsActive|boolean', operator: 'notEqual' })).toEqual(['booleanValue']);
		expect(shown({ field: 'CloseDate|date', operator: 'lessThan', date: 'specific' })).toEqual(['date', 'dateValue']);
		expect(shown({ field: 'CreatedDate|datetime', operator: 'greaterOrEqual', date: 'LAST_N_DAYS' })).toEqual(['date', 'days']);
		expect(shown({ field: 'CreatedDate|datetime', operator: 'equal', date: 'TODAY' })).toEqual(['date']);
	});

	it('shows text for other fields and for fields given by expression, nothing for empty checks', () => {
		expect(shown({ field: 'LastName', operator: 'like' })).toEqual(['value']);
		expect(shown({ field: 'Owner.Name', operator: 'equal' })).toEqual(['value']);
		for (const field of ['LastName', 'StageName|picklist', 'IsActive|boolean', 'CloseDate|date']) {
			expect(shown({ field, operator: 'isNull', date: 'specific' })).toEqual([]);
		}
	});
});
