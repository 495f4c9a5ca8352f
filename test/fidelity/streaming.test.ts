// Change Data Capture over the Streaming API, driven by jsforce 3.10.16's streaming client unmodified (faye, with
// jsforce's StreamingExtension.Replay and AuthFailure), and by plain HTTP where the client hides the wire. Follows the
// Change Data Capture Developer Guide ("Subscription Channels", "Change Event Message Structure", "ChangeEventHeader
// Fields", "Change Event Body Fields", "Get Compound Fields in Change Events", "Gap Events", "Overflow Events",
// "General Considerations") and the Streaming API Developer Guide ("Message Durability", "Clients and Timeouts",
// "Handling Streaming API Errors", "Streaming API Error Codes").
import { Connection } from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CDC_SELECTION, RETENTION_MS, startEmulator } from '../emulator/index.ts';
import { API_VERSION, connect } from './helpers.ts';
import type { ChangeEventData, Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;
type StreamingClient = ReturnType<Connection['streaming']['createClient']>;
const clients: StreamingClient[] = [];

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, clock: '2026-11-22T10:00:00Z' });
	conn = (await connect(emulator)).conn;
});
afterEach(() => {
	// faye's Client.disconnect(), which jsforce's typings of faye leave out.
	for (const client of clients.splice(0)) (client as StreamingClient & { disconnect(): void }).disconnect();
	emulator.faults.reset();
	emulator.cdc.select(DEFAULT_CDC_SELECTION);
});
afterAll(() => emulator.close());

interface Listener {
	received: ChangeEventData[];
	/** Resolves with the events received so far once there are at least `count`. */
	until(count: number): Promise<ChangeEventData[]>;
}

/** A jsforce streaming client subscribed to `channel` (with the replay extension when `replayId` is given). */
async function listen(channel: string, replayId?: number, on = conn): Promise<Listener> {
	const received: ChangeEventData[] = [];
	const extensions = replayId === undefined ? [] : [new StreamingExtension.Replay(channel, replayId)];
	const client = on.streaming.createClient(extensions);
	clients.push(client);
	await client.subscribe(channel, (data: ChangeEventData) => received.push(data));
	return { received, until: (count) => waitFor(() => (received.length >= count ? [...received] : undefined)) };
}

/** The error a subscription is refused with (faye's Error: code and message as Salesforce sent them). */
async function refusal(channel: string, replayId?: number): Promise<string> {
	const extensions = replayId === undefined ? [] : [new StreamingExtension.Replay(channel, replayId)];
	const client = conn.streaming.createClient(extensions);
	clients.push(client);
	try {
		await client.subscribe(channel, () => undefined);
	} catch (error) {
		const { code, message } = error as { code: number | null; message: string };
		return code === null ? message : `${code}::${message}`;
	}
	throw new Error(`subscribing to ${channel} succeeded`);
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

const header = (event: ChangeEventData) => event.payload.ChangeEventHeader;
const body = (event: ChangeEventData) => Object.fromEntries(Object.entries(event.payload).filter(([key]) => key !== 'ChangeEventHeader'));

describe('change events on a single-entity channel', () => {
	it('delivers a create, an update and a delete of a lead with their ChangeEventHeader and body', async () => {
		const leads = await listen('/data/LeadChangeEvent');
		const created = await conn.sobject('Lead').create({ FirstName: 'Ada', LastName: 'Lovelace', Company: 'Analytical Engines', City: 'London' });
		const id = (created as { id: string }).id;
		await conn.sobject('Lead').update({ Id: id, Title: 'Countess', Phone: null });
		await conn.sobject('Lead').destroy(id);
		const [create, update, remove] = await leads.until(3);
		const stored = emulator.store.get('Lead', id)!;
		// The Run As user of the client credentials token made the changes.
		const user = stored.CreatedById;

		// "Change Event Message Structure": schema, payload with ChangeEventHeader, event.replayId.
		expect(create.schema).toMatch(/^[\w-]{22}$/);
		expect(create.event.replayId).toBeLessThan(update.event.replayId);
		expect(update.event.replayId).toBeLessThan(remove.event.replayId);
		// "ChangeEventHeader Fields".
		expect(header(create)).toEqual({
			entityName: 'Lead', recordIds: [id], changeType: 'CREATE', changedFields: [], changeOrigin: `com/salesforce/api/rest/${API_VERSION}`,
			transactionKey: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/), sequenceNumber: 1,
			commitTimestamp: Date.parse(String(stored.CreatedDate).replace('+0000', 'Z')), commitNumber: expect.any(Number), commitUser: user,
		});
		expect(header(update).commitNumber).toBeGreaterThan(header(create).commitNumber);
		expect(header(update).transactionKey).not.toBe(header(create).transactionKey);
		// "Change Event Body Fields" (JSON): a new record's non-empty fields and system fields, Name and Address nested
		// ("Get Compound Fields in Change Events"), datetimes in ISO 8601 with milliseconds; no IsDeleted, SystemModstamp, Id.
		expect(body(create)).toEqual({
			Name: { FirstName: 'Ada', LastName: 'Lovelace' }, Company: 'Analytical Engines', Address: { City: 'London' },
			Status: 'Open - Not Contacted', HasOptedOutOfEmail: false, IsConverted: false, IsUnreadByOwner: false, OwnerId: user,
			CreatedDate: new Date(String(stored.CreatedDate).replace('+0000', 'Z')).toISOString(), CreatedById: user,
			LastModifiedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/), LastModifiedById: user,
		});
		// An update: only the changed fields (a cleared one as null; Phone was empty, so unchanged) and LastModifiedDate.
		expect(header(update)).toMatchObject({ changeType: 'UPDATE', recordIds: [id], changedFields: ['Title', 'LastModifiedDate'] });
		expect(body(update)).toEqual({ Title: 'Countess', LastModifiedDate: expect.any(String) });
		// A delete: the header only.
		expect(header(remove)).toMatchObject({ changeType: 'DELETE', recordIds: [id], changedFields: [] });
		expect(body(remove)).toEqual({});
	});

	it('names changed components of compound fields Compound.Component and nulls cleared fields', async () => {
		const contact = await conn.sobject('Contact').create({ LastName: 'Hopper', Email: 'grace@navy.example', MailingCity: 'Arlington' });
		const contacts = await listen('/data/ContactChangeEvent');
		await conn.sobject('Contact').update({ Id: (contact as { id: string }).id, LastName: 'Hopper-Murray', MailingCity: 'New York', Email: null });
		const [update] = await contacts.until(1);
		expect(header(update).changedFields).toEqual(['Name.LastName', 'Email', 'MailingAddress.City', 'LastModifiedDate']);
		expect(body(update)).toEqual({ Name: { LastName: 'Hopper-Murray' }, Email: null, MailingAddress: { City: 'New York' }, LastModifiedDate: expect.any(String) });
	});

	it('publishes a custom object on /data/<Name>__ChangeEvent once it is selected', async () => {
		expect(await refusal('/data/Project__ChangeEvent')).toBe('400::The channel you requested to subscribe to does not exist {/data/Project__ChangeEvent}');
		emulator.cdc.select([...DEFAULT_CDC_SELECTION, 'Project__c']);
		const projects = await listen('/data/Project__ChangeEvent');
		const created = await conn.sobject('Project__c').create({ Name: 'Difference Engine', Budget__c: 17000 });
		const [event] = await projects.until(1);
		expect(header(event)).toMatchObject({ entityName: 'Project__c', changeType: 'CREATE', recordIds: [(created as { id: string }).id] });
		expect(body(event)).toMatchObject({ Name: 'Difference Engine', Budget__c: 17000, Status__c: 'Planned' });
	});

	it('sends an undelete with the restored record\'s non-empty fields', async () => {
		const account = emulator.store.insert('Account', { Name: 'Babbage & Co', Industry: 'Machinery' });
		emulator.store.delete('Account', account.Id as string);
		const accounts = await listen('/data/AccountChangeEvent');
		emulator.store.undelete('Account', account.Id as string);
		const [event] = await accounts.until(1);
		// A change made outside any API call has an empty changeOrigin ("ChangeEventHeader Fields").
		expect(header(event)).toMatchObject({ changeType: 'UNDELETE', recordIds: [account.Id], changeOrigin: '' });
		expect(body(event)).toMatchObject({ Name: 'Babbage & Co', Industry: 'Machinery', CreatedDate: expect.any(String) });
	});
});

describe('/data/ChangeEvents', () => {
	it('carries the events of every selected object, and none of an object not selected', async () => {
		emulator.cdc.select(['Contact', 'Opportunity']);
		const all = await listen('/data/ChangeEvents');
		await conn.sobject('Lead').create({ LastName: 'Unselected', Company: 'Nobody' });
		const contact = await conn.sobject('Contact').create({ LastName: 'Selected' });
		await conn.sobject('Opportunity').create({ Name: 'Deal', StageName: 'Prospecting', CloseDate: '2026-12-31' });
		const events = await all.until(2);
		expect(events.map((e) => header(e).entityName)).toEqual(['Contact', 'Opportunity']);
		expect(header(events[0]).recordIds).toEqual([(contact as { id: string }).id]);
	});
});

describe('merged and multi-record events (sObject Collections)', () => {
	it('merges the same update of 200 leads into one event listing every record ID', async () => {
		const ids = (await conn.sobject('Lead').create(Array.from({ length: 200 }, (_, i) => ({ LastName: `Bulk ${i}`, Company: 'Merge Co' }))))
			.map((result) => (result as { id: string }).id);
		const leads = await listen('/data/LeadChangeEvent');
		await conn.sobject('Lead').update(ids.map((Id) => ({ Id, Rating: 'Hot' })), { allOrNone: true });
		await conn.sobject('Lead').destroy(ids);
		const [update, remove] = await leads.until(2);
		expect(header(update)).toMatchObject({ changeType: 'UPDATE', changedFields: ['Rating', 'LastModifiedDate'], sequenceNumber: 1 });
		expect(header(update).recordIds).toEqual(ids);
		expect(body(update)).toEqual({ Rating: 'Hot', LastModifiedDate: expect.any(String) });
		expect(header(remove)).toMatchObject({ changeType: 'DELETE' });
		expect(header(remove).recordIds).toEqual(ids);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(leads.received).toHaveLength(2);
	});

	it('gives each new record of one Collections call its own event, in one transaction with sequence numbers', async () => {
		const leads = await listen('/data/LeadChangeEvent');
		const results = await conn.sobject('Lead').create(['One', 'Two', 'Three'].map((LastName) => ({ LastName, Company: 'Txn Co' })));
		const events = await leads.until(3);
		expect(events.map((e) => header(e).recordIds)).toEqual(results.map((r) => [(r as { id: string }).id]));
		expect(events.map((e) => header(e).sequenceNumber)).toEqual([1, 2, 3]);
		expect(new Set(events.map((e) => header(e).transactionKey)).size).toBe(1);
		expect(new Set(events.map((e) => header(e).commitNumber)).size).toBe(1);
	});

	it('sends no event for records an all-or-none call rolled back', async () => {
		const leads = await listen('/data/LeadChangeEvent');
		await conn.sobject('Lead').create([{ LastName: 'Valid', Company: 'Rollback Co' }, { LastName: 'Invalid' }], { allOrNone: true });
		await conn.sobject('Lead').create({ LastName: 'After', Company: 'Rollback Co' });
		const [event] = await leads.until(1);
		expect(body(event)).toMatchObject({ Name: { LastName: 'After' } });
		expect(leads.received).toHaveLength(1);
	});
});

describe('transactions and change origins', () => {
	it('names the API, its version and the client of Sforce-Call-Options in changeOrigin', async () => {
		const token = (conn as unknown as { accessToken: string }).accessToken;
		const named = new Connection({ instanceUrl: emulator.url, accessToken: token, version: API_VERSION, callOptions: { client: 'n8n-nodes-salesforce' } });
		const leads = await listen('/data/LeadChangeEvent');
		await named.sobject('Lead').create({ LastName: 'Origin', Company: 'Origin Co' });
		const [event] = await leads.until(1);
		expect(header(event).changeOrigin).toBe(`com/salesforce/api/rest/${API_VERSION};client=n8n-nodes-salesforce`);
	});

	it('publishes a Bulk API 2.0 job in transactions of 200 records, each merging the same update', async () => {
		const ids = Array.from({ length: 250 }, (_, i) => emulator.store.insert('Lead', { LastName: `Bulk ${i}`, Company: 'Bulk Co' }).Id as string);
		const leads = await listen('/data/LeadChangeEvent');
		const input = ids.map((Id) => ({ Id, Rating: 'Warm', Description: 'bulk' }));
		await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'update', input, pollInterval: 10, pollTimeout: 60_000 });
		const [first, second] = await leads.until(2);
		expect([header(first).recordIds, header(second).recordIds]).toEqual([ids.slice(0, 200), ids.slice(200)]);
		expect(header(first)).toMatchObject({ changeType: 'UPDATE', changeOrigin: `com/salesforce/api/bulkapi/${API_VERSION}` });
		expect(header(first).transactionKey).not.toBe(header(second).transactionKey);
	});

	it('gives the changes of a lead conversion one transactionKey and consecutive sequence numbers', async () => {
		const lead = emulator.store.insert('Lead', { FirstName: 'Grace', LastName: 'Converted', Company: 'Conversion Co' });
		const all = await listen('/data/ChangeEvents');
		const result = await conn.soap.convertLead({ leadId: lead.Id as string, convertedStatus: 'Closed - Converted', opportunityName: 'Converted deal' });
		const events = await all.until(4);
		expect(events.map((e) => [header(e).entityName, header(e).changeType, header(e).sequenceNumber])).toEqual([
			['Account', 'CREATE', 1], ['Contact', 'CREATE', 2], ['Opportunity', 'CREATE', 3], ['Lead', 'UPDATE', 4],
		]);
		expect(new Set(events.map((e) => header(e).transactionKey)).size).toBe(1);
		expect(header(events[0]).changeOrigin).toBe(`com/salesforce/api/soap/${API_VERSION}`);
		expect(header(events[3]).changedFields).toEqual(expect.arrayContaining(['Status', 'IsConverted', 'ConvertedAccountId', 'ConvertedContactId', 'LastModifiedDate']));
		expect(body(events[3])).toMatchObject({ IsConverted: true, ConvertedAccountId: result.accountId, ConvertedOpportunityId: result.opportunityId });
	});
});

describe('gap and overflow events (injected)', () => {
	it('sends a gap event with the header only when the change event cannot be generated', async () => {
		const lead = emulator.store.insert('Lead', { LastName: 'Gap', Company: 'Gap Co' });
		const leads = await listen('/data/LeadChangeEvent');
		emulator.faults.injectGap({ entity: 'Lead' });
		await conn.sobject('Lead').update({ Id: lead.Id as string, Rating: 'Cold' });
		await conn.sobject('Lead').update({ Id: lead.Id as string, Rating: 'Warm' });
		const [gap, next] = await leads.until(2);
		expect(header(gap)).toMatchObject({ changeType: 'GAP_UPDATE', recordIds: [lead.Id], entityName: 'Lead', changedFields: [], sequenceNumber: 1 });
		expect(body(gap)).toEqual({});
		expect(header(next)).toMatchObject({ changeType: 'UPDATE', changedFields: ['Rating', 'LastModifiedDate'] });
	});

	it('sends one GAP_OVERFLOW event per object for the changes of a transaction beyond the threshold', async () => {
		emulator.faults.setOverflowThreshold(2);
		const leads = await listen('/data/LeadChangeEvent');
		await conn.sobject('Lead').create(Array.from({ length: 5 }, (_, i) => ({ LastName: `Overflow ${i}`, Company: 'Overflow Co' })));
		const events = await leads.until(3);
		expect(events.map((e) => header(e).changeType)).toEqual(['CREATE', 'CREATE', 'GAP_OVERFLOW']);
		expect(header(events[2])).toMatchObject({ entityName: 'Lead', recordIds: [] });
		expect(body(events[2])).toEqual({});
	});
});

describe('durability: the replay extension', () => {
	it('with -2 replays every retained event of the channel, then new ones', async () => {
		await conn.sobject('Contact').create([{ LastName: 'Retained 1' }, { LastName: 'Retained 2' }]);
		const before = emulator.cdc.events().filter((e) => e.entityName === 'Contact').map((e) => e.replayId);
		expect(before.length).toBeGreaterThanOrEqual(2);
		const contacts = await listen('/data/ContactChangeEvent', -2);
		await conn.sobject('Contact').create({ LastName: 'Newer' });
		const events = await contacts.until(before.length + 1);
		expect(events.map((e) => e.event.replayId).slice(0, before.length)).toEqual(before);
		expect(body(events[before.length])).toMatchObject({ Name: { LastName: 'Newer' } });
	});

	it('with -1 (or no replay extension) sends only events published after the subscription', async () => {
		const contacts = await listen('/data/ContactChangeEvent', -1);
		await conn.sobject('Contact').create({ LastName: 'Only New' });
		const [event] = await contacts.until(1);
		expect(body(event)).toMatchObject({ Name: { LastName: 'Only New' } });
	});

	it('with a replay ID resumes right after that event', async () => {
		const ids = await Promise.all(['R1', 'R2', 'R3'].map(async (LastName) => (await conn.sobject('Lead').create({ LastName, Company: 'Replay Co' }) as { id: string }).id));
		const leadEvents = emulator.cdc.events().filter((e) => e.entityName === 'Lead');
		const resumeAfter = leadEvents.find((e) => e.data.payload.ChangeEventHeader.recordIds[0] === ids[0])!.replayId;
		const leads = await listen('/data/LeadChangeEvent', resumeAfter);
		const expected = leadEvents.filter((e) => e.replayId > resumeAfter).map((e) => e.replayId);
		const events = await leads.until(expected.length);
		expect(events.map((e) => e.event.replayId)).toEqual(expected);
	});

	it('refuses a replay ID past the 72-hour retention with Salesforce\'s 400 error, and -2 starts at the oldest retained event', async () => {
		const lead = await conn.sobject('Lead').create({ LastName: 'Expiring', Company: 'Old Co' });
		const expired = emulator.cdc.events().find((e) => e.data.payload.ChangeEventHeader.recordIds[0] === (lead as { id: string }).id)!.replayId;
		emulator.clock.advance(RETENTION_MS + 60_000);
		expect(emulator.cdc.events()).toEqual([]);
		// "Streaming API Error Codes": 400 The replayId {replay_id} you provided was invalid. … (spacing as clients report it).
		expect(await refusal('/data/LeadChangeEvent', expired)).toBe(
			`400::The replayId {${expired}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
		);
		expect(await refusal('/data/LeadChangeEvent', expired + 1000)).toMatch(/^400::The replayId \{\d+\} you provided was invalid/);
		const leads = await listen('/data/LeadChangeEvent', -2);
		const newer = await conn.sobject('Lead').create({ LastName: 'Retained', Company: 'New Co' });
		const [first] = await leads.until(1);
		expect(header(first).recordIds).toEqual([(newer as { id: string }).id]);
	});
});

describe('subscription errors', () => {
	it('refuses a channel of an object not selected for Change Data Capture, and channel names in another case', async () => {
		emulator.cdc.select(['Lead']);
		// "Streaming API Error Codes": 400 The channel you requested to subscribe to does not exist {channel_name}.
		expect(await refusal('/data/ContactChangeEvent')).toBe('400::The channel you requested to subscribe to does not exist {/data/ContactChangeEvent}');
		expect(await refusal('/data/leadChangeEvent')).toBe('400::The channel you requested to subscribe to does not exist {/data/leadChangeEvent}');
		expect(await refusal('/data/NoSuchObjectChangeEvent')).toBe('400::The channel you requested to subscribe to does not exist {/data/NoSuchObjectChangeEvent}');
		expect(() => emulator.cdc.select(['Organization'])).toThrow(/no change event/);
	});
});

describe('sessions and authentication', () => {
	it('answers a waiting connect with 401::Authentication invalid once the token expires, and denies a new handshake', async () => {
		const own = (await connect(emulator)).conn;
		const failures: Array<Record<string, unknown>> = [];
		const client = own.streaming.createClient([new StreamingExtension.AuthFailure((message: Record<string, unknown>) => failures.push(message))]);
		clients.push(client);
		await client.subscribe('/data/LeadChangeEvent', () => undefined);
		await new Promise((resolve) => setTimeout(resolve, 100));
		emulator.faults.expireTokens();
		// "Handling Streaming API Errors": a Bayeux message on /meta/connect, error 401::Authentication invalid, reconnect none.
		const [connectFailure] = await waitFor(() => (failures.length ? failures : undefined));
		expect(connectFailure).toMatchObject({ channel: '/meta/connect', error: '401::Authentication invalid', successful: false, advice: { reconnect: 'none' } });

		const again = own.streaming.createClient([new StreamingExtension.AuthFailure((message: Record<string, unknown>) => failures.push(message))]);
		clients.push(again);
		void again.subscribe('/data/LeadChangeEvent', () => undefined);
		// A handshake with the invalid session: 403::Handshake denied, the reason nested in ext.
		const handshakeFailure = await waitFor(() => failures[1]);
		expect(handshakeFailure).toMatchObject({
			channel: '/meta/handshake', error: '403::Handshake denied', successful: false, advice: { reconnect: 'none' },
			ext: { sfdc: { failureReason: '401::Authentication invalid' } },
		});
		conn = (await connect(emulator)).conn;
	});

	it('lets a client whose session was lost handshake again and, with the replay extension, miss nothing', async () => {
		const leads = await listen('/data/LeadChangeEvent', -1);
		await conn.sobject('Lead').create({ LastName: 'Before Loss', Company: 'Session Co' });
		await leads.until(1);
		emulator.cdc.dropSessions();
		await conn.sobject('Lead').create({ LastName: 'During Loss', Company: 'Session Co' });
		const events = await leads.until(2);
		expect(events.map((e) => (body(e).Name as { LastName: string }).LastName)).toEqual(['Before Loss', 'During Loss']);
	});
});

describe('unsubscribing', () => {
	it('stops the channel\'s events for that client', async () => {
		const received: ChangeEventData[] = [];
		const client = conn.streaming.createClient([]);
		clients.push(client);
		const subscription = client.subscribe('/data/LeadChangeEvent', (data: ChangeEventData) => received.push(data));
		await subscription;
		await conn.sobject('Lead').create({ LastName: 'Subscribed', Company: 'Unsub Co' });
		await waitFor(() => (received.length === 1 ? true : undefined));
		subscription.cancel();
		await new Promise((resolve) => setTimeout(resolve, 100));
		await conn.sobject('Lead').create({ LastName: 'Unsubscribed', Company: 'Unsub Co' });
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(received).toHaveLength(1);
	});
});

describe('controls over HTTP (an emulator in its own process)', () => {
	it('selects objects, injects gap and overflow faults, undeletes, and lists retained events', async () => {
		const control = async (method: string, path: string, body?: unknown) => {
			const response = await fetch(`${emulator.url}/__emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
			return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
		};
		expect((await control('POST', '/cdc', { select: ['Lead', 'Project__c'] })).body).toMatchObject({ selected: ['Lead', 'Project__c'], timeouts: { connectMs: 110_000, reconnectMs: 40_000 } });
		expect(await control('POST', '/cdc', { select: ['Organization'] })).toMatchObject({ status: 400, body: { error: expect.stringMatching(/no change event/) } });
		expect(emulator.cdc.selected()).toEqual(['Lead', 'Project__c']);
		expect((await control('POST', '/faults', { gap: { entity: 'Lead' } })).status).toBe(204);
		const lead = (await control('POST', '/records/Lead', { LastName: 'Controlled', Company: 'Control Co' })).body as { Id: string };
		await control('DELETE', `/records/Lead/${lead.Id}`);
		expect((await control('POST', `/records/Lead/${lead.Id}/undelete`)).body).toMatchObject({ Id: lead.Id, IsDeleted: false });
		const events = (await control('GET', '/cdc/events')).body as Array<{ replayId: number; data: ChangeEventData }>;
		expect(events.slice(-3).map((e) => header(e.data).changeType)).toEqual(['GAP_CREATE', 'DELETE', 'UNDELETE']);
		expect((await control('GET', '/cdc')).body).toMatchObject({ latestReplayId: events.at(-1)!.replayId });
	});
});

describe('the Bayeux wire (plain HTTP)', () => {
	let token: string;
	beforeAll(async () => {
		token = (conn as unknown as { accessToken: string }).accessToken;
	});
	const post = async (messages: unknown, headers: Record<string, string> = {}, path = `/cometd/${API_VERSION}`) => {
		const response = await fetch(`${emulator.url}${path}`, {
			method: 'POST', headers: { 'content-type': 'application/json', authorization: `OAuth ${token}`, ...headers }, body: JSON.stringify(messages),
		});
		return { status: response.status, cookie: response.headers.get('set-cookie'), body: (await response.json()) as Array<Record<string, unknown>> };
	};
	const handshake = async (scheme = 'OAuth') => {
		const reply = await post([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }], { authorization: `${scheme} ${token}` });
		return { ...reply, clientId: reply.body[0].clientId as string, cookie: reply.cookie!.split(';')[0] };
	};

	it('handshakes with the replay extension and long-polling only, and binds the session to a BAYEUX_BROWSER cookie', async () => {
		const { status, body, cookie } = await handshake();
		expect(status).toBe(200);
		expect(body).toEqual([{
			ext: { replay: true, 'payload.format': true }, minimumVersion: '1.0', clientId: expect.stringMatching(/^[0-9a-z]+$/),
			supportedConnectionTypes: ['long-polling'], channel: '/meta/handshake', id: '1', version: '1.0', successful: true,
		}]);
		expect(cookie).toMatch(/^BAYEUX_BROWSER=/);
		expect((await handshake('Bearer')).body[0].successful).toBe(true);
	});

	it('answers the first connect at once with the advice (110 s long-poll), and holds the next one without blocking other calls', async () => {
		const { clientId, cookie } = await handshake();
		const first = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' }], { cookie });
		// "Clients and Timeouts": socket timeout 110 seconds.
		expect(first.body).toEqual([{ clientId, channel: '/meta/connect', id: '2', successful: true, advice: { interval: 0, timeout: 110_000, reconnect: 'retry' } }]);
		emulator.cdc.setTimeouts({ connectMs: 1500 });
		try {
			const started = Date.now();
			const held = post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3' }], { cookie });
			const query = await conn.query('SELECT Id FROM Lead LIMIT 1');
			expect(query.records).toHaveLength(1);
			expect(Date.now() - started).toBeLessThan(1000);
			const answer = await held;
			expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
			expect(answer.body).toEqual([{ clientId, channel: '/meta/connect', id: '3', successful: true, advice: { interval: 0, timeout: 1500, reconnect: 'retry' } }]);
		} finally {
			emulator.cdc.setTimeouts({ connectMs: 110_000 });
		}
	});

	it('forgets a client that does not reconnect within the reconnect timeout (403::Unknown client)', async () => {
		const { clientId, cookie } = await handshake();
		emulator.cdc.setTimeouts({ reconnectMs: 300 });
		try {
			await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' }], { cookie });
			await new Promise((resolve) => setTimeout(resolve, 900));
			const late = await post([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3' }], { cookie });
			expect(late.body[0]).toMatchObject({ error: '403::Unknown client', advice: { reconnect: 'handshake' } });
		} finally {
			emulator.cdc.setTimeouts({ reconnectMs: 40_000 });
		}
	});

	it('refuses requests without a token, unknown clients, and API versions before 37.0', async () => {
		const anonymous = await fetch(`${emulator.url}/cometd/${API_VERSION}`, { method: 'POST', body: '[{"channel":"/meta/handshake","id":"1"}]' });
		expect(anonymous.status).toBe(401);
		expect(await anonymous.json()).toEqual([{ error: '401::Request requires authentication', successful: false }]);
		// "Handling Streaming API Errors", 403 Unknown Client: reconnect advice handshake.
		const unknown = await post([{ channel: '/meta/connect', clientId: 'nosuchclient', connectionType: 'long-polling', id: '5' }]);
		expect(unknown.body).toEqual([{
			clientId: 'nosuchclient', channel: '/meta/connect', id: '5', error: '403::Unknown client', successful: false, advice: { reconnect: 'handshake', interval: 0 },
		}]);
		// "Streaming API Error Codes": the wording of the version errors is that page's; the transport (a Bayeux error
		// on HTTP 200) could not be confirmed, so only the 400 code is asserted.
		const old = await post([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }], {}, '/cometd/36.0');
		expect(old.body[0]).toMatchObject({ successful: false, error: expect.stringMatching(/^400::/) });
	});

	it('ends a waiting long-poll when the emulator closes', async () => {
		const own = await startEmulator({ port: 0 });
		const ownToken = (await connect(own)).conn.accessToken!;
		const call = (messages: unknown, cookie = '') => fetch(`${own.url}/cometd/${API_VERSION}`, {
			method: 'POST', headers: { authorization: `OAuth ${ownToken}`, cookie }, body: JSON.stringify(messages),
		});
		const shake = await call([{ channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' }]);
		const cookie = shake.headers.get('set-cookie')!.split(';')[0];
		const { clientId } = ((await shake.json()) as Array<{ clientId: string }>)[0];
		await call([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '2' }], cookie);
		let settled = false;
		const held = call([{ channel: '/meta/connect', clientId, connectionType: 'long-polling', id: '3' }], cookie).finally(() => (settled = true));
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(settled).toBe(false);
		const started = Date.now();
		await own.close();
		await held.catch(() => undefined);
		expect(Date.now() - started).toBeLessThan(2000);
	});
});
