import { errorCodeOf } from './errors';
import type { DescribeResult } from './types';

/**
 * How long a describe result serves executions without asking Salesforce. Older, it is revalidated with
 * If-Modified-Since: one call, answered 304 Not Modified without a body when nothing changed.
 */
export const DESCRIBE_FRESH_FOR_MS = 10 * 60_000;

/** Objects (per credential) whose describe the process keeps; the least recently checked goes first beyond this. */
const MAX_SHARED = 500;

/** A describe Salesforce gave, the HTTP date to revalidate it with, and when it was last fetched or confirmed. */
interface SharedDescribe {
	result: DescribeResult;
	/** If-Modified-Since for its revalidation: the answer's date minus a second (HTTP dates have whole seconds). */
	since: string;
	checkedAt: number;
}

/** What sObject Describe answered: its result, or `undefined` for 304 Not Modified; `date`: its HTTP date, if any. */
export interface DescribeAnswer {
	result?: DescribeResult;
	date?: string;
}

/** sObject Describe, conditional when `ifModifiedSince` is given; SalesforceClient provides it. */
export type FetchDescribe = (sobject: string, ifModifiedSince?: string) => Promise<DescribeAnswer>;

/** The describes of every client of the process, by client scope (credential, instance, API version) and object. */
const shared = new Map<string, SharedDescribe>();

/**
 * Describe results shared across executions, triggers and editor calls of the same credential (describe depends on
 * the user's field-level security, hence the credential in the scope). One instance per client: it revalidates an
 * object at most once per execution, so a stale result costs at most one call per execution, and a failure is never
 * shared with another execution (each execution asks on its own session).
 */
export class DescribeCache {
	/** Revalidations made by this client, by key: each object is revalidated at most once. */
	private readonly revalidations = new Map<string, Promise<SharedDescribe>>();

	constructor(
		private readonly fetchDescribe: FetchDescribe,
		private readonly scope: () => string,
	) {}

	/**
	 * The object's describe: the shared result while it was checked within `maxAgeMs`, otherwise revalidated (or
	 * fetched, the first time). `maxAgeMs: 0` asks Salesforce every time this client has not asked yet.
	 */
	async describe(sobject: string, maxAgeMs: number): Promise<DescribeResult> {
		const key = this.keyOf(sobject);
		const revalidation = this.revalidations.get(key);
		if (revalidation) return (await revalidation).result;
		const entry = shared.get(key);
		if (entry && Date.now() - entry.checkedAt < maxAgeMs) return entry.result;
		return (await this.revalidate(key, sobject)).result;
	}

	/**
	 * The object's describe as Salesforce has it now: revalidated unless this client already did (then its result
	 * is returned without a call). For a name Salesforce refused, or a SOQL field it did not know.
	 */
	async revalidated(sobject: string): Promise<DescribeResult> {
		const key = this.keyOf(sobject);
		return (await (this.revalidations.get(key) ?? this.revalidate(key, sobject))).result;
	}

	private keyOf(sobject: string): string {
		return `${this.scope()}|${sobject.toLowerCase()}`;
	}

	private revalidate(key: string, sobject: string): Promise<SharedDescribe> {
		const cached = shared.get(key);
		const revalidation = this.fetchDescribe(sobject, cached?.since).then(
			({ result, date }) => {
				// 304 Not Modified (result undefined) answers a conditional request only, sent when `cached` exists.
				const checked = result ? { result, since: sinceOf(date), checkedAt: Date.now() } : { ...cached!, checkedAt: Date.now() };
				shared.delete(key);
				shared.set(key, checked);
				if (shared.size > MAX_SHARED) shared.delete(shared.keys().next().value!);
				return checked;
			},
			(error: unknown) => {
				if (errorCodeOf(error) === 'NOT_FOUND') shared.delete(key);
				throw error;
			},
		);
		this.revalidations.set(key, revalidation);
		revalidation.catch(() => this.revalidations.delete(key));
		return revalidation;
	}
}

/**
 * The If-Modified-Since that asks for any change after an answer dated `date`: a second earlier, since HTTP dates
 * drop the milliseconds (a change in the answer's own second is not missed). Without a date, the local clock's.
 */
function sinceOf(date: string | undefined): string {
	const answeredAt = date ? Date.parse(date) : NaN;
	return new Date((Number.isNaN(answeredAt) ? Date.now() : answeredAt) - 1000).toUTCString();
}
