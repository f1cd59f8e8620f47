// Lints Cypher statements with Neo4j's own parser and semantic analysis (@neo4j-cypher/language-support, the library
// behind Neo4j's editors), for tests/test_cypher_lint.py.
//
// stdin: a JSON list of {"name": ..., "statement": ...}
// stdout: a JSON object {name: [diagnostic, ...]}, every statement linted once per Cypher language version Neo4j
//         accepts (CYPHER 5, CYPHER 25); each diagnostic is {version, severity, message, line, column, offset, text}
//         (line and column 1-based; severity 1 error, 2 warning, 3 information, 4 hint).
//
// The schema given is empty but for the language, so nothing is flagged for labels, relationship types, properties,
// functions or procedures the linter cannot know; parameters are always reported as undeclared, and the test drops
// those (the rule is kept in Python, where it is visible).
import { createRequire } from 'node:module';

// The package's ES-module build imports its files without extensions, which Node does not resolve: its CommonJS
// build is the one Node can load.
const { lintCypherQuery } = createRequire(import.meta.url)('@neo4j-cypher/language-support');

const VERSIONS = ['CYPHER 5', 'CYPHER 25'];

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (chunk) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function lint(statement) {
  const out = [];
  for (const version of VERSIONS) {
    for (const d of lintCypherQuery(statement, { defaultLanguage: version }, false)) {
      out.push({
        version,
        severity: d.severity,
        message: d.message,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        offset: d.offsets?.start ?? null,
        text: d.offsets ? statement.slice(d.offsets.start, d.offsets.end) : null,
      });
    }
  }
  return out;
}

const items = JSON.parse(await readStdin());
if (!Array.isArray(items)) throw new Error('stdin: a JSON list of {name, statement}');
const result = {};
for (const { name, statement } of items) {
  if (typeof name !== 'string' || typeof statement !== 'string') {
    throw new Error(`not {name, statement}: ${JSON.stringify({ name })}`);
  }
  if (name in result) throw new Error(`statement name given twice: ${name}`);
  result[name] = lint(statement);
}
process.stdout.write(JSON.stringify(result) + '\n');
