// CSV as Bulk API 2.0 reads and writes it: a header row, "quoted" fields with "" escapes, LF or CRLF lines.
export function parseCsv(text: string, delimiter = ','): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let value = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				value += '"';
				i++;
			} else if (c === '"') quoted = false;
			else value += c;
		} else if (c === '"') quoted = true;
		else if (c === delimiter) {
			row.push(value);
			value = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(value);
			rows.push(row);
			row = [];
			value = '';
		} else value += c;
	}
	if (value !== '' || row.length) {
		row.push(value);
		rows.push(row);
	}
	return rows.filter((r) => r.length > 1 || r[0] !== '');
}

export function toCsv(header: string[], rows: unknown[][]): string {
	const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);
	return [header.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}
