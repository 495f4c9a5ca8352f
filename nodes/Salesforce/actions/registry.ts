import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_RESOURCE, RESOURCES, type OperationGroup, type ResourceDeclaration } from '../helpers/resources';
import * as addToCampaign from './campaign/addToCampaign.operation';
import * as addComment from './case/addComment.operation';
import { fileOperations } from './file';
import { flowOperations } from './flow';
import * as convert from './lead/convert.operation';
import { searchOperations } from './search';
import { sobjectOperations } from './sobject';
import { sobjectParameter } from './toolkit/descriptions';
import { nounOf, operationParameter, type Operation } from './toolkit/operations';
import { labelOfParameter } from '../properties/canvas';

/** Each group's modules by Operation value (`actions/<group>/`). */
const GROUPS: Record<OperationGroup, Partial<Record<string, Operation>>> = {
	sobject: sobjectOperations,
	campaign: { addToCampaign },
	case: { addComment },
	file: fileOperations,
	flow: flowOperations,
	lead: { convert },
	search: searchOperations,
};

const declarations: readonly ResourceDeclaration[] = RESOURCES;

function moduleOf(group: OperationGroup, operation: string): Operation {
	const module = GROUPS[group][operation];
	if (!module) throw new Error(`actions/${group}/ has no module for the operation "${operation}"`);
	return module;
}

/** A resource's operations with their modules, in the order its Operation list shows them (alphabetical). */
function operationsOf(resource: ResourceDeclaration): Array<[string, Operation]> {
	return Object.entries(resource.operations)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([operation, group]) => [operation, moduleOf(group, operation)]);
}

/** The module that serves each resource's operation, for dispatch. */
export const operationsByResource: Record<string, Partial<Record<string, Operation>>> = Object.fromEntries(
	declarations.map((resource) => [resource.value, Object.fromEntries(operationsOf(resource))]),
);

/** Resources in the order the editor lists them: by label. */
const listedResources = [...declarations].sort((a, b) => a.label.localeCompare(b.label));

const resourceParameter: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: listedResources.map((resource) => ({ name: resource.label, value: resource.value })),
	default: DEFAULT_RESOURCE,
};

/** The Object parameter, shown for the resources whose sObject is chosen (Any Object). */
const chosenSObjectParameters: INodeProperties[] = updateDisplayOptions(
	{ show: { resource: declarations.filter((resource) => resource.sobject && 'chosen' in resource.sobject).map((resource) => resource.value) } },
	[sobjectParameter],
);

/** Each module's parameters once (in the order the listed resources first offer it), shown for the resources it serves. */
function operationParameters(): INodeProperties[] {
	const modules = new Map(listedResources.flatMap(operationsOf).map(([operation, module]) => [module, operation]));
	return [...modules].flatMap(([module, operation]) => {
		const resources = declarations.filter((resource) => operationsByResource[resource.value][operation] === module).map((resource) => resource.value);
		return updateDisplayOptions({ show: { resource: resources, operation: [operation] } }, module.description);
	});
}

/** The CRM node's parameters: Resource, each resource's Operation, the Object of Any Object, then the operations' own. */
export const nodeProperties: INodeProperties[] = [
	resourceParameter,
	...listedResources.map((resource) => operationParameter(resource.value, operationsOf(resource), nounOf(resource.noun ?? resource.label.toLowerCase()))),
	...chosenSObjectParameters,
	...operationParameters(),
];

/** Operation labels by value: the same value bears the same label in every resource. */
const operationLabels = new Map(declarations.flatMap(operationsOf).map(([operation, module]) => [operation, module.label(nounOf('record')).name]));

/** The canvas subtitle, "Get Many: Opportunity": the labels of the chosen operation and resource. */
export const nodeSubtitle = `={{ ${labelOfParameter('operation', [...operationLabels].map(([value, name]) => ({ value, name })))} + ": " + ${labelOfParameter('resource', resourceParameter.options as INodePropertyOptions[])} }}`;
