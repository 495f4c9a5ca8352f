import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS } from '../transport';

/** The Options collection of an operation or of the trigger (read as `options.<name>`). */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, options };
}

/** Options → Timeout, read by the transport for every request of the execution or poll (transport/context.ts). */
export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 600 },
	default: DEFAULT_TIMEOUT_SECONDS,
	description:
		'How long to wait for each answer from Salesforce. A read that gets no answer in time fails; a write is reported with error code OUTCOME_UNKNOWN, as Salesforce may have saved it.',
};
