// Invocable actions of type flow ("Flow Actions", Actions Developer Guide; "Get Custom Invocable Actions", REST API
// Developer Guide): the list of flow actions, one flow's describe, and its invocation with many inputs at once.
import { SalesforceError, notFound } from '../errors.ts';
import { actionNameOf, findInvocableFlow, interviewGuid, invocableFlows } from '../flows.ts';
import { availableSince, json, readJson, route } from '../http.ts';
import type { FlowDefinition, FlowValues, FlowVariable } from '../flows.ts';
import type { Reply, Request, Route } from '../http.ts';
import type { Org } from '../org.ts';

const FLOW_ACTIONS = '/services/data/v{version}/actions/custom/flow';
/** Flow actions exist from API version 32.0 ("Flow Actions"). */
const FLOW_ACTIONS_SINCE = 32;
/**
 * Inputs one invocation request takes. The documentation at hand does not state the limit; 200 is the batch size
 * Salesforce's own bulk paths use (a flow's bulkified interviews, sObject Collections), so a client that keeps to
 * it is accepted whatever the exact limit is.
 */
export const MAX_INPUTS_PER_REQUEST = 200;
/** The message of a fault no fault path handles (as clients of the REST API report it). */
export const UNHANDLED_FAULT = 'An unhandled fault has occurred in this flow';

export function actionRoutes(org: Org): Route[] {
	return availableSince(FLOW_ACTIONS_SINCE, [
		route('GET', FLOW_ACTIONS, 'data', (req) =>
			json(200, {
				actions: invocableFlows().map((flow) => ({ label: flow.label, name: actionNameOf(flow), type: 'FLOW', url: `${actionUrl(req)}/${actionNameOf(flow)}` })),
			})),
		route('GET', `${FLOW_ACTIONS}/{name}`, 'data', (req) => json(200, describeFlow(flowNamed(req.params.name)))),
		route('POST', `${FLOW_ACTIONS}/{name}`, 'data', (req) => invoke(org, req, flowNamed(req.params.name))),
	]);
}

const actionUrl = (req: Request) => `/services/data/v${req.version}/actions/custom/flow`;

/** Screen flows, record-triggered flows and unknown names are not flow actions: the REST API's 404. */
function flowNamed(name: string): FlowDefinition {
	const flow = findInvocableFlow(name);
	if (!flow) throw notFound();
	return flow;
}

/** The describe of an action, shaped like the example of "Apex Actions" (Actions Developer Guide). */
function describeFlow(flow: FlowDefinition) {
	const parameter = (variable: FlowVariable) => ({
		description: variable.description ?? null, label: variable.label, maxOccurs: 1, name: variable.name, picklistValues: null,
		sobjectType: null, type: variable.type,
	});
	return {
		description: flow.description,
		inputs: flow.inputs.map((input) => ({ ...parameter(input), byteLength: 0, required: input.required ?? false })),
		label: flow.label,
		name: actionNameOf(flow),
		outputs: [
			...flow.outputs.map(parameter),
			// "Flow Actions": every invocation returns Flow__InterviewStatus.
			{ ...parameter({ name: 'Flow__InterviewStatus', label: 'Flow Interview Status', type: 'STRING' }), type: 'PICKLIST' },
		],
		standard: false,
		targetEntityName: null,
		type: 'FLOW',
	};
}

interface ActionResult {
	actionName: string;
	errors: Array<{ statusCode: string; message: string; fields: string[] }> | null;
	invocationId: null;
	isSuccess: boolean;
	outputValues: FlowValues | null;
	sortOrder: number;
	version: number;
}

/**
 * One interview per input, each in its own transaction, results in input order ("Invoking Actions"). When an input
 * fails the answer is 400 with every input's result, as clients observe (sfdx-mass-action-scheduler issue #69).
 */
async function invoke(org: Org, req: Request, flow: FlowDefinition): Promise<Reply> {
	const { inputs } = readJson<{ inputs?: unknown }>(req) ?? {};
	if (!Array.isArray(inputs) || inputs.some((input) => !input || typeof input !== 'object' || Array.isArray(input))) {
		throw new SalesforceError('JSON_PARSER_ERROR', 'The request body must be an object whose inputs are an array of objects');
	}
	if (inputs.length > MAX_INPUTS_PER_REQUEST) {
		throw new SalesforceError('LIMIT_EXCEEDED', `Too many inputs: ${inputs.length}; an invocable action takes at most ${MAX_INPUTS_PER_REQUEST} per request`);
	}
	const typed = (inputs as FlowValues[]).map((input) => typedInputs(flow, input));
	const results: ActionResult[] = [];
	for (const input of typed) {
		const result: ActionResult = { actionName: actionNameOf(flow), errors: null, invocationId: null, isSuccess: true, outputValues: null, sortOrder: -1, version: 1 };
		const missing = flow.inputs.find((variable) => variable.required && input[variable.name] == null);
		if (missing) {
			results.push({ ...result, isSuccess: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: `Missing required input parameter: ${missing.name}`, fields: [] }] });
			continue;
		}
		try {
			const outputs = await org.store.atomically(() => flow.run(input, { store: org.store, userId: req.userId }));
			const declared = Object.fromEntries(flow.outputs.map((variable) => [variable.name, outputs[variable.name] ?? null]));
			results.push({ ...result, outputValues: { ...declared, Flow__InterviewGuid: interviewGuid(), Flow__InterviewStatus: 'Finished' } });
		} catch {
			results.push({ ...result, isSuccess: false, errors: [{ statusCode: 'UNKNOWN_EXCEPTION', message: UNHANDLED_FAULT, fields: [] }] });
		}
	}
	return json(results.every((r) => r.isSuccess) ? 200 : 400, results);
}

/**
 * The input's values as the flow's variables hold them: a number (or its text) for DOUBLE, a boolean (or true/false)
 * for BOOLEAN, text for STRING. Other keys are left out. A value that cannot be read so fails the whole request, as
 * the REST API's JSON reader does ("Cannot deserialize instance of …").
 */
function typedInputs(flow: FlowDefinition, input: FlowValues): FlowValues {
	const typed: FlowValues = {};
	for (const variable of flow.inputs) {
		const raw = input[variable.name];
		if (raw == null) continue;
		const unreadable = () =>
			new SalesforceError('JSON_PARSER_ERROR', `Cannot deserialize instance of ${variable.type.toLowerCase()} from ${typeof raw === 'object' ? 'START_OBJECT' : 'VALUE_STRING'} value ${JSON.stringify(raw)} or request may be missing a required field`);
		if (variable.type === 'DOUBLE') {
			const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
			if (!Number.isFinite(n)) throw unreadable();
			typed[variable.name] = n;
		} else if (variable.type === 'BOOLEAN') {
			if (typeof raw !== 'boolean' && raw !== 'true' && raw !== 'false') throw unreadable();
			typed[variable.name] = raw === true || raw === 'true';
		} else {
			if (typeof raw === 'object') throw unreadable();
			typed[variable.name] = String(raw);
		}
	}
	return typed;
}
