// Shared set-up of the node-integration tests: an emulator, a harness with a client-credentials credential, and
// helpers that run the Salesforce CRM node with its parameters.
import type { IDataObject, INodeParameterResourceLocator, INodeParameters, ResourceMapperValue } from 'n8n-workflow';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { retryPolicy } from '../../nodes/Salesforce/transport';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { createHarness, type Harness, type OnError } from './harness';

export interface NodeFixture {
	emulator: Emulator;
	harness: Harness;
	nodeType: SalesforceCrm;
	run(parameters: INodeParameters, items?: IDataObject[], onError?: OnError): ReturnType<Harness['runNode']>;
	/** Runs the node and returns the json of its output items; fails the test on a node error. */
	json(parameters: INodeParameters, items?: IDataObject[]): Promise<IDataObject[]>;
	close(): Promise<void>;
}

export async function startNodeFixture(options: { latencyMs?: number } = {}): Promise<NodeFixture> {
	retryPolicy.baseDelayMs = 1;
	const emulator = await startEmulator({ port: 0, ...options });
	const harness = await createHarness(emulator);
	const nodeType = new SalesforceCrm();
	const run: NodeFixture['run'] = async (parameters, items, onError) =>
		await harness.runNode({ nodeType, parameters, items, onError });
	return {
		emulator,
		harness,
		nodeType,
		run,
		async json(parameters, items) {
			const result = await run(parameters, items);
			if (result.error) throw result.error;
			return result.items.map((item) => item.json);
		},
		close: async () => await emulator.close(),
	};
}

/** The resource mapper's value as the editor stores it, fields set below (an expression may give any JSON value). */
export const mapped = (value: IDataObject): ResourceMapperValue => ({
	mappingMode: 'defineBelow',
	value: value as ResourceMapperValue['value'],
	matchingColumns: [],
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

export const byId = (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'id', value });
export const byUrl = (value: string): INodeParameterResourceLocator => ({ __rl: true, mode: 'url', value });

/** Data-route API calls since the last reset (token calls excluded). */
export function dataCalls(emulator: Emulator): number {
	return emulator.requests.counts().data;
}
