// The instant trigger at work: an active workflow's subscription (events → items → emissions, replay ID kept in static
// data) and Fetch Test Event (the next event, or the newest retained one).
import type { IDataObject, INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withoutAttributes } from '../helpers/records';
import { buildSelect, resolveField, SoqlError, type SelectQuery } from '../helpers/soql';
import { REPLAY_RETAINED, type ChangeStream, type SalesforceClient } from '../transport';
import { errorCodeOf } from '../transport/errors';
import { toIso } from '../trigger/cursor';
import { readableFields } from '../trigger/query';
import {
	eventItems,
	MalformedEventError,
	readChangeEvent,
	reconciledItems,
	recordIdsToRead,
	selectEvents,
	type ChangeEvent,
} from './events';
import { changedBetweenSelect, newestChangeSelect, recordsByIdSelects } from './query';
import {
	beginListening,
	forChannel,
	gapMessage,
	isFirstActivation,
	precedesListening,
	recordExpired,
	recordProcessed,
	replayFrom,
	type InstantMemory,
} from './replay';
import type { InstantSettings } from './settings';

/** Events handled in one emission at most: a burst becomes executions of this many events each. */
export const MAX_EVENTS_PER_EMISSION = 2000;
/** After resuming from the oldest retained event, how long the gap's end waits for that event before it is "now". */
export const GAP_SETTLE_MS = 5000;
/** Fetch Test Event: retained events arrive in a burst right after subscribing; this long without one ends it. */
const RETAINED_BURST_QUIET_MS = 1000;

const LOG_PREFIX = 'Salesforce CRM Instant Trigger:';

/** Reads the watched object's records: by ID, or changed in a time span. Field list from describe, renewed on INVALID_FIELD. */
class RecordReader {
	private fields: string[] | undefined;

	constructor(
		private readonly client: SalesforceClient,
		private readonly settings: InstantSettings,
	) {}

	/** Checks the field filters against describe (canonical spelling, or an error naming the field and the fix). */
	async checkFieldChanges(): Promise<void> {
		const { fields } = await this.client.describe(this.settings.sobject);
		for (const change of this.settings.fieldChanges) change.field = resolveField(fields, change.field, this.settings.sobject).name;
	}

	async byIds(ids: string[]): Promise<Map<string, IDataObject | null>> {
		const found = new Map<string, IDataObject | null>(ids.map((id) => [id, null]));
		if (ids.length === 0) return found;
		const records = await this.read((fields) => recordsByIdSelects(this.settings.sobject, fields, ids));
		for (const record of records) {
			const id = String(record.Id);
			// A 15-character ID in an event reads as its 18-character form.
			found.set(found.has(id) ? id : (ids.find((candidate) => id.startsWith(candidate)) ?? id), record);
		}
		return found;
	}

	changedBetween(from: number, until?: number): Promise<IDataObject[]> {
		return this.read((fields) => [changedBetweenSelect(this.settings.sobject, fields, from, until)]);
	}

	/** The object's newest SystemModstamp (ms; 0 without records): Salesforce's "now" as far as this object tells. */
	async newestChange(): Promise<number> {
		const select = newestChangeSelect(this.settings.sobject);
		const { records } = await this.client.query(buildSelect(select), { select, includeDeleted: true });
		return records[0] ? Date.parse(toIso(records[0].SystemModstamp)) : 0;
	}

	/** Every page of these selects (deleted records included); once more with a fresh describe after INVALID_FIELD. */
	private async read(selects: (fields: string[]) => SelectQuery[], retried = false): Promise<IDataObject[]> {
		this.fields ??= readableFields((await this.client.describe(this.settings.sobject)).fields);
		try {
			const pages = await Promise.all(
				selects(this.fields).map((select) => this.client.queryAllPages(buildSelect(select), { select, includeDeleted: true })),
			);
			return pages.flat().map(withoutAttributes);
		} catch (error) {
			if (retried || errorCodeOf(error) !== 'INVALID_FIELD') throw this.client.error(error);
			this.fields = undefined;
			return await this.read(selects, true);
		}
	}
}

/** A failure as the user sees it: a parameter's own message, or the client's reading of a Salesforce error. */
function asNodeError(client: SalesforceClient, error: unknown): Error {
	if (error instanceof SoqlError) return new NodeOperationError(client.node, error.message, { description: 'Check the parameters of the trigger.' });
	return client.error(error);
}

const toExecutionData = (items: IDataObject[]): INodeExecutionData[] => items.map((json) => ({ json }));

/**
 * An active workflow's trigger: subscribes from the replay ID in static data, turns the events that arrive together
 * into one emission (in order, one at a time), and records each processed event's replay ID before emitting, so that
 * n8n saves it with the emission.
 */
export class LiveTrigger {
	private readonly stream: ChangeStream;
	private readonly records: RecordReader;
	private pending: ChangeEvent[] = [];
	private drainScheduled = false;
	private work: Promise<void> = Promise.resolve();
	private settleTimer: NodeJS.Timeout | undefined;
	private closed = false;
	/** The coming subscription is the first one of a first activation. */
	private fresh = false;
	/** The subscription replays retained events to find those since listening began (no event processed yet). */
	private replayingSinceListening = false;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly client: SalesforceClient,
		private readonly settings: InstantSettings,
		private readonly memory: InstantMemory,
	) {
		this.records = new RecordReader(client, settings);
		this.stream = client.changeStream(settings.channel, settings.sobject, {
			replayFrom: () => {
				const from = replayFrom(memory, this.fresh);
				this.fresh = false;
				this.replayingSinceListening = from === REPLAY_RETAINED && memory.listeningSince !== undefined;
				return from;
			},
			onEvent: (data) => this.receive(data),
			onSubscribed: () => this.awaitGapEnd(),
			onReplayIdExpired: (replayId) => this.onReplayIdExpired(replayId),
			onFatal: (error) => this.fail(error),
			log: (message) => ctx.logger.info(`${LOG_PREFIX} ${message}`),
		});
	}

	/** Resolves once subscribed; a setup mistake (or no answer within the Timeout) fails it. */
	async start(): Promise<void> {
		await this.records.checkFieldChanges();
		forChannel(this.memory, this.settings.channel);
		if (isFirstActivation(this.memory)) {
			const { startWith } = this.settings;
			beginListening(this.memory, startWith, startWith === 'new' ? await this.records.newestChange() : 0);
			this.fresh = true;
		}
		await this.stream.start(this.settings.timeoutMs);
	}

	/** Deactivation: unsubscribe and disconnect; events not yet emitted come again on the next activation. */
	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.settleTimer);
		await this.stream.close();
	}

	private receive(data: unknown) {
		try {
			this.pending.push(readChangeEvent(data));
		} catch (error) {
			this.ctx.logger.warn(`${LOG_PREFIX} skipped ${(error as MalformedEventError).message}`);
			return;
		}
		// Events of one answer arrive one after the other in the same tick: they become one emission.
		if (this.drainScheduled) return;
		this.drainScheduled = true;
		setImmediate(() => {
			this.drainScheduled = false;
			this.enqueue(() => this.drain());
		});
	}

	/** Runs `task` after the ones before it; a failure stops the trigger (n8n reports it and activates it again later). */
	private enqueue(task: () => Promise<void>) {
		this.work = this.work.then(async () => {
			if (!this.closed) await task();
		}).catch((error: unknown) => this.fail(asNodeError(this.client, error)));
	}

	private async drain() {
		while (this.pending.length > 0 && !this.closed) await this.process(this.pending.splice(0, MAX_EVENTS_PER_EMISSION));
	}

	private async process(batch: ChangeEvent[]) {
		const events = this.replayingSinceListening ? batch.filter((event) => !precedesListening(this.memory, event)) : batch;
		const reconciled = events.length > 0 ? await this.reconcileGap(events[0].commitTimestamp) : [];
		const selected = selectEvents(events, this.settings);
		const records = await this.records.byIds(recordIdsToRead(selected, this.settings));
		const items = [...reconciled, ...selected.flatMap((event) => eventItems(event, this.settings, records))];
		recordProcessed(this.memory, batch[batch.length - 1]);
		if (items.length > 0) this.emit(items);
	}

	/** The records changed during a replay gap until `until` (the first retained event; none: until now), once. */
	private async reconcileGap(until?: number): Promise<IDataObject[]> {
		const gap = this.memory.gap;
		if (gap?.after === undefined) return [];
		clearTimeout(this.settleTimer);
		const records = await this.records.changedBetween(gap.after, until);
		delete this.memory.gap;
		return reconciledItems(records, this.settings.sobject, this.settings.fieldChanges);
	}

	/**
	 * Resubscribed after a gap to reconcile: if no retained event comes to end it, Salesforce retains nothing since, and
	 * the records changed since the gap began are read (a change made meanwhile may also come as an event).
	 */
	private awaitGapEnd() {
		if (!this.memory.gap || this.settleTimer) return;
		this.settleTimer = setTimeout(() => {
			this.enqueue(async () => {
				const items = await this.reconcileGap();
				if (items.length > 0) this.emit(items);
			});
		}, GAP_SETTLE_MS);
	}

	private onReplayIdExpired(replayId: number) {
		const gap = recordExpired(this.memory, replayId, this.settings.reconcile);
		const warning: IDataObject = {
			$event: {
				type: 'replayGap',
				object: this.settings.sobject,
				replayId,
				lastCommitTimestamp: gap.after === undefined ? null : new Date(gap.after).toISOString(),
			},
			message: gapMessage(gap, this.settings.sobject, this.settings.reconcile),
		};
		this.ctx.logger.warn(`${LOG_PREFIX} ${String(warning.message)}`);
		this.enqueue(async () => this.emit([warning]));
	}

	/** n8n starts an execution and saves static data (the replay ID recorded before) with it. */
	private emit(items: IDataObject[]) {
		this.ctx.emit([toExecutionData(items)]);
	}

	private fail(error: Error) {
		if (this.closed) return;
		this.closed = true;
		clearTimeout(this.settleTimer);
		void this.stream.close();
		this.ctx.emitError(error);
	}
}

/**
 * Fetch Test Event: subscribes from the oldest retained event; the first matching event that arrives after the retained
 * ones is the test event, or, when none comes within the wait, the newest matching retained one. Static data is left alone.
 */
export class TestEventListener {
	private readonly records: RecordReader;
	private stream: ChangeStream | undefined;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly client: SalesforceClient,
		private readonly settings: InstantSettings,
	) {
		this.records = new RecordReader(client, settings);
	}

	async fetch(): Promise<INodeExecutionData[]> {
		await this.records.checkFieldChanges();
		const event = await this.waitForEvent();
		const records = await this.records.byIds(recordIdsToRead([event], this.settings));
		return toExecutionData(eventItems(event, this.settings, records));
	}

	async close(): Promise<void> {
		await this.stream?.close();
	}

	private async waitForEvent(): Promise<ChangeEvent> {
		const { settings } = this;
		let newestRetained: ChangeEvent | undefined;
		let retainedBurst = true;
		let quietTimer: NodeJS.Timeout | undefined;
		let deadline: NodeJS.Timeout | undefined;
		const burstGoesOn = () => {
			clearTimeout(quietTimer);
			quietTimer = setTimeout(() => (retainedBurst = false), RETAINED_BURST_QUIET_MS);
		};
		try {
			return await new Promise<ChangeEvent>((resolve, reject) => {
				this.stream = this.client.changeStream(settings.channel, settings.sobject, {
					replayFrom: () => REPLAY_RETAINED,
					onEvent: (data) => {
						let event: ChangeEvent;
						try {
							event = readChangeEvent(data);
						} catch {
							return;
						}
						const selected = selectEvents([event], settings).length > 0;
						if (retainedBurst) {
							if (selected) newestRetained = event;
							burstGoesOn();
						} else if (selected) {
							resolve(event);
						}
					},
					onSubscribed: burstGoesOn,
					onReplayIdExpired: () => undefined,
					onFatal: reject,
					log: (message) => this.ctx.logger.info(`${LOG_PREFIX} ${message}`),
				});
				deadline = setTimeout(() => {
					if (newestRetained) resolve(newestRetained);
					else reject(this.noEventError());
				}, settings.testEventWaitMs);
				this.stream.start(settings.timeoutMs).catch(reject);
			});
		} finally {
			clearTimeout(quietTimer);
			clearTimeout(deadline);
			await this.close();
		}
	}

	private noEventError() {
		const { sobject, testEventWaitMs } = this.settings;
		return new NodeOperationError(this.client.node, `No matching ${sobject} change event in the last 72 hours, nor within ${testEventWaitMs / 1000} s`, {
			description: `Create or change a ${sobject} record in Salesforce while the trigger listens (Options → Test Event Wait), and check that the Events and Field Changes filters let it through.`,
		});
	}
}
