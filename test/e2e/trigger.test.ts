// The trigger in a real, long-running n8n: three active workflows (created, updated, deleted contacts) poll the
// emulator every minute and post each emitted record to a sink in this test. Records created, updated (through
// the emulator's /__emulator/records route) and deleted while n8n runs and while it is stopped all arrive exactly
// once, under the right event, across a restart. Takes about three minutes of wall time: n8n 2.41.1 refuses poll
// times under a minute ("The polling interval is too short", also for a custom cron with a seconds field), so
// the three events share the same poll minutes instead of adding their own.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
	TRIGGER_TYPE,
	appCredential,
	importCredentials,
	importWorkflows,
	preparedUserFolder,
	publishWorkflow,
	startN8n,
} from './support.ts';

const CREDENTIAL = 'e2eTriggerCred01';
const EVENTS = ['created', 'updated', 'deleted'] as const;
type Event = (typeof EVENTS)[number];
const WORKFLOWS: Record<Event, string> = { created: 'e2eTriggerContac', updated: 'e2eTriggerUpdate', deleted: 'e2eTriggerDelete' };

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let n8n: Awaited<ReturnType<typeof startN8n>> | undefined;
let sink: Server;
const received: Record<Event, Array<{ Id: string; LastName: string; event: string }>> = { created: [], updated: [], deleted: [] };

function triggerWorkflow(event: Event, n: number, sinkUrl: string) {
	return {
		id: WORKFLOWS[event],
		name: `e2e trigger on ${event} contacts`,
		nodes: [
			{
				id: `00000000-0000-4000-8000-0000000000${n}1`,
				name: 'On Contact',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, sobject: 'Contact', event },
				credentials: { salesforceAppOAuth2Api: { id: CREDENTIAL, name: `Salesforce ${CREDENTIAL}` } },
			},
			{
				id: `00000000-0000-4000-8000-0000000000${n}2`,
				name: 'Sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: `${sinkUrl}${event}`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ Id: $json.Id, LastName: $json.LastName, event: $json.$event.type }) }}',
				},
			},
		],
		connections: { 'On Contact': { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
	};
}

/** Calls of the query resources whose route ends in `resource` (`query`, `queryAll`), or of both. */
const queries = (resource = '') =>
	Object.entries(emulator.requests.counts().byRoute)
		.filter(([route]) => (resource ? route.endsWith(`/${resource}`) : /query/i.test(route)))
		.reduce((sum, [, n]) => sum + n, 0);

async function waitFor(what: string, condition: () => boolean, timeoutMs = 100_000) {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${n8n?.logs().slice(-3000)}`);
		await new Promise((r) => setTimeout(r, 500));
	}
	return Date.now() - started;
}

describe('Salesforce CRM Trigger in a running n8n', () => {
	beforeAll(async () => {
		sink = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				received[String(req.url).slice(1) as Event].push(JSON.parse(body));
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
		});
		await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
		emulator = await startEmulator({ port: 0 });
		folder = await preparedUserFolder('n8n-e2e-trigger-');
		await importCredentials(folder.userFolder, [appCredential(CREDENTIAL, emulator.url)]);
		const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
		await importWorkflows(folder.userFolder, EVENTS.map((event, n) => triggerWorkflow(event, n + 1, sinkUrl)));
		for (const event of EVENTS) await publishWorkflow(folder.userFolder, WORKFLOWS[event]);
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		sink?.close();
		folder?.cleanup();
	});

	it('emits each created, updated and deleted contact exactly once, including changes made while n8n was stopped', async () => {
		// Existing contacts (seeded before activation) to update and delete; each goes through the HTTP control API.
		const [a, b, c, d] = emulator.store.all('Contact').map((r) => r.Id as string);
		const control = (method: string, path: string, body?: unknown) =>
			fetch(`${emulator.url}/__emulator/records/Contact${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }).then((r) => {
				expect(r.ok).toBe(true);
			});
		const total = () => EVENTS.reduce((sum, e) => sum + received[e].length, 0);

		n8n = await startN8n({ userFolder: folder.userFolder });
		// A trigger's first poll makes two queries: the newest change (where it starts), then the changes after it. A
		// change made before a trigger's first poll is behind its start: wait for the created and updated triggers'
		// (query) and the deleted trigger's (queryAll).
		await waitFor('the first poll of every trigger', () => queries('query') >= 4 && queries('queryAll') >= 2, 60_000);
		expect(total()).toBe(0); // the first poll starts from now: nothing that happened before is emitted

		const before = ['Turing', 'Hopper', 'Lamarr'].map((LastName) => emulator.store.insert('Contact', { LastName }));
		await control('PATCH', `/${a}`, { Title: 'Updated while running' });
		await control('DELETE', `/${b}`);
		const firstWait = await waitFor('3 created, 1 updated, 1 deleted', () => received.created.length >= 3 && received.updated.length >= 1 && received.deleted.length >= 1);
		console.log(`trigger: changes delivered ${firstWait} ms after they were made`);

		await n8n.stop();
		const during = ['Liskov', 'Hamilton'].map((LastName) => emulator.store.insert('Contact', { LastName }));
		await control('PATCH', `/${c}`, { Title: 'Updated while stopped' });
		await control('DELETE', `/${d}`);
		n8n = await startN8n({ userFolder: folder.userFolder });
		const secondWait = await waitFor('5 created, 2 updated, 2 deleted', () => received.created.length >= 5 && received.updated.length >= 2 && received.deleted.length >= 2);
		console.log(`trigger: changes made while stopped delivered ${secondWait} ms after restart`);

		const pollsSoFar = queries();
		await waitFor('one more poll of every trigger', () => queries() >= pollsSoFar + EVENTS.length, 75_000);
		await new Promise((r) => setTimeout(r, 3000)); // let those executions post to the sink
		const ids = (event: Event) => received[event].map((r) => r.Id).sort();
		expect(ids('created')).toEqual([...before, ...during].map((r) => r.Id).sort());
		expect(ids('updated')).toEqual([a, c].sort());
		expect(ids('deleted')).toEqual([b, d].sort());
		for (const event of EVENTS) expect(received[event].every((r) => r.event === event)).toBe(true);
	});
});
