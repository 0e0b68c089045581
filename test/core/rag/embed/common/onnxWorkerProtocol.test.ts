// The embedding worker's messages are checked on arrival: good ones pass through unchanged,
// malformed ones are bugs (BugIndicatingError), never acted on.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BugIndicatingError } from '../../../../../core/base/common/errors.js';
import { parseFromWorker, parseToWorker, parseWorkerInit } from '../../../../../core/rag/embed/common/onnxWorkerProtocol.js';

const INIT = { model: '/m', local: true, dtype: 'fp32', subfolder: 'onnx', pooling: 'mean', normalize: true, maxLength: 512, batchSize: 16 };

describe('embedding worker protocol', () => {
  it('accepts well-formed messages', () => {
    const embed = { type: 'embed', requestId: 3, texts: ['a', 'b'] };
    assert.equal(parseToWorker(embed), embed);
    assert.deepEqual(parseToWorker({ type: 'cancel', requestId: 3 }), { type: 'cancel', requestId: 3 });
    const result = { type: 'result', requestId: 3, dimension: 2, vectors: new Float32Array(4) };
    assert.equal(parseFromWorker(result), result);
    assert.deepEqual(parseFromWorker({ type: 'ready', dimension: 64 }), { type: 'ready', dimension: 64 });
    assert.deepEqual(parseFromWorker({ type: 'error', requestId: null, message: 'x' }), { type: 'error', requestId: null, message: 'x' });
    assert.deepEqual(parseFromWorker({ type: 'cancelled', requestId: 1 }), { type: 'cancelled', requestId: 1 });
    assert.equal(parseWorkerInit(INIT), INIT);
  });

  it('refuses malformed ones', () => {
    const bad = [
      () => parseToWorker({ type: 'embed', requestId: -1, texts: [] }),
      () => parseToWorker({ type: 'embed', requestId: 1, texts: [1] }),
      () => parseToWorker({ type: 'stop' }),
      () => parseToWorker(null),
      () => parseFromWorker({ type: 'result', requestId: 1, dimension: 3, vectors: new Float32Array(4) }),
      () => parseFromWorker({ type: 'result', requestId: 1, dimension: 2, vectors: [0, 0] }),
      () => parseFromWorker({ type: 'ready', dimension: 0 }),
      () => parseFromWorker({ type: 'error', requestId: 'x', message: 'm' }),
      () => parseWorkerInit({ ...INIT, pooling: 'max' }),
      () => parseWorkerInit({ ...INIT, batchSize: 0 }),
    ];
    for (const call of bad) assert.throws(call, BugIndicatingError);
  });
});
