// Embedder specs and ids: every documented form parses, options are typed and checked per kind,
// and ids are stable (sorted options, undefined left out).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArgumentError } from '../../../../../core/base/common/errors.js';
import { formatEmbedderId, shortHash } from '../../../../../core/rag/embed/common/embedderId.js';
import { DEFAULT_EMBEDDER_SPEC, parseEmbedderSpec } from '../../../../../core/rag/embed/common/embedderSpec.js';

describe('embedder specs', () => {
  it('parses every form', () => {
    assert.equal(DEFAULT_EMBEDDER_SPEC, 'static:glove100d');
    assert.deepEqual(parseEmbedderSpec(''), { kind: 'glove', options: {} });
    assert.deepEqual(parseEmbedderSpec('default'), { kind: 'glove', options: {} });
    assert.deepEqual(parseEmbedderSpec('static:glove100d?weighting=mean&a=0.001&maxTokens=100'), { kind: 'glove', options: { weighting: 'mean', a: 0.001, maxTokens: 100 } });
    assert.deepEqual(parseEmbedderSpec('static:glove:/data/glove'), { kind: 'glove', folder: '/data/glove', options: {} });
    assert.deepEqual(parseEmbedderSpec('static:model2vec:models/potion?normalize=false'), { kind: 'model2vec', folder: 'models/potion', options: { normalize: false } });
    assert.deepEqual(parseEmbedderSpec('onnx:C:\\models\\bge?dtype=q8&queryPrefix=query%3A%20'), { kind: 'onnx', folder: 'C:\\models\\bge', options: { dtype: 'q8', queryPrefix: 'query: ' } });
    assert.deepEqual(parseEmbedderSpec('hub:Xenova/bge-small-en-v1.5@v1.0?batchSize=32'), { kind: 'hub', id: 'Xenova/bge-small-en-v1.5', revision: 'v1.0', options: { batchSize: 32 } });
    assert.deepEqual(parseEmbedderSpec('hub:Xenova/all-MiniLM-L6-v2'), { kind: 'hub', id: 'Xenova/all-MiniLM-L6-v2', revision: undefined, options: {} });
  });

  it('refuses unknown forms, unknown options and bad values, naming what is allowed', () => {
    const throwsArgument = (spec: string, pattern: RegExp) => assert.throws(() => parseEmbedderSpec(spec), (e: Error) => e instanceof ArgumentError && pattern.test(e.message));
    throwsArgument('onnx:', /unknown embedder "onnx:"/);
    throwsArgument('static:model2vec?x=1', /unknown embedder/);
    throwsArgument('onnx:/m?weighting=sif', /unknown option "weighting" for a onnx embedder. Should be one of: pooling, normalize, dtype/);
    throwsArgument('onnx:/m?pooling=max', /bad embedder option pooling=max. Should be one of: mean, cls, last/);
    throwsArgument('onnx:/m?dtype=int4', /Should be one of: fp32, fp16, q8/);
    throwsArgument('onnx:/m?batchSize=0', /batchSize=0. Should be a positive integer/);
    throwsArgument('static:glove100d?a=-1', /a=-1. Should be a positive number/);
    throwsArgument('static:model2vec:/m?normalize=yes', /Should be one of: true, false/);
  });

  it('parses openai:<model> with its server, URL-encoded or not, and the remote options', () => {
    const encoded = 'openai:nomic-embed-text?baseUrl=http%3A%2F%2F127.0.0.1%3A11434%2Fv1';
    assert.deepEqual(parseEmbedderSpec(encoded), { kind: 'openai', model: 'nomic-embed-text', baseUrl: 'http://127.0.0.1:11434/v1', options: {} });
    assert.deepEqual(parseEmbedderSpec('openai:nomic-embed-text?baseUrl=http://127.0.0.1:11434'), { kind: 'openai', model: 'nomic-embed-text', baseUrl: 'http://127.0.0.1:11434', options: {} });
    assert.deepEqual(
      parseEmbedderSpec('openai:hf.co/org/bge-m3:Q8_0?batchSize=16&baseUrl=https%3A%2F%2Fembed.example.com%2Fapi%2Fv1&dimensions=256&encoding=base64&maxTokens=8000&queryPrefix=query%3A%20&documentPrefix='),
      {
        kind: 'openai', model: 'hf.co/org/bge-m3:Q8_0', baseUrl: 'https://embed.example.com/api/v1',
        options: { batchSize: 16, dimensions: 256, encoding: 'base64', maxTokens: 8000, queryPrefix: 'query: ', documentPrefix: '' },
      },
    );
  });

  it('refuses a bad openai spec: no model, no server, a bad URL or scheme, an unknown option, an API key', () => {
    const throwsArgument = (spec: string, pattern: RegExp) => assert.throws(() => parseEmbedderSpec(spec), (e: Error) => e instanceof ArgumentError && pattern.test(e.message));
    throwsArgument('openai:?baseUrl=http%3A%2F%2F127.0.0.1', /an openai embedder needs a model name: openai:<model>\?baseUrl=<url>/);
    throwsArgument('openai:nomic-embed-text', /the openai embedder "nomic-embed-text" needs its server: add \?baseUrl=<url, URL-encoded>, e\.g\. openai:nomic-embed-text\?baseUrl=http%3A%2F%2F127\.0\.0\.1%3A11434/);
    throwsArgument('openai:m?baseUrl=not%20a%20url', /bad embedder option baseUrl: Invalid server URL: "not a url". Should be an http or https URL/);
    throwsArgument('openai:m?baseUrl=ftp%3A%2F%2Fhost%2Fv1', /bad embedder option baseUrl: Unsupported server URL scheme: "ftp". Should be one of: http, https/);
    throwsArgument('openai:m?baseUrl=http%3A%2F%2Fuser%3Asecret%40host', /^bad embedder option baseUrl: The server URL http:\/\/host has credentials in it; put the key in the apiKey setting instead\.$/);
    throwsArgument('openai:m?baseUrl=http%3A%2F%2Fhost&pooling=cls', /unknown option "pooling" for a openai embedder. Should be one of: baseUrl, batchSize, dimensions, encoding, maxTokens, queryPrefix, documentPrefix/);
    throwsArgument('openai:m?baseUrl=http%3A%2F%2Fhost&apiKey=sk-1', /unknown option "apiKey"/);
    throwsArgument('openai:m?baseUrl=http%3A%2F%2Fhost&encoding=fp16', /bad embedder option encoding=fp16. Should be one of: float, base64/);
    throwsArgument('openai:m?baseUrl=http%3A%2F%2Fhost&dimensions=0', /dimensions=0. Should be a positive integer/);
    throwsArgument('word2vec:x', /Should be one of: .*hub:<owner\/name>\[@revision\], openai:<model>\?baseUrl=<url>/);
  });
});

describe('embedder ids', () => {
  it('sort options and leave out undefined ones', () => {
    assert.equal(formatEmbedderId({ kind: 'onnx', name: 'bge', version: 'abc', options: { pooling: 'cls', dtype: 'fp32', prompts: undefined, normalize: true } }), 'onnx:bge@abc?dtype=fp32&normalize=true&pooling=cls');
    assert.equal(formatEmbedderId({ kind: 'static:glove', name: 'g', version: 'v', options: {} }), 'static:glove:g@v');
    assert.equal(formatEmbedderId({ kind: 'hub', name: 'a/b', version: 'main', options: { q: 'a b&c' } }), 'hub:a/b@main?q=a%20b%26c');
  });

  it('shortHash is stable and distinguishes prompts', () => {
    assert.equal(shortHash(''), '811c9dc5');
    assert.equal(shortHash('query: \0passage: '), shortHash('query: \0passage: '));
    assert.notEqual(shortHash('query: \0passage: '), shortHash('query: \0'));
    assert.match(shortHash('x'), /^[0-9a-f]{8}$/);
  });
});
