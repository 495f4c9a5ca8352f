import type { IExecuteFunctions, IHookFunctions, ILoadOptionsFunctions, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from './http';

/** The n8n contexts a Salesforce client can be opened in. */
export type SalesforceContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | ITriggerFunctions;

/** The "Timeout" option (Options collection, seconds); Salesforce itself ends any REST call after 10 minutes. */
export const TIMEOUT_PARAMETER = 'options.timeout';
const MAX_TIMEOUT_SECONDS = 600;

export function timeoutSecondsOf(ctx: SalesforceContext): number {
	const value =
		'getInputData' in ctx
			? ctx.getNodeParameter(TIMEOUT_PARAMETER, 0, DEFAULT_TIMEOUT_SECONDS)
			: ctx.getNodeParameter(TIMEOUT_PARAMETER, DEFAULT_TIMEOUT_SECONDS);
	const seconds = Number(value);
	if (!(Number.isFinite(seconds) && seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS)) {
		throw new NodeOperationError(ctx.getNode(), `Timeout must be a number of seconds between 1 and ${MAX_TIMEOUT_SECONDS}, not ${String(value)}`, {
			description: `Set Options → Timeout to e.g. ${DEFAULT_TIMEOUT_SECONDS}.`,
		});
	}
	return seconds;
}
