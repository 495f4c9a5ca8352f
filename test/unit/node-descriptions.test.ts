// The words both nodes show in the editor follow one convention (n8n's: sentence case for "Add …" placeholders,
// "Field Name or ID" / "Field Names or IDs" for lists loaded from Salesforce).
import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';
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
