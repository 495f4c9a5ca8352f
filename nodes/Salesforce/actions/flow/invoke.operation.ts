import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FLOW_API_NAME_PATTERN, FLOW_PARAMETER } from '../../helpers/flows';
import { parseSalesforceNumber, type InvalidNumberError, type NumberFieldType } from '../../helpers/numbers';
import { quoteValue } from '../../helpers/text';
import { optionsCollection, timeoutOption } from '../../properties/options';
import { FLOW_INPUTS_PER_CALL, OutcomeUnknownError, SalesforceClient, type FlowDescribe, type FlowResult, type FlowVariable } from '../../transport';
import { ItemResults } from '../toolkit/batch';
import type { Noun } from '../toolkit/operations';
import { itemParameter } from '../toolkit/parameters';

/** Its parameters; the registry shows them for the resources that offer it. */
export const description: INodeProperties[] = [
	{
		displayName: 'Flow',
		name: FLOW_PARAMETER,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'An autolaunched flow: no screens, no trigger',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Type to search…',
				typeOptions: { searchListMethod: 'searchFlows', searchable: true },
			},
			{
				displayName: 'By API Name',
				name: 'name',
				type: 'string',
				placeholder: 'Calculate_Discount',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: FLOW_API_NAME_PATTERN,
							errorMessage: 'A flow API name has letters, digits and single underscores; a packaged flow is namespace__Name',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Specify Input Variables',
		name: 'inputMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Using Fields Below', value: 'keyValue', description: 'Name and value pairs; text is converted to the variable’s type' },
			{ name: 'Using JSON', value: 'json', description: 'A JSON object of variable names and values, sent as written' },
		],
		default: 'keyValue',
	},
	{
		displayName: 'Input Variables',
		name: 'inputVariables',
		type: 'fixedCollection',
		placeholder: 'Add input variable',
		typeOptions: { multipleValues: true },
		default: {},
		displayOptions: { show: { inputMode: ['keyValue'] } },
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{
						displayName: 'Variable Name or ID',
						name: 'name',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getFlowInputVariables', loadOptionsDependsOn: [`${FLOW_PARAMETER}.value`] },
						default: '',
						description:
							'An input variable of the flow ("Available for input"). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Numbers and true/false are converted for Number and Boolean variables',
					},
				],
			},
		],
	},
	{
		displayName: 'Input Variables (JSON)',
		name: 'inputJson',
		type: 'json',
		default: '{\n  "variableName": "value"\n}',
		description: 'Input variable names (case-sensitive) and their values',
		displayOptions: { show: { inputMode: ['json'] } },
	},
	optionsCollection([timeoutOption]),
];

export const label = (noun: Noun): Omit<INodePropertyOptions, 'value'> => ({
	name: 'Invoke',
	description: `Run an autolaunched ${noun.singular} with input variables and return its output variables`,
	action: `Invoke ${noun.one}`,
});

interface Invocation {
	itemIndex: number;
	inputs: IDataObject;
	/** Key/value pairs hold text that is converted to each variable's type; JSON is sent as written. */
	asText: boolean;
}

/**
 * Items are grouped by flow; each flow is described once (its input variables check the items' names and types),
 * then invoked with up to FLOW_INPUTS_PER_CALL items per call. Each item gets the flow's output variables and
 * `flowApiName`, or Salesforce's error for its interview.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const client = await SalesforceClient.for(this);
	const results = new ItemResults(this, items.length);
	const byFlow = new Map<string, Invocation[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const flow = flowOf(this, itemIndex);
			byFlow.set(flow, [...(byFlow.get(flow) ?? []), { itemIndex, ...inputsOf(this, itemIndex) }]);
		} catch (error) {
			results.failOrThrow(itemIndex, error);
		}
	}
	for (const [flow, invocations] of byFlow) await invokeMany(this, client, results, flow, invocations);
	return results.all;
}

const LOST_RUN_CHECK =
	'Salesforce may have run the flow for this item. Running the item again runs the flow again: first check what the flow does (the records it creates or changes).';

async function invokeMany(ctx: IExecuteFunctions, client: SalesforceClient, results: ItemResults, flow: string, invocations: Invocation[]) {
	let described: FlowDescribe;
	try {
		described = (await client.describeFlow(flow)) ?? unknownFlow(ctx, flow);
	} catch (error) {
		for (const { itemIndex } of invocations) results.failOrThrow(itemIndex, error);
		return;
	}
	const ready: Array<{ itemIndex: number; inputs: IDataObject }> = [];
	for (const invocation of invocations) {
		try {
			ready.push({ itemIndex: invocation.itemIndex, inputs: flowInputs(ctx, described, invocation) });
		} catch (error) {
			results.failOrThrow(invocation.itemIndex, error);
		}
	}
	for (let start = 0; start < ready.length; start += FLOW_INPUTS_PER_CALL) {
		const chunk = ready.slice(start, start + FLOW_INPUTS_PER_CALL);
		let answers: FlowResult[];
		try {
			answers = await client.invokeFlow(flow, chunk.map((entry) => entry.inputs));
		} catch (error) {
			const callError = error instanceof OutcomeUnknownError ? error.retold(client.node, `run of flow ${flow}`, LOST_RUN_CHECK) : error;
			for (const { itemIndex } of chunk) results.failOrThrow(itemIndex, callError);
			continue;
		}
		chunk.forEach(({ itemIndex }, position) => {
			const answer = answers[position];
			if (answer?.isSuccess) results.add(itemIndex, { flowApiName: flow, ...answer.outputValues });
			else results.failRecordOrThrow(itemIndex, { errors: answer?.errors ?? [] });
		});
	}
}

function unknownFlow(ctx: IExecuteFunctions, flow: string): never {
	throw new NodeOperationError(ctx.getNode(), `Flow: no autolaunched flow "${flow}" in this Salesforce org`, {
		description:
			'Pick the flow from the list, or check its API name in Setup → Process Automation → Flows (a flow from a managed package is namespace__Name). Only autolaunched flows without a trigger can be invoked: screen flows and record-triggered, scheduled or platform event flows cannot.',
	});
}

const flowApiName = new RegExp(FLOW_API_NAME_PATTERN);

function flowOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const flow = String(itemParameter(ctx, FLOW_PARAMETER, itemIndex, '', { extractValue: true }) ?? '').trim();
	if (flowApiName.test(flow)) return flow;
	throw new NodeOperationError(ctx.getNode(), flow ? `Flow: ${quoteValue(flow)} is not a flow API name` : 'Flow: no flow chosen', {
		itemIndex,
		description: 'Choose the flow from the list, or give its API name, such as Calculate_Discount (namespace__Name for a packaged flow).',
	});
}

function inputsOf(ctx: IExecuteFunctions, itemIndex: number): Omit<Invocation, 'itemIndex'> {
	const fail = (message: string, description: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	if (itemParameter(ctx, 'inputMode', itemIndex, 'keyValue') === 'json') {
		const raw = itemParameter(ctx, 'inputJson', itemIndex, '{}');
		const example = 'Write a JSON object of input variable names and values, such as {"amount": 1500, "customerTier": "Gold"}.';
		let inputs = raw;
		if (typeof raw === 'string') {
			try {
				inputs = raw.trim() ? JSON.parse(raw) : {};
			} catch (error) {
				throw fail(`Input Variables (JSON) is not valid JSON: ${(error as Error).message}`, example);
			}
		}
		if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) throw fail('Input Variables (JSON) must be a JSON object', example);
		return { inputs: inputs as IDataObject, asText: false };
	}
	const variables = itemParameter(ctx, 'inputVariables.variable', itemIndex, []) as Array<{ name?: unknown; value?: unknown }>;
	const inputs: IDataObject = {};
	for (const variable of variables) {
		const name = String(variable.name ?? '').trim();
		if (!name) throw fail('Input Variables: a variable has no name', 'Choose the variable from the list, or remove the empty entry.');
		if (name in inputs) throw fail(`Input Variables: "${name}" is set twice`, 'Keep one entry per input variable.');
		inputs[name] = variable.value as IDataObject[string];
	}
	return { inputs, asText: true };
}

/** The item's inputs checked against the flow's input variables (names are case-sensitive); text typed for number and boolean variables. */
function flowInputs(ctx: IExecuteFunctions, described: FlowDescribe, invocation: Invocation): IDataObject {
	const variables = new Map(described.inputs.map((variable) => [variable.name, variable]));
	const inputs: IDataObject = {};
	for (const [name, value] of Object.entries(invocation.inputs)) {
		const variable = variables.get(name);
		if (!variable) throw unknownVariable(ctx, described, name, invocation.itemIndex);
		inputs[name] = invocation.asText && typeof value === 'string' ? typedText(ctx, variable, value, invocation.itemIndex) : value;
	}
	return inputs;
}

function unknownVariable(ctx: IExecuteFunctions, described: FlowDescribe, name: string, itemIndex: number): NodeOperationError {
	const sameButCase = described.inputs.find((variable) => variable.name.toLowerCase() === name.toLowerCase());
	const known = described.inputs.map((variable) => `${variable.name} (${variable.type}${variable.required ? ', required' : ''})`);
	return new NodeOperationError(ctx.getNode(), `Flow ${described.name} has no input variable "${name}"`, {
		itemIndex,
		description: sameButCase
			? `Input variable names are case-sensitive: write "${sameButCase.name}".`
			: known.length
				? `Its input variables: ${known.join(', ')}.`
				: 'It has no input variables: remove them, or mark the variables "Available for input" in Flow Builder.',
	});
}

/** Describe's number types of invocable action variables, as the number parser reads them. */
const NUMBER_TYPES: Record<string, NumberFieldType> = { DOUBLE: 'double', DECIMAL: 'double', CURRENCY: 'currency', PERCENT: 'percent', NUMBER: 'double', INTEGER: 'int', INT: 'int', LONG: 'long' };

function typedText(ctx: IExecuteFunctions, variable: FlowVariable, text: string, itemIndex: number): string | number | boolean {
	const type = variable.type.toUpperCase();
	const numberType = NUMBER_TYPES[type];
	if (numberType) {
		try {
			return parseSalesforceNumber(text, variable.name, numberType);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `Input variable "${variable.name}" (${type}) needs a number, not ${quoteValue(text)}`, {
				itemIndex,
				description: (error as InvalidNumberError).accepted,
			});
		}
	}
	if (type === 'BOOLEAN') {
		if (/^(true|false)$/i.test(text.trim())) return text.trim().toLowerCase() === 'true';
		throw new NodeOperationError(ctx.getNode(), `Input variable "${variable.name}" (BOOLEAN) needs true or false, not ${quoteValue(text)}`, {
			itemIndex,
			description: 'Write true or false, or map a boolean with an expression.',
		});
	}
	return text;
}
