// Grammars beyond the required eight that tree-sitter-wasms ships and the chunker knows: Ruby,
// PHP, Kotlin, Swift, Scala and Bash units are found with their signatures, lines covered.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createChunker } from '../../../../../core/rag/chunk/node/chunker.js';
import { codeDocument, countWords, coverageProblems, fixture, outline } from '../support.js';

const CASES: [string, string, [number, number, string][]][] = [
  ['ruby', 'ruby.rb.txt', [[1, 10, 'module Shop'], [11, 13, 'def helper(x)']]],
  ['php', 'php.php.txt', [[1, 1, ''], [2, 2, 'namespace App;'], [3, 7, 'class Cart extends Base'], [8, 8, 'interface Shape'], [9, 9, 'trait Loggable'], [10, 10, 'function helper($x)']]],
  ['kotlin', 'kotlin.kt.txt', [[1, 1, ''], [2, 6, 'class Cart(val id: Int)'], [7, 7, 'object Registry'], [8, 8, 'interface Shape'], [9, 9, 'fun helper(x: Int): Int']]],
  ['swift', 'swift.swift.txt', [[1, 1, ''], [2, 6, 'class Cart: Base'], [7, 7, 'struct Point'], [8, 8, 'protocol Shape'], [9, 9, 'extension Cart'], [10, 10, 'func helper(x: Int) -> Int']]],
  ['scala', 'scala.scala.txt', [[1, 1, ''], [2, 6, 'class Cart(id: Int) extends Base'], [7, 7, 'object Registry'], [8, 8, 'trait Shape'], [9, 9, 'def helper(x: Int): Int =']]],
  ['bash', 'bash.sh.txt', [[1, 2, ''], [3, 5, 'build()'], [6, 8, 'function clean']]],
];

for (const [language, file, expected] of CASES) {
  test(`${language}: units with signatures, every line covered at any budget`, async () => {
    const text = fixture(`more/${file}`);
    const chunks = await createChunker({ countTokens: countWords, budget: 24 }).chunk(codeDocument(text, language), '/r');
    assert.deepEqual(outline(chunks), expected);
    for (const budget of [8, 16, 24]) {
      const small = await createChunker({ countTokens: countWords, budget }).chunk(codeDocument(text, language), '/r');
      assert.deepEqual(coverageProblems(text, small, budget), [], `budget ${budget}`);
    }
  });
}

test('a Ruby method split out of its class keeps the class in its context', async () => {
  const chunks = await createChunker({ countTokens: countWords, budget: 16 }).chunk(codeDocument(fixture('more/ruby.rb.txt'), 'ruby'), '/r');
  assert.ok(chunks.some((c) => c.context === 'class Cart < Base > def add(item)' && c.startLine === 3 && c.endLine === 5));
});
