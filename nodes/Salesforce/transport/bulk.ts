import type { Connection } from 'jsforce';

import { withoutAttributes, type SalesforceRecord, type SaveResult } from './types';

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete';

/**
 * Bulk API 2.0 ingest job; results mapped back to input order. Salesforce returns result rows in no particular
 * order, echoing the submitted columns, so rows are matched on Id (update, delete), on the external ID (upsert),
 * or on the full submitted row (insert; identical rows are interchangeable).
 */
export async function bulkIngest(
	conn: Connection,
	operation: BulkOperation,
	sobject: string,
	records: SalesforceRecord[],
	externalIdField?: string,
): Promise<SaveResult[]> {
	const columns = [...new Set(records.flatMap((record) => Object.keys(withoutAttributes(record))))];
	const rows = records.map((record) =>
		Object.fromEntries(columns.map((column) => [column, csvValue(record[column])])),
	);
	const outcome = await conn.bulk2.loadAndWaitForResults({
		object: sobject,
		operation,
		externalIdFieldName: externalIdField,
		input: rows,
		pollInterval: 500,
		pollTimeout: 30 * 60 * 1000,
	});
	const keyOf = (row: Record<string, unknown>) => {
		if (operation === 'update' || operation === 'delete') return String(row.Id ?? '').slice(0, 15);
		if (operation === 'upsert') return String(row[String(externalIdField)] ?? '');
		return JSON.stringify(columns.map((column) => row[column] ?? ''));
	};
	const byKey = new Map<string, SaveResult[]>();
	const add = (row: Record<string, unknown>, result: SaveResult) => {
		const key = keyOf(row);
		byKey.set(key, [...(byKey.get(key) ?? []), result]);
	};
	for (const row of outcome.successfulResults as Array<Record<string, unknown>>) {
		add(row, { id: String(row.sf__Id), success: true, created: String(row.sf__Created) === 'true', errors: [] });
	}
	for (const row of outcome.failedResults as Array<Record<string, unknown>>) {
		add(row, { id: row.sf__Id ? String(row.sf__Id) : undefined, success: false, errors: [bulkError(String(row.sf__Error))] });
	}
	for (const row of outcome.unprocessedRecords as Array<Record<string, unknown>>) {
		add(row, { success: false, errors: [{ statusCode: 'UNPROCESSED', message: 'Salesforce did not process this row (the job was aborted or failed)' }] });
	}
	return rows.map((row) => byKey.get(keyOf(row))?.shift() ?? {
		success: false,
		errors: [{ statusCode: 'UNKNOWN', message: 'Salesforce returned no result for this row' }],
	});
}

function csvValue(value: unknown): string {
	if (value === null) return '#N/A';
	if (value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function bulkError(text: string): { statusCode: string; message: string; fields?: string[] } {
	const match = /^([A-Z_]+):(.*?)(?::(.*))?$/.exec(text);
	if (!match) return { statusCode: 'BULK_ERROR', message: text };
	const fields = match[3]?.split(',').map((field) => field.trim()).filter(Boolean);
	return { statusCode: match[1], message: match[2].trim(), ...(fields?.length ? { fields } : {}) };
}
