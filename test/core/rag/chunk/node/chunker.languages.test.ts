// One realistic file per language: chunks fall on function, class and method boundaries, with
// exact line ranges and the enclosing signatures as context (budgets small enough that classes
// are split into their methods).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createChunker } from '../../../../../core/rag/chunk/node/chunker.js';
import { codeDocument, countWords, coverageProblems, fixture, outline } from '../support.js';

interface Case {
  readonly language: string;
  readonly file: string;
  readonly budget: number;
  readonly expected: [number, number, string][];
}

const CACHE = 'export class Cache<V>';
const WALKER = 'class Walker';
const CART = 'public class Cart';
const POLYGON = 'namespace geometry > class Polygon';
const INVOICES = 'namespace Shop.Billing > public class InvoiceService';

const CASES: Case[] = [
  {
    language: 'typescript',
    file: 'typescript.ts.txt',
    budget: 56,
    expected: [
      [1, 5, ''],
      [7, 9, CACHE],
      [11, 11, `${CACHE} > constructor(private readonly limit: number)`],
      [13, 21, `${CACHE} > get(key: string): V | undefined`],
      [23, 30, `${CACHE} > set(key: string, value: V): void`],
      [32, 39, 'export async function loadConfig(path: string, options: Options): Promise<Record<string, unknown>>'],
      [41, 44, 'export const double = (x: number): number =>'],
    ],
  },
  {
    language: 'python',
    file: 'python.py.txt',
    budget: 56,
    expected: [
      [1, 5, ''],
      [8, 9, WALKER],
      [11, 13, `${WALKER} > def __init__(self, root: str, depth: int = MAX_DEPTH) -> None`],
      [15, 24, `${WALKER} > def walk(self, path: Optional[str] = None) -> list[str]`],
      [26, 28, `${WALKER} > def is_hidden(name: str) -> bool`],
      [31, 35, 'def main(argv: list[str]) -> int'],
      [38, 39, ''],
    ],
  },
  {
    language: 'go',
    file: 'go.go.txt',
    budget: 56,
    expected: [
      [1, 8, ''],
      [10, 15, 'type Server struct'],
      [17, 22, 'func NewServer(name string) *Server'],
      [24, 32, 'func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request)'],
    ],
  },
  {
    language: 'rust',
    file: 'rust.rs.txt',
    budget: 56,
    expected: [
      [1, 4, ''],
      [6, 10, 'pub struct Counter'],
      [12, 21, 'impl Counter > pub fn add(&mut self, text: &str) -> usize'],
      [23, 29, 'impl Counter > pub fn top(&self, n: usize) -> Vec<(&String, &usize)>'],
      [31, 35, 'impl fmt::Display for Counter'],
    ],
  },
  {
    language: 'java',
    file: 'java.java.txt',
    budget: 56,
    expected: [
      [1, 4, ''],
      [6, 8, CART],
      [10, 11, `${CART} > public Cart()`],
      [13, 22, `${CART} > public void add(Item item)`],
      [24, 32, `${CART} > public String toString()`],
    ],
  },
  {
    language: 'c',
    file: 'c.c.txt',
    budget: 56,
    expected: [
      [1, 4, ''],
      [6, 10, 'struct buffer'],
      [12, 25, 'static int grow(struct buffer *b, size_t needed)'],
      [27, 37, 'int main(int argc, char **argv)'],
    ],
  },
  {
    language: 'cpp',
    file: 'cpp.cpp.txt',
    budget: 48,
    expected: [
      [1, 2, ''],
      [4, 8, POLYGON],
      [9, 9, `${POLYGON} > explicit Polygon(std::vector<double> xs) : xs_(std::move(xs))`],
      [11, 17, `${POLYGON} > double perimeter() const`],
      [19, 21, POLYGON],
      [23, 31, 'namespace geometry > template <typename T> T clamp(T value, T low, T high)'],
    ],
  },
  {
    language: 'csharp',
    file: 'csharp.cs.txt',
    budget: 56,
    expected: [
      [1, 2, ''],
      [4, 9, INVOICES],
      [11, 14, `${INVOICES} > public InvoiceService(decimal taxRate)`],
      [16, 25, `${INVOICES} > public decimal Total(IEnumerable<decimal> amounts)`],
      [27, 29, `${INVOICES} > public string Currency`],
    ],
  },
];

for (const { language, file, budget, expected } of CASES) {
  test(`${language}: chunks follow units, with exact lines and signatures`, async () => {
    const text = fixture(file);
    const chunks = await createChunker({ countTokens: countWords, budget }).chunk(codeDocument(text, language), '/repo');
    assert.deepEqual(outline(chunks), expected);
    assert.deepEqual(coverageProblems(text, chunks, budget), []);
    for (const chunk of chunks) {
      assert.equal(chunk.language, language);
      assert.equal(chunk.root, '/repo');
    }
  });
}

test('at the default budget each file is a few whole units, and whole classes carry their own signature', async () => {
  const chunks = await createChunker({ countTokens: countWords }).chunk(codeDocument(fixture('java.java.txt'), 'java'), '/r');
  assert.deepEqual(outline(chunks), [
    [1, 4, ''],
    [6, 32, 'public class Cart'],
  ]);
});
