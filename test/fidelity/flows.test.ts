// Flows as a client reaches them. Follows "FlowDefinitionView" (Object Reference for the Salesforce Platform:
// queryable, read-only; IsActive = the latest version is the active one), "Flow Actions" (Actions Developer Guide:
// GET/POST /services/data/vXX.X/actions/custom/flow[/name], API 32.0+, Flow__InterviewStatus in every result),
// "Invoking Actions" (Actions Developer Guide: a JSON body whose inputs array holds one entry per invocation, one
// result per input with actionName, errors, isSuccess, outputValues), "Get Custom Invocable Actions" (REST API
// Developer Guide: with no active version the latest version runs) and "Start a Flow from REST API" (Salesforce
// Help: only autolaunched flows). The describe's shape follows the describe example of "Apex Actions" (Actions
// Developer Guide), the result's invocationId, sortOrder and version fields the example response of the Data Kit
// flow actions (Data Cloud docs). Not stated by these pages, and marked where asserted: the 400 status of an answer
// holding a failed input (reported by clients: sfdx-mass-action-scheduler issue #69), the statusCode and message of
// a missing input or an unhandled fault (as clients report them), the answer to an unknown flow name, and the limit
// of inputs per request.
import { describe, expect, it } from 'vitest';
import { API_VERSION, onConnectedEmulator } from './helpers.ts';
import { MAX_INPUTS_PER_REQUEST, UNHANDLED_FAULT } from '../emulator/rest/actions.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));

const FLOW_ACTIONS = `/services/data/v${API_VERSION}/actions/custom/flow`;

interface ActionResult {
	actionName: string;
	errors: Array<{ statusCode: string; message: string; fields: string[] }> | null;
	isSuccess: boolean;
	outputValues: Record<string, unknown> | null;
	invocationId: unknown;
	sortOrder: number;
	version: number;
}

/** A POST over plain HTTP: jsforce turns a 400 into an error and hides its status. */
async function invoke(name: string, body: unknown, version = API_VERSION): Promise<{ status: number; body: unknown }> {
	const response = await fetch(`${emulator.url}/services/data/v${version}/actions/custom/flow/${name}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: await response.json() };
}

const results = (answer: { body: unknown }) => answer.body as ActionResult[];
const jsforceFailure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error & { errorCode: string; data: unknown }) => error);

describe('FlowDefinitionView', () => {
	it('lists the flows with their type, trigger and versions; IsActive means the latest version is active', async () => {
		const { records } = await conn.query<Record<string, unknown>>(
			'SELECT ApiName, NamespacePrefix, Label, ProcessType, TriggerType, IsActive, ActiveVersionId, LatestVersionId, DurableId FROM FlowDefinitionView ORDER BY ApiName',
		);
		const byName = Object.fromEntries(records.map((r) => [r.ApiName, r]));
		expect(byName.Calculate_Discount).toMatchObject({ ProcessType: 'AutoLaunchedFlow', TriggerType: null, IsActive: true, NamespacePrefix: null });
		expect(byName.Normalize_Phone).toMatchObject({ NamespacePrefix: 'acme', IsActive: true });
		expect(byName.Legacy_Lead_Cleanup).toMatchObject({ ProcessType: 'AutoLaunchedFlow', IsActive: false, ActiveVersionId: null });
		expect(byName.Customer_Onboarding_Wizard).toMatchObject({ ProcessType: 'Flow', TriggerType: null });
		expect(byName.Opportunity_Won_Notification).toMatchObject({ ProcessType: 'AutoLaunchedFlow', TriggerType: 'RecordAfterSave' });
		for (const row of records) {
			expect(row.DurableId).toMatch(/^300[a-zA-Z0-9]{15}$/);
			expect(row.LatestVersionId).toMatch(/^301[a-zA-Z0-9]{15}$/);
			expect(row.IsActive).toBe(row.ActiveVersionId === row.LatestVersionId);
		}
	});

	it('filters on active versions and on trigger type like any SOQL', async () => {
		const { records } = await conn.query<{ ApiName: string }>(
			"SELECT ApiName FROM FlowDefinitionView WHERE ProcessType = 'AutoLaunchedFlow' AND TriggerType = null AND ActiveVersionId != null ORDER BY Label",
		);
		expect(records.map((r) => r.ApiName)).toEqual(['Calculate_Discount', 'Create_Follow_Up_Task', 'Normalize_Phone']);
	});

	it('is read-only and describes itself as such', async () => {
		const error = await jsforceFailure(conn.sobject('FlowDefinitionView').create({ ApiName: 'New_Flow' }));
		expect(error?.errorCode).toBe('INVALID_TYPE');
		const described = await conn.describe('FlowDefinitionView');
		expect(described).toMatchObject({ createable: false, updateable: false, deletable: false, queryable: true });
		const fields = Object.fromEntries(described.fields.map((f) => [f.name, f]));
		expect(fields.ApiName).toMatchObject({ type: 'string', createable: false });
		expect(fields.ProcessType.picklistValues?.map((p) => p.value)).toEqual(expect.arrayContaining(['AutoLaunchedFlow', 'Flow']));
		expect(fields.CreatedDate).toBeUndefined();
	});
});

describe('flow actions: list and describe', () => {
	it('lists the autolaunched flows without trigger, a packaged one under namespace__name', async () => {
		const { actions } = await conn.request<{ actions: Array<{ name: string; label: string; type: string; url: string }> }>(FLOW_ACTIONS);
		expect(actions.map((a) => a.name).sort()).toEqual(['Calculate_Discount', 'Create_Follow_Up_Task', 'Legacy_Lead_Cleanup', 'acme__Normalize_Phone']);
		expect(actions.find((a) => a.name === 'Calculate_Discount')).toEqual({
			label: 'Calculate Discount', name: 'Calculate_Discount', type: 'FLOW', url: `${FLOW_ACTIONS}/Calculate_Discount`,
		});
	});

	it("describes a flow's input and output variables", async () => {
		const described = await conn.request<Record<string, unknown> & { inputs: Array<Record<string, unknown>>; outputs: Array<Record<string, unknown>> }>(
			`${FLOW_ACTIONS}/Calculate_Discount`,
		);
		expect(described).toMatchObject({ name: 'Calculate_Discount', label: 'Calculate Discount', type: 'FLOW', standard: false });
		expect(described.inputs).toEqual([
			expect.objectContaining({ name: 'amount', type: 'DOUBLE', required: true }),
			expect.objectContaining({ name: 'customerTier', type: 'STRING', required: false }),
		]);
		expect(described.outputs.map((o) => o.name)).toEqual(['discountPercent', 'discount', 'finalAmount', 'approvalRequired', 'Flow__InterviewStatus']);
	});

	it('answers 404 NOT_FOUND for an unknown name, a screen flow and a record-triggered flow (wording not confirmed: errorCode only)', async () => {
		for (const name of ['No_Such_Flow', 'Customer_Onboarding_Wizard', 'Opportunity_Won_Notification']) {
			expect((await jsforceFailure(conn.request(`${FLOW_ACTIONS}/${name}`)))?.errorCode).toBe('NOT_FOUND');
			const answer = await invoke(name, { inputs: [{}] });
			expect(answer.status).toBe(404);
			expect((answer.body as Array<{ errorCode: string }>)[0].errorCode).toBe('NOT_FOUND');
		}
	});

	it('exists from API version 32.0 on', async () => {
		const older = await fetch(`${emulator.url}/services/data/v31.0/actions/custom/flow`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
		expect(older.status).toBe(404);
		const first = await fetch(`${emulator.url}/services/data/v32.0/actions/custom/flow`, { headers: { authorization: `Bearer ${conn.accessToken}` } });
		expect(first.status).toBe(200);
	});
});

describe('flow actions: invocation', () => {
	it('runs one interview per input and answers 200 with one result per input, in order', async () => {
		const answer = await invoke('Calculate_Discount', { inputs: [{ amount: 6000, customerTier: 'Gold' }, { amount: 500, customerTier: 'Silver' }, { amount: 80 }] });
		expect(answer.status).toBe(200);
		const [gold, silver, none] = results(answer);
		expect(gold).toMatchObject({ actionName: 'Calculate_Discount', errors: null, isSuccess: true, invocationId: null, sortOrder: -1, version: 1 });
		expect(gold.outputValues).toMatchObject({ discountPercent: 20, discount: 1200, finalAmount: 4800, approvalRequired: true, Flow__InterviewStatus: 'Finished' });
		expect(gold.outputValues!.Flow__InterviewGuid).toMatch(/^[0-9a-f]{34}-[0-9a-f]{4}$/);
		expect(silver.outputValues).toMatchObject({ discount: 50, finalAmount: 450, approvalRequired: false });
		expect(none.outputValues).toMatchObject({ discountPercent: 0, discount: 0, finalAmount: 80 });
	});

	it('reads a number input given as text, and refuses the request when a value cannot be read (wording is the emulator\'s)', async () => {
		expect(results(await invoke('Calculate_Discount', { inputs: [{ amount: '250.5' }] }))[0].outputValues).toMatchObject({ finalAmount: 250.5 });
		const answer = await invoke('Calculate_Discount', { inputs: [{ amount: 10 }, { amount: 'ten' }] });
		expect(answer.status).toBe(400);
		expect((answer.body as Array<{ errorCode: string }>)[0].errorCode).toBe('JSON_PARSER_ERROR');
	});

	it('runs a packaged flow by namespace__name', async () => {
		const [result] = results(await invoke('acme__Normalize_Phone', { inputs: [{ phone: '+33 (1) 23-45-67-89' }] }));
		expect(result).toMatchObject({ actionName: 'acme__Normalize_Phone', isSuccess: true, outputValues: expect.objectContaining({ e164: '+33123456789' }) });
	});

	it('runs the latest version of a flow without an active version', async () => {
		const answer = await invoke('Legacy_Lead_Cleanup', { inputs: [{}] });
		expect(answer.status).toBe(200);
		expect(results(answer)[0].outputValues).toMatchObject({ leadsCleaned: 0, Flow__InterviewStatus: 'Finished' });
	});

	it('creates records, and rolls back only the interview that faults (400 with every result; code and message as clients report them)', async () => {
		const [contact, lead] = [emulator.store.all('Contact')[0], emulator.store.all('Lead')[0]];
		const tasksBefore = emulator.store.all('Task').length;
		const answer = await invoke('Create_Follow_Up_Task', {
			inputs: [{ whoId: contact.Id, subject: 'Call back', daysUntilDue: 2 }, { whoId: '001000000000000AAA' }, { whoId: lead.Id }],
		});
		expect(answer.status).toBe(400);
		const [first, faulted, third] = results(answer);
		expect(faulted).toMatchObject({ isSuccess: false, outputValues: null, errors: [{ statusCode: 'UNKNOWN_EXCEPTION', message: UNHANDLED_FAULT, fields: [] }] });
		expect(first.isSuccess && third.isSuccess).toBe(true);
		const created = [first, third].map((r) => emulator.store.get('Task', r.outputValues!.taskId as string));
		expect(created[0]).toMatchObject({ WhoId: contact.Id, Subject: 'Call back', Status: 'Not Started' });
		expect(created[1]).toMatchObject({ WhoId: lead.Id, Subject: 'Follow up' });
		expect(emulator.store.all('Task').length).toBe(tasksBefore + 2);
	});

	it('fails an input that lacks a required variable; jsforce reports the 400 as MULTIPLE_API_ERRORS carrying the results', async () => {
		const error = await jsforceFailure(
			conn.request({ method: 'POST', url: `${FLOW_ACTIONS}/Calculate_Discount`, body: JSON.stringify({ inputs: [{ amount: 1 }, { customerTier: 'Gold' }] }) }),
		);
		expect(error?.errorCode).toBe('MULTIPLE_API_ERRORS');
		const [ok, missing] = error!.data as ActionResult[];
		expect(ok.isSuccess).toBe(true);
		expect(missing).toMatchObject({ isSuccess: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Missing required input parameter: amount' }] });
	});

	it(`takes at most ${MAX_INPUTS_PER_REQUEST} inputs per request (limit and code not confirmed by the documentation)`, async () => {
		const inputs = (n: number) => Array.from({ length: n }, (_, i) => ({ amount: i }));
		expect((await invoke('Calculate_Discount', { inputs: inputs(MAX_INPUTS_PER_REQUEST) })).status).toBe(200);
		const answer = await invoke('Calculate_Discount', { inputs: inputs(MAX_INPUTS_PER_REQUEST + 1) });
		expect(answer.status).toBe(400);
		expect((answer.body as Array<{ errorCode: string }>)[0].errorCode).toBe('LIMIT_EXCEEDED');
	});

	it('refuses a body without an inputs array (code and wording are the emulator\'s)', async () => {
		const answer = await invoke('Calculate_Discount', { amount: 5 });
		expect(answer.status).toBe(400);
		expect((answer.body as Array<{ errorCode: string }>)[0].errorCode).toBe('JSON_PARSER_ERROR');
	});
});
