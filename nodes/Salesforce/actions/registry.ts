import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_RESOURCE, RESOURCES, type ExtraOperation, type ResourceDeclaration, type SObjectOperation } from '../helpers/resources';
import * as addToCampaign from './campaign/addToCampaign.operation';
import * as convert from './lead/convert.operation';
import { sobjectOperations } from './sobject';
import { operationParameter, type Operation } from './toolkit/operations';

type OperationName = SObjectOperation | ExtraOperation;

const operationModules: Record<OperationName, Operation> = { ...sobjectOperations, addToCampaign, convert };

/** A resource's operation names in the order its Operation list shows them (alphabetical). */
function operationsOf(resource: ResourceDeclaration): OperationName[] {
	return [...resource.sobjectOperations, ...resource.extraOperations].sort();
}

/** The operation module that serves each resource's operation, for dispatch. */
export const operationsByResource: Record<string, Partial<Record<string, Operation>>> = Object.fromEntries(
	RESOURCES.map((resource) => [resource.value, Object.fromEntries(operationsOf(resource).map((name) => [name, operationModules[name]]))]),
);

/** Resources in the order the editor lists them: by label. */
const listedResources = [...RESOURCES].sort((a, b) => a.label.localeCompare(b.label));

const resourceParameter: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: listedResources.map((resource) => ({ name: resource.label, value: resource.value })),
	default: DEFAULT_RESOURCE,
};

/** Each operation's parameters once, shown for the resources that offer it. */
function operationParameters(): INodeProperties[] {
	const names = [...new Set(listedResources.flatMap(operationsOf))];
	return names.flatMap((name) => {
		const resources = RESOURCES.filter((resource) => operationsOf(resource).includes(name)).map((resource) => resource.value);
		return updateDisplayOptions({ show: { resource: resources, operation: [name] } }, operationModules[name].description);
	});
}

/** The CRM node's parameters: Resource, each resource's Operation, then the operations' own parameters. */
export const nodeProperties: INodeProperties[] = [
	resourceParameter,
	...listedResources.map((resource) => operationParameter(resource.value, operationsOf(resource))),
	...operationParameters(),
];
