// The scale layer's workload, shared by the test and the bench: production executions started the way users start
// them (webhooks), each carrying a batch of leads. Every workflow ends with a Set node that reads the input row of each
// output item through n8n's paired-item link (`$('Rows').item`): the response proves every item paired to its input.
import { randomUUID } from 'node:crypto';

import { NODE_TYPE, TRIGGER_TYPE, callWebhook, webhookWorkflow } from '../e2e/support.ts';

type Node = Parameters<typeof webhookWorkflow>[2][number];

export type Operation = 'create' | 'upsert' | 'update' | 'delete';
export const OPERATIONS: Operation[] = ['create', 'upsert', 'update', 'delete'];

/** A lead as the workload sends it; Id only for update and delete. */
export interface Row {
	External_Id__c: string;
	LastName?: string;
	Company?: string;
	Title?: string;
	Id?: string;
}

/** What each output item of a workload execution says: the input row's key (through pairedItem) and the result. */
export interface Result {
	key: string;
	Id: string;
	created?: boolean | null;
}

export const workflowId = (operation: Operation | 'find') => `scale${operation[0].toUpperCase()}${operation.slice(1)}`.padEnd(16, '0');
export const webhookPath = (operation: Operation | 'find') => `scale-${operation}`;

const rows: Node = { name: 'Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.rows', include: 'noOtherFields' } };
const recordId = { __rl: true, mode: 'id', value: '={{ $json.Id }}' };
const asJson = (expression: string) => ({ dataMode: 'json', recordJson: `={{ JSON.stringify(${expression}) }}` });
const NODES: Record<Operation, Record<string, unknown>> = {
	create: { resource: 'lead', operation: 'create', ...asJson('$json') },
	upsert: { resource: 'lead', operation: 'upsert', externalIdField: 'External_Id__c', ...asJson('$json') },
	update: { resource: 'lead', operation: 'update', recordId, ...asJson('{ Title: $json.Title }') },
	delete: { resource: 'lead', operation: 'delete', recordId },
};

const assignment = (name: string, value: string, type = 'string') => ({ id: name, name, value, type });
/** Each output item with the key of the input row n8n pairs it with. */
const paired = (extra: Array<ReturnType<typeof assignment>> = []): Node => ({
	name: 'Paired',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	parameters: {
		mode: 'manual',
		assignments: { assignments: [assignment('key', "={{ $('Rows').item.json.External_Id__c }}"), assignment('Id', '={{ $json.Id }}'), ...extra] },
		options: {},
	},
});

/** The webhook workflows of the four operations, and `find` (Get Many by External ID prefix, for reconciliation). */
export function workloadWorkflows(credentialId: string) {
	const credential = { id: credentialId };
	const node = (operation: Operation): Node => ({ name: 'Salesforce', type: NODE_TYPE, typeVersion: 2, parameters: NODES[operation] });
	const find: Node = {
		name: 'Find',
		type: NODE_TYPE,
		typeVersion: 2,
		parameters: {
			resource: 'lead',
			operation: 'getAll',
			queryMode: 'build',
			filterGroups: {
				groups: [{ combinator: 'AND', conditions: { condition: [{ field: 'External_Id__c', operator: 'like', value: "={{ $json.body.prefix + '%' }}" }] } }],
			},
			fieldSet: 'selected',
			fields: ['External_Id__c'],
			returnAll: true,
		},
	};
	return [
		...OPERATIONS.map((operation) =>
			webhookWorkflow(workflowId(operation), webhookPath(operation), [rows, node(operation), paired(operation === 'upsert' ? [assignment('created', '={{ $json.created }}', 'boolean')] : [])], credential),
		),
		webhookWorkflow(workflowId('find'), webhookPath('find'), [find], credential),
	];
}

/** The polling trigger on this run's leads, every minute, each poll's items posted at once to `sinkUrl`. */
export function triggerWorkflow(id: string, event: 'createdOrUpdated' | 'deleted', credentialId: string, sinkUrl: string) {
	return {
		id,
		name: `scale trigger ${event}`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					sobject: 'Lead',
					event,
					filters: { where: "External_Id__c LIKE 'scale-%'" },
					options: { fields: ['External_Id__c'], maxRecordsPerPoll: 100_000 },
				},
				credentials: { salesforceAppOAuth2Api: { id: credentialId, name: `Salesforce ${credentialId}` } },
			},
			{
				id: randomUUID(),
				name: 'Events',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					jsCode: 'return [{ json: { events: $input.all().map((item) => ({ Id: item.json.Id, key: item.json.External_Id__c, type: item.json.$event.type, at: item.json.$event.at })) } }];',
				},
			},
			{
				id: randomUUID(),
				name: 'Sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
				parameters: { method: 'POST', url: sinkUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}' },
			},
		],
		connections: { Trigger: { main: [[{ node: 'Events', type: 'main', index: 0 }]] }, Events: { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
	};
}

/** One execution's answer: the HTTP status, its results (when 200), how long it took. */
export interface Answer {
	status: number;
	results: Result[];
	ms: number;
	text: string;
}

/** Starts one production execution of `operation` on `batch` through its webhook; a timeout counts as status 0. */
export async function execute(n8nUrl: string, operation: Operation, batch: Row[], timeoutMs = 300_000): Promise<Answer> {
	const started = performance.now();
	const timeout = new Promise<Answer>((resolve) => {
		setTimeout(() => resolve({ status: 0, results: [], ms: performance.now() - started, text: `no answer within ${timeoutMs} ms` }), timeoutMs).unref();
	});
	const call = callWebhook(n8nUrl, webhookPath(operation), { rows: batch }).then(
		({ status, items, text }) => ({ status, results: status === 200 ? (items as unknown as Result[]) : [], ms: performance.now() - started, text }),
		(error: Error) => ({ status: 0, results: [], ms: performance.now() - started, text: error.message }),
	);
	return await Promise.race([call, timeout]);
}

/** The leads whose External ID starts with `prefix`, read through n8n (Get Many): Id and External ID. */
export async function findLeads(n8nUrl: string, prefix: string): Promise<Array<{ Id: string; External_Id__c: string }>> {
	const { status, items, text } = await callWebhook(n8nUrl, webhookPath('find'), { prefix });
	if (status !== 200) throw new Error(`find ${prefix}: HTTP ${status} ${text.slice(0, 500)}`);
	return items.filter((item) => item.Id) as Array<{ Id: string; External_Id__c: string }>;
}

/** The batches of a write phase: `executions` batches of `items` new leads, keys `scale-<execution>-<item>`. */
export function newLeads(executions: number, items: number, run = 'scale'): Row[][] {
	return Array.from({ length: executions }, (_, e) =>
		Array.from({ length: items }, (_, i) => ({
			External_Id__c: `${run}-${String(e).padStart(2, '0')}-${String(i).padStart(4, '0')}`,
			LastName: `Scale ${e}.${i}`,
			Company: `Scale Co ${e}`,
		})),
	);
}
