// `pinpoint generate`: completes a prompt with a local model, streaming the text (or printing one
// JSON object with --json). The prompt is tokenized as llama.cpp does for completion: special
// tokens parsed, BOS added when the model's metadata asks for it.

import { defineCommand } from '../args.js';
import { loadLanguageModel } from '../../engine/node/loadLanguageModel.js';
import { BACKEND_NAMES } from '../../engine/node/backends.js';
import { EXIT_OK } from '../exitCodes.js';
import { command } from './command.js';

const spec = defineCommand({
  name: 'generate',
  summary: 'Complete a prompt with a local model (GGUF file or Hugging Face folder).',
  flags: {
    model: { type: 'string', required: true, valueName: 'PATH', description: 'Model: a .gguf file or a Hugging Face model folder.' },
    prompt: { type: 'string', required: true, valueName: 'TEXT', description: 'Text to complete.' },
    maxTokens: { type: 'int', default: 256, min: 0, max: 1 << 20, description: 'Tokens to generate at most.' },
    temperature: { type: 'float', default: 0.8, min: 0, description: 'Sampling temperature; 0 = greedy.' },
    topK: { type: 'int', default: 40, min: 0, description: 'Keep the K most likely tokens; 0 = off.' },
    topP: { type: 'float', default: 0.95, min: 0, max: 1, description: 'Nucleus sampling threshold; 1 = off.' },
    minP: { type: 'float', default: 0.05, min: 0, max: 1, description: 'Drop tokens below P x the top probability; 0 = off.' },
    repeatPenalty: { type: 'float', default: 1, min: 0, minExclusive: true, description: 'Penalty for repeated tokens; 1 = off.' },
    seed: { type: 'int', min: 0, description: 'Random seed, for reproducible sampling (default: random).' },
    backend: { type: 'enum', values: BACKEND_NAMES, default: 'cpu', description: 'Compute backend: cpu, webgpu (Dawn: a GPU, or SwiftShader on the CPU), or auto (webgpu on a hardware GPU, else cpu).' },
    threads: { type: 'int', min: 1, max: 256, description: 'CPU threads (default: all cores).' },
    contextLength: { type: 'int', min: 1, description: 'KV cache length in tokens (default: min(model, 4096)).' },
    json: { type: 'boolean', description: 'Print one JSON object {text, tokens, stats} instead of streaming.' },
  },
});

export const generateCommand = command(spec, async (flags, _positionals, io) => {
  const loaded = await loadLanguageModel(flags.model, {
    backend: flags.backend, threads: flags.threads, contextLength: flags.contextLength, signal: io.signal,
  });
  try {
    const { model } = loaded;
    const prompt = model.tokenizer.encode(flags.prompt, { addSpecial: true, parseSpecial: true });
    const generation = model.generate(prompt, {
      maxTokens: flags.maxTokens,
      signal: io.signal,
      sampling: {
        temperature: flags.temperature, topK: flags.topK, topP: flags.topP, minP: flags.minP,
        repetitionPenalty: flags.repeatPenalty, seed: flags.seed,
      },
    });
    if (!flags.json) {
      io.stdout.write(flags.prompt);
      for await (const delta of generation) io.stdout.write(delta.text);
      io.stdout.write('\n');
    }
    const result = await generation.result();
    if (flags.json) {
      io.stdout.write(JSON.stringify({ text: result.text, tokens: result.tokens, stopReason: result.stopReason, stats: result.stats }) + '\n');
    } else {
      const s = result.stats;
      io.stderr.write(`[${s.promptTokens} prompt tokens at ${s.prefillTokensPerSecond.toFixed(1)} tok/s, ${s.generatedTokens} generated at ${s.decodeTokensPerSecond.toFixed(1)} tok/s; stop: ${result.stopReason}; ${s.backend}, ${s.threads} threads]\n`);
    }
    return EXIT_OK;
  } finally {
    await loaded.dispose();
  }
});
