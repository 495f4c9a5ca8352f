// Durable replay: where the trigger's subscription starts, kept in the workflow's static data ("Message Durability",
// Streaming API Developer Guide: replay -1 new events, -2 every retained event, an ID the events after it; events are
// retained 72 hours). Pure code: no I/O. n8n saves static data when the trigger emits and after activation.
import { REPLAY_NEW, REPLAY_RETAINED } from '../transport/streaming';
import type { ChangeEvent } from './events';

/** The node's static data. */
export interface InstantMemory {
	/** The channel the replay ID belongs to; another channel starts over. */
	channel?: string;
	/** The last processed event's replay ID: a new subscription asks for the events after it. */
	replayId?: number;
	/** When the last processed event was committed (ms since 1970), to name a gap. */
	commitTimestamp?: number;
	/**
	 * Listening for new events since this moment on Salesforce's clock (the object's newest SystemModstamp at the first
	 * activation, ms), no event processed yet: a later subscription replays the retained events from then on.
	 */
	listeningSince?: number;
	/** Resume with the oldest retained event (Start With: all retained events, or the replay ID expired). */
	fromRetained?: boolean;
	/** A replay ID Salesforce no longer retained: the records changed after `after` are to be reconciled. */
	gap?: ReplayGap;
}

export interface ReplayGap {
	/** The expired replay ID. */
	replayId: number;
	/** The last processed event's commit time (ms), if known: the gap starts there. */
	after?: number;
}

export type StartWith = 'new' | 'retained';

/** Static data for an activation on `channel`: what another channel stored is dropped. */
export function forChannel(memory: InstantMemory, channel: string): void {
	if (memory.channel === channel) return;
	for (const key of Object.keys(memory) as Array<keyof InstantMemory>) delete memory[key];
	memory.channel = channel;
}

/** Whether the trigger has never listened on this channel: the first activation decides where it starts. */
export const isFirstActivation = (memory: InstantMemory): boolean =>
	memory.replayId === undefined && !memory.fromRetained && memory.listeningSince === undefined;

/**
 * The first activation starts: with every retained event, or with new ones from `salesforceNow` (Salesforce's time,
 * so that a restart before the first event takes what was published since from the retained events).
 */
export function beginListening(memory: InstantMemory, startWith: StartWith, salesforceNow: number): void {
	if (startWith === 'retained') memory.fromRetained = true;
	else memory.listeningSince = salesforceNow;
}

/**
 * The replay ID a subscription starts from. `fresh`: the first subscription of the first activation, which asks for
 * new events only; any later one that has processed no event yet replays the retained ones (see precedesListening).
 */
export function replayFrom(memory: InstantMemory, fresh: boolean): number {
	if (memory.replayId !== undefined) return memory.replayId;
	if (memory.fromRetained || (memory.listeningSince !== undefined && !fresh)) return REPLAY_RETAINED;
	return REPLAY_NEW;
}

/**
 * An event committed before the trigger began listening, replayed from the retained ones. SystemModstamp has whole
 * seconds: events of the starting second count as before it. (An event committed in that second after the first
 * activation is lost only if n8n restarts before any event arrives, which a busy object makes nearly instant.)
 */
export function precedesListening(memory: InstantMemory, event: ChangeEvent): boolean {
	return memory.replayId === undefined && memory.listeningSince !== undefined && event.commitTimestamp < (Math.floor(memory.listeningSince / 1000) + 1) * 1000;
}

/** The event is processed (emitted or filtered out): the next subscription starts after it. */
export function recordProcessed(memory: InstantMemory, event: ChangeEvent): void {
	memory.replayId = event.replayId;
	if (Number.isFinite(event.commitTimestamp)) memory.commitTimestamp = event.commitTimestamp;
	delete memory.listeningSince;
	delete memory.fromRetained;
}

/**
 * Salesforce no longer retains the replay ID: resume from the oldest retained event, keep what is known of the gap
 * (reconciled later if the user wants it, see `gapToReconcile`).
 */
export function recordExpired(memory: InstantMemory, replayId: number, reconcile: boolean): ReplayGap {
	const gap: ReplayGap = { replayId, after: memory.commitTimestamp };
	delete memory.replayId;
	delete memory.listeningSince;
	memory.fromRetained = true;
	if (reconcile && gap.after !== undefined) memory.gap = gap;
	return gap;
}

const iso = (milliseconds: number) => new Date(milliseconds).toISOString();

/** The warning item's text: which events are gone, and what the trigger did about it. */
export function gapMessage(gap: ReplayGap, sobject: string, reconcile: boolean): string {
	const since = gap.after === undefined ? '' : ` (the last processed change was committed ${iso(gap.after)})`;
	const next =
		reconcile && gap.after !== undefined
			? ` The ${sobject} records changed in between follow as items with $event.type "reconciled".`
			: ` Turn on Options → Reconcile Missed Changes to read the ${sobject} records changed in between.`;
	return `Salesforce no longer retains the ${sobject} change events after replay ID ${gap.replayId}${since}: it keeps them 72 hours. The trigger resumed with the oldest event Salesforce still has; changes in between are missing.${next}`;
}
