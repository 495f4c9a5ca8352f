// The registry is the one place that decides which resources show an operation: operation modules declare only
// their own parameters, and every operation a resource declares has a module and a label.
import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { nodeProperties, operationsByResource } from '../../nodes/Salesforce/actions/registry';
import { RESOURCES, sobjectOf, type ResourceDeclaration } from '../../nodes/Salesforce/helpers/resources';

const modules = [...new Set(Object.values(operationsByResource).flatMap((operations) => Object.values(operations)))];
const declarations: readonly ResourceDeclaration[] = RESOURCES;
const operationParameterOf = (resource: string) =>
	nodeProperties.find((property): property is INodeProperties => property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === resource);

describe('resource registry', () => {
	it.each(modules.map((module, index) => [index, module] as const))('module %s declares no resource or operation of its own', (_index, module) => {
		for (const property of module!.description) {
			expect(Object.keys(property.displayOptions?.show ?? {}), property.name).not.toContain('resource');
			expect(Object.keys(property.displayOptions?.show ?? {}), property.name).not.toContain('operation');
		}
	});

	it.each(declarations.map((resource) => [resource.value, resource] as const))('%s: each operation has a module and a label', (value, resource) => {
		const offered = Object.keys(resource.operations).sort();
		expect(Object.keys(operationsByResource[value] ?? {})).toEqual(offered);
		const parameter = operationParameterOf(value);
		expect(parameter?.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(offered);
		for (const option of parameter?.options ?? []) {
			expect(option.name, String('value' in option && option.value)).toBeTruthy();
			expect('action' in option && option.action, String('value' in option && option.value)).toBeTruthy();
		}
		expect(offered).toContain(parameter?.default);
	});

	it('shows each operation parameter exactly for the resources whose operation its module serves', () => {
		for (const property of nodeProperties.filter((property) => !['resource', 'operation', 'sobject'].includes(property.name))) {
			const [operation] = property.displayOptions?.show?.operation as string[];
			const resources = property.displayOptions?.show?.resource as string[];
			const module = operationsByResource[resources[0]][operation];
			const serving = declarations.filter((resource) => operationsByResource[resource.value][operation] === module).map((resource) => resource.value);
			expect(resources, `${operation}: ${property.name}`).toEqual(serving);
		}
	});

	it('fixed resources work on their sObject; Any Object on the Object parameter; Search on none', () => {
		expect(sobjectOf('case', () => 'Lead')).toBe('Case');
		expect(sobjectOf('anyObject', () => 'Invoice__c')).toBe('Invoice__c');
		expect(sobjectOf('anyObject', () => ' Invoice__c ')).toBe('Invoice__c');
		expect(sobjectOf('search', () => 'Lead')).toBeUndefined();
		const objectParameter = nodeProperties.filter((property) => property.name === 'sobject');
		expect(objectParameter.map((property) => property.displayOptions?.show?.resource)).toEqual([['anyObject']]);
	});

	it('labels name the records with the right article and plural', () => {
		const actions = (resource: string) => operationParameterOf(resource)?.options?.map((option) => ('action' in option ? option.action : ''));
		expect(actions('opportunity')).toEqual(expect.arrayContaining(['Create an opportunity', 'Get many opportunities']));
		expect(actions('anyObject')).toEqual(expect.arrayContaining(['Create a record', 'Get many records']));
		expect(actions('case')).toEqual(expect.arrayContaining(['Add a comment to a case', 'Get many cases']));
	});
});
