// The registry is the one place that decides which resources show an operation: operation modules declare only
// their own parameters, and every operation a resource declares has a module and a label.
import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import * as addToCampaign from '../../nodes/Salesforce/actions/campaign/addToCampaign.operation';
import * as convert from '../../nodes/Salesforce/actions/lead/convert.operation';
import { nodeProperties, operationsByResource } from '../../nodes/Salesforce/actions/registry';
import { sobjectOperations } from '../../nodes/Salesforce/actions/sobject';
import { RESOURCES, sobjectOf } from '../../nodes/Salesforce/helpers/resources';

const modules = { ...sobjectOperations, addToCampaign, convert };

describe('resource registry', () => {
	it.each(Object.entries(modules))('%s declares no resource or operation of its own', (_name, module) => {
		for (const property of module.description) {
			expect(Object.keys(property.displayOptions?.show ?? {}), property.name).not.toContain('resource');
			expect(Object.keys(property.displayOptions?.show ?? {}), property.name).not.toContain('operation');
		}
	});

	it.each(RESOURCES.map((resource) => [resource.value, resource] as const))('%s: each operation has a module and a label', (value, resource) => {
		const offered = [...resource.sobjectOperations, ...resource.extraOperations].sort();
		expect(Object.keys(operationsByResource[value] ?? {})).toEqual(offered);
		const operationParameter = nodeProperties.find(
			(property): property is INodeProperties => property.name === 'operation' && property.displayOptions?.show?.resource?.[0] === value,
		);
		expect(operationParameter?.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(offered);
		for (const option of operationParameter?.options ?? []) expect(option.name, String('value' in option && option.value)).toBeTruthy();
		expect(sobjectOf(value)).toBe(resource.sobject.fixed);
	});

	it('shows each operation parameter exactly for the resources that offer the operation', () => {
		for (const property of nodeProperties.filter((property) => property.name !== 'resource' && property.name !== 'operation')) {
			const [operation] = property.displayOptions?.show?.operation as string[];
			const offering = RESOURCES.filter((resource) => operation in (operationsByResource[resource.value] ?? {})).map((resource) => resource.value);
			expect(property.displayOptions?.show?.resource, `${operation}: ${property.name}`).toEqual(offering);
		}
	});
});
