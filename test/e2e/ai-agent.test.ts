// Our node as an AI agent's tool (usableAsTool) in a real n8n: the AI Agent node with n8n's OpenAI Chat Model,
// pointed (credential Base URL) at a scripted OpenAI-compatible server on 127.0.0.1 instead of a real model. The script
// plays the model: it calls the tools with fixed arguments — create a lead (first without a last name), search it,
// update it (first with a custom field Lead lacks) — then answers. It records every request n8n sent: the tool schemas
// n8n derived from the `$fromAI()` parameters, and the tool results the agent saw. The AI Agent (v3) hands tool calls
// to the workflow engine, which runs each tool node as a node run of its own.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SalesforceCrm } from '../../nodes/Salesforce/SalesforceCrm.node';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { appCredential, executeWorkflow, importCredentials, importWorkflows, nodeOutput, preparedUserFolder } from './support.ts';

const SalesforceCrmDescription = new SalesforceCrm().description;
const CREDENTIAL = 'e2eAgentSfCred01';
const MODEL_CREDENTIAL = 'e2eAgentAiCred01';
const WORKFLOW = 'e2eAgentLeads001';
const TOOL_TYPE = 'n8n-nodes-salesforce.salesforceCrmTool';

const FINAL_ANSWER = 'Lovelace is in Salesforce as a lead, now Working - Contacted.';
const LEAD = { lastName: 'Lovelace', company: 'Analytical Engines Ltd', email: 'ada.agent@example.com' };

type Message = { role: string; content?: string | null; tool_call_id?: string; tool_calls?: unknown[] };
type ChatRequest = { model: string; messages: Message[]; tools?: Array<{ type: 'function'; function: { name: string; description: string; parameters: any } }> };
type ToolCall = { name: string; arguments: Record<string, unknown> };

/** The tool results the agent sent back so far: n8n sends each as JSON text, an array of the tool's items. */
const toolResults = (request: ChatRequest) => request.messages.filter((m) => m.role === 'tool').map((m) => String(m.content));

/**
 * The model's script: what it does after n tool results. It reads the lead's ID from the search result, as a model
 * would, and reacts to errors by correcting its input.
 */
function nextStep(request: ChatRequest): ToolCall | string {
	const results = toolResults(request);
	switch (results.length) {
		case 0:
			return { name: 'Create_Lead', arguments: { last_name: '', company: LEAD.company, email: LEAD.email } };
		case 1:
			return { name: 'Create_Lead', arguments: { last_name: LEAD.lastName, company: LEAD.company, email: LEAD.email } };
		case 2:
			return { name: 'Search_Leads', arguments: { email: LEAD.email } };
		case 3: {
			const [found] = JSON.parse(results[2]);
			return { name: 'Update_Lead', arguments: { lead_id: found.Id, fields: { Status: 'Working - Contacted', Rating__c: 'Hot' } } };
		}
		case 4: {
			const [found] = JSON.parse(results[2]);
			return { name: 'Update_Lead', arguments: { lead_id: found.Id, fields: { Status: 'Working - Contacted', Title: 'Countess', Rating: 'Hot' } } };
		}
		default:
			return FINAL_ANSWER;
	}
}

/** An OpenAI-compatible chat-completions endpoint playing `nextStep`, recording the requests. */
function scriptedModel() {
	const requests: ChatRequest[] = [];
	let calls = 0;
	const read = async (req: IncomingMessage) => {
		let body = '';
		for await (const chunk of req) body += chunk;
		return body;
	};
	const server: Server = createServer(async (req, res) => {
		const body = await read(req);
		if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
			res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
			return;
		}
		const request = JSON.parse(body) as ChatRequest;
		requests.push(request);
		let step: ToolCall | string;
		try {
			step = nextStep(request);
		} catch (error) {
			step = `script failed: ${(error as Error).message}`;
		}
		const message =
			typeof step === 'string'
				? { role: 'assistant', content: step }
				: {
						role: 'assistant',
						content: null,
						tool_calls: [{ id: `call_${++calls}`, type: 'function', function: { name: step.name, arguments: JSON.stringify(step.arguments) } }],
					};
		res.writeHead(200, { 'content-type': 'application/json' }).end(
			JSON.stringify({
				id: `chatcmpl-${requests.length}`,
				object: 'chat.completion',
				created: Math.floor(Date.now() / 1000),
				model: request.model,
				choices: [{ index: 0, message, finish_reason: typeof step === 'string' ? 'stop' : 'tool_calls' }],
				usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
			}),
		);
	});
	return {
		requests,
		listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`))),
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const fromAI = (key: string, description: string, type = 'string') => `={{ $fromAI('${key}', \`${description}\`, '${type}') }}`;
const credentials = { salesforceAppOAuth2Api: { id: CREDENTIAL, name: `Salesforce ${CREDENTIAL}` } };

let nodeCounter = 0;
const node = (name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	id: `00000000-0000-4000-9000-${String(++nodeCounter).padStart(12, '0')}`,
	name,
	type,
	typeVersion,
	position: [nodeCounter * 200, 0],
	parameters,
	...extra,
});

/** Manual trigger → AI Agent, with the OpenAI Chat Model and three Salesforce CRM tools (as the editor saves them). */
function agentWorkflow() {
	const tools = [
		node(
			'Create Lead',
			TOOL_TYPE,
			2,
			{
				resource: 'lead',
				operation: 'create',
				dataMode: 'mapper',
				columns: {
					mappingMode: 'defineBelow',
					value: {
						LastName: fromAI('last_name', "The person's last name"),
						Company: fromAI('company', 'The company the person works for'),
						Email: fromAI('email', "The person's email address"),
					},
					matchingColumns: [],
					schema: [],
					attemptToConvertTypes: false,
					convertFieldsToString: false,
				},
				options: {},
			},
			{ credentials },
		),
		node(
			'Search Leads',
			TOOL_TYPE,
			2,
			{
				resource: 'lead',
				operation: 'getAll',
				queryMode: 'build',
				filterGroups: { groups: [{ combinator: 'AND', conditions: { condition: [{ field: 'Email', operator: 'equal', value: fromAI('email', "The lead's email address") }] } }] },
				returnAll: false,
				limit: 10,
				options: {},
			},
			{ credentials },
		),
		node(
			'Update Lead',
			TOOL_TYPE,
			2,
			{
				resource: 'lead',
				operation: 'update',
				recordId: { __rl: true, mode: 'id', value: fromAI('lead_id', 'The ID of the lead to change') },
				dataMode: 'json',
				recordJson: `={{ JSON.stringify($fromAI('fields', \`The fields to change, by API name, e.g. {"Status": "Working - Contacted"}\`, 'json')) }}`,
				options: {},
			},
			{ credentials },
		),
	];
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3.1, {
			promptType: 'define',
			text: `Add ${LEAD.lastName} of ${LEAD.company} (${LEAD.email}) as a lead, then mark the lead as being contacted.`,
			options: {},
		}),
		node(
			'OpenAI Chat Model',
			'@n8n/n8n-nodes-langchain.lmChatOpenAi',
			1.2,
			{ model: { __rl: true, mode: 'id', value: 'scripted-model' }, options: {} },
			{ credentials: { openAiApi: { id: MODEL_CREDENTIAL, name: 'Scripted model' } } },
		),
		...tools,
	];
	return {
		id: WORKFLOW,
		name: 'e2e AI agent with Salesforce CRM tools',
		// The editor's setting for every new workflow. Imported without it (the legacy order, v0), the tools ran but every
		// tool result reached the model as "" in n8n 2.41.1.
		settings: { executionOrder: 'v1' },
		nodes,
		connections: {
			Start: { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': { ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]] },
			...Object.fromEntries(tools.map((tool) => [tool.name, { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] }])),
		},
	};
}

/** The action of the node's Lead operation, as the operation list declares it (n8n builds the tool's description from it). */
function leadAction(operation: string): string {
	const list = SalesforceCrmDescription.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('lead'));
	const option = (list?.options as Array<{ value: string; action?: string }>).find((o) => o.value === operation);
	if (!option?.action) throw new Error(`no action for lead:${operation}`);
	return option.action;
}

let emulator: Emulator;
let model: ReturnType<typeof scriptedModel>;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let result: Awaited<ReturnType<typeof executeWorkflow>>;

describe('Salesforce CRM as an AI agent tool in n8n', () => {
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0 });
		model = scriptedModel();
		const modelUrl = await model.listen();
		folder = await preparedUserFolder('n8n-e2e-agent-');
		await importCredentials(folder.userFolder, [
			appCredential(CREDENTIAL, emulator.url),
			{ id: MODEL_CREDENTIAL, name: 'Scripted model', type: 'openAiApi', data: { apiKey: 'sk-scripted', url: modelUrl } },
		]);
		await importWorkflows(folder.userFolder, [agentWorkflow()]);
		result = await executeWorkflow(folder.userFolder, WORKFLOW);
	}, 600_000);

	afterAll(async () => {
		await model?.close();
		await emulator?.close();
		folder?.cleanup();
	});

	it('the agent runs to its answer; the tool failures did not stop the execution', () => {
		expect(result.error, result.stdout).toBeUndefined();
		expect(nodeOutput(result.run, 'AI Agent')).toEqual([{ output: FINAL_ANSWER }]);
		expect(model.requests).toHaveLength(6); // five tool calls, then the answer
		const statuses = (name: string) => result.run.data.resultData.runData[name].map((task: { executionStatus: string }) => task.executionStatus);
		expect(statuses('Create Lead')).toEqual(['error', 'success']);
		expect(statuses('Search Leads')).toEqual(['success']);
		expect(statuses('Update Lead')).toEqual(['error', 'success']);
	});

	it('creates, finds and updates the lead in Salesforce', () => {
		const leads = emulator.store.all('Lead').filter((lead) => lead.Email === LEAD.email);
		expect(leads).toHaveLength(1); // the call without a last name wrote nothing
		expect(leads[0]).toMatchObject({ LastName: LEAD.lastName, Company: LEAD.company, Status: 'Working - Contacted', Title: 'Countess', Rating: 'Hot' });

		const [, created, found, , updated] = toolResults(model.requests.at(-1)!).map((text) => JSON.parse(text));
		expect(created).toEqual([{ Id: leads[0].Id, LastName: LEAD.lastName, Company: LEAD.company, Email: LEAD.email }]);
		expect(found).toEqual([expect.objectContaining({ Id: leads[0].Id, Email: LEAD.email, Status: 'Open - Not Contacted' })]);
		expect(updated).toEqual([{ Id: leads[0].Id, Status: 'Working - Contacted', Title: 'Countess', Rating: 'Hot' }]);
	});

	it('a missing last name comes back to the agent as text naming the field and the fix', () => {
		const [error] = JSON.parse(toolResults(model.requests.at(-1)!)[0]);
		expect(Object.keys(error)).toEqual(['error']);
		expect(error.error).toMatch(/^REQUIRED_FIELD_MISSING: Required fields are missing: \[LastName\]/);
		expect(error.error).toContain('Give LastName a value.');
	});

	it('an unknown field comes back to the agent as text naming the field, the one it means and the fields it can set', () => {
		const [error] = JSON.parse(toolResults(model.requests.at(-1)!)[3]);
		expect(error.error).toMatch(/^No field "Rating__c" on Lead/);
		expect(error.error).toContain('Did you mean Rating?');
		expect(error.error).toMatch(/this operation can set .*\bStatus\b/);
		expect(error.error).not.toMatch(/this operation can set .*\bIsConverted\b/); // read-only: not offered
	});

	it('the tool schemas n8n gives the model: our operations as descriptions, the $fromAI parameters with theirs', () => {
		const tools = Object.fromEntries((model.requests[0].tools ?? []).map(({ function: f }) => [f.name, f]));
		expect(Object.keys(tools).sort()).toEqual(['Create_Lead', 'Search_Leads', 'Update_Lead']);
		const expected = { Create_Lead: 'create', Search_Leads: 'getAll', Update_Lead: 'update' } as const;
		for (const [name, operation] of Object.entries(expected)) {
			expect(tools[name].description).toBe(`${leadAction(operation)} in Salesforce CRM`);
			expect(tools[name].description).toMatch(/^(Create|Get|Update|Find|Search)\b.* leads? in Salesforce CRM$/);
		}
		expect(tools.Create_Lead.parameters).toMatchObject({
			properties: {
				last_name: { type: 'string', description: "The person's last name" },
				company: { type: 'string', description: 'The company the person works for' },
				email: { type: 'string', description: "The person's email address" },
			},
			required: ['last_name', 'company', 'email'],
		});
		expect(tools.Search_Leads.parameters.properties).toEqual({ email: { type: 'string', description: "The lead's email address" } });
		expect(tools.Update_Lead.parameters.properties.lead_id).toEqual({ type: 'string', description: 'The ID of the lead to change' });
		expect(tools.Update_Lead.parameters.properties.fields.description).toContain('by API name');
	});
});
