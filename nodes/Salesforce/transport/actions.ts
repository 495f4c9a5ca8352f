import { errorCodeOf } from './errors';
import type { Requester, SaveResult } from './types';

/**
 * Inputs sent in one flow invocation. Salesforce's documentation at hand states no limit for invocable actions; 200
 * is the batch size of its own bulk paths (bulkified flow interviews, sObject Collections), safely within it.
 */
export const FLOW_INPUTS_PER_CALL = 200;

/** An input or output variable of a flow, as its invocable action's describe lists it. */
export interface FlowVariable {
	name: string;
	label: string;
	/** STRING, DOUBLE, BOOLEAN, DATE, … */
	type: string;
	required?: boolean;
	description?: string | null;
}

/** GET /actions/custom/flow/{name} ("Flow Actions", Actions Developer Guide). */
export interface FlowDescribe {
	name: string;
	label: string;
	inputs: FlowVariable[];
	outputs: FlowVariable[];
}

/** One input's result ("Invoking Actions"): its flow's output variables, or Salesforce's errors. */
export interface FlowResult {
	actionName: string;
	isSuccess: boolean;
	errors: SaveResult['errors'] | null;
	outputValues: Record<string, unknown> | null;
}

const flowActionPath = (apiName: string) => `/actions/custom/flow/${encodeURIComponent(apiName)}`;

/** The flow's describe; undefined when no invocable (autolaunched, untriggered) flow goes by that name. */
export async function describeFlow(requester: Requester, apiName: string): Promise<FlowDescribe | undefined> {
	const found = await requester.request<FlowDescribe | null>('GET', flowActionPath(apiName), undefined, undefined, {
		acceptError: (error) => (errorCodeOf(error) === 'NOT_FOUND' ? null : undefined),
	});
	return found ?? undefined;
}

/**
 * One invocation of the flow with up to FLOW_INPUTS_PER_CALL inputs: one interview per input, results in input order.
 * A lost answer is the transport's OutcomeUnknownError (the interviews may have run); it is never sent again.
 */
export async function invokeFlow(requester: Requester, apiName: string, inputs: Array<Record<string, unknown>>): Promise<FlowResult[]> {
	return await requester.request<FlowResult[]>('POST', flowActionPath(apiName), { inputs }, undefined, { acceptError: resultsOfFailedInputs });
}

/**
 * Salesforce answers 400 with every input's result when one input failed. jsforce reports that answer as
 * MULTIPLE_API_ERRORS with the results as its data, or, for a single input, as ERROR_HTTP_400 with the body as text.
 */
function resultsOfFailedInputs(error: unknown): FlowResult[] | undefined {
	const errorCode = errorCodeOf(error);
	const data = (error as { data?: unknown }).data;
	let body: unknown;
	if (errorCode === 'MULTIPLE_API_ERRORS') body = data;
	else if (errorCode === 'ERROR_HTTP_400') {
		try {
			body = JSON.parse(String((data as { message?: unknown } | undefined)?.message));
		} catch {
			return undefined;
		}
	}
	const isResult = (entry: unknown) => typeof (entry as FlowResult | null)?.isSuccess === 'boolean';
	return Array.isArray(body) && body.length > 0 && body.every(isResult) ? (body as FlowResult[]) : undefined;
}
