// Build step after `tsc`: n8n loads node and credential icons from dist/, next to the compiled files that
// reference them as `file:../../icons/…` (nodes/Salesforce) and `file:../icons/…` (credentials).
const { src, dest, series } = require('gulp');

function copyIcons() {
	return src('icons/*.svg').pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports.build = series(copyIcons, copyCodex);
