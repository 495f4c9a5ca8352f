// The trigger in a real, long-running n8n: an active workflow polls the emulator every minute (n8n's minimum) and
// posts each emitted record to a sink in this test. Records written while n8n runs and while it is stopped all
// arrive exactly once, across a restart. Takes about three minutes of wall time (n8n polls once a minute).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import {
	TRIGGER_TYPE,
	appCredential,
	importCredentials,
	importWorkflows,
	packageHasNodes,
	preparedUserFolder,
	publishWorkflow,
	startN8n,
} from './support.ts';

const CREDENTIAL = 'e2eTriggerCred01';
const WORKFLOW = 'e2eTriggerContac';

let emulator: Emulator;
let folder: Awaited<ReturnType<typeof preparedUserFolder>>;
let n8n: Awaited<ReturnType<typeof startN8n>> | undefined;
let sink: Server;
const received: Array<{ Id: string; LastName: string }> = [];

function triggerWorkflow(sinkUrl: string) {
	return {
		id: WORKFLOW,
		name: 'e2e trigger on new contacts',
		nodes: [
			{
				id: '00000000-0000-4000-8000-0000000000a1',
				name: 'On New Contact',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, sobject: 'Contact', event: 'created' },
				credentials: { salesforceAppOAuth2Api: { id: CREDENTIAL, name: `Salesforce ${CREDENTIAL}` } },
			},
			{
				id: '00000000-0000-4000-8000-0000000000a2',
				name: 'Sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					method: 'POST',
					url: sinkUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ Id: $json.Id, LastName: $json.LastName }) }}',
				},
			},
		],
		connections: { 'On New Contact': { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
	};
}

const queries = () =>
	Object.entries(emulator.requests.counts().byRoute)
		.filter(([route]) => /query/i.test(route))
		.reduce((sum, [, n]) => sum + n, 0);

async function waitFor(what: string, condition: () => boolean, timeoutMs = 100_000) {
	const started = Date.now();
	while (!condition()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}\n${n8n?.logs().slice(-3000)}`);
		await new Promise((r) => setTimeout(r, 500));
	}
	return Date.now() - started;
}

describe.runIf(packageHasNodes)('Salesforce CRM Trigger in a running n8n', () => {
	beforeAll(async () => {
		sink = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				received.push(JSON.parse(body));
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
		});
		await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
		emulator = await startEmulator({ port: 0 });
		folder = await preparedUserFolder('n8n-e2e-trigger-');
		await importCredentials(folder.userFolder, [appCredential(CREDENTIAL, emulator.url)]);
		await importWorkflows(folder.userFolder, [triggerWorkflow(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/`)]);
		await publishWorkflow(folder.userFolder, WORKFLOW);
	}, 600_000);

	afterAll(async () => {
		await n8n?.stop();
		await emulator?.close();
		sink?.close();
		folder?.cleanup();
	});

	it('emits each new contact exactly once, including those created while n8n was stopped', async () => {
		n8n = await startN8n({ userFolder: folder.userFolder });
		await waitFor('the activation poll', () => queries() > 0, 60_000);
		expect(received).toEqual([]); // the first poll starts from now: existing contacts are not emitted

		const before = ['Turing', 'Hopper', 'Lamarr'].map((LastName) => emulator.store.insert('Contact', { LastName }));
		const firstWait = await waitFor('3 contacts', () => received.length >= 3);
		console.log(`trigger: 3 contacts delivered ${firstWait} ms after insert`);

		await n8n.stop();
		const during = ['Liskov', 'Hamilton'].map((LastName) => emulator.store.insert('Contact', { LastName }));
		n8n = await startN8n({ userFolder: folder.userFolder });
		const secondWait = await waitFor('5 contacts', () => received.length >= 5);
		console.log(`trigger: contacts created while stopped delivered ${secondWait} ms after restart`);

		const pollsSoFar = queries();
		await waitFor('one more poll', () => queries() > pollsSoFar, 75_000);
		await new Promise((r) => setTimeout(r, 3000)); // let that execution post to the sink
		const expected = [...before, ...during].map((c) => c.Id).sort();
		expect(received.map((r) => r.Id).sort()).toEqual(expected);
	});
});
