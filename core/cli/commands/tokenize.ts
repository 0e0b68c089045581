// `pinpoint tokenize`: the token ids of a text alone, as llama.cpp's llama_tokenize with
// add_special = false and parse_special = --special.

import { defineCommand } from '../args.js';
import { openModel } from '../../engine/node/openModel.js';
import { EXIT_OK } from '../exitCodes.js';
import { command } from './command.js';

const spec = defineCommand({
  name: 'tokenize',
  summary: "Print the token ids of a text with a model's tokenizer.",
  flags: {
    model: { type: 'string', required: true, valueName: 'PATH', description: 'Model: a .gguf file or a Hugging Face model folder.' },
    text: { type: 'string', required: true, valueName: 'TEXT', description: 'Text to tokenize.' },
    special: { type: 'boolean', description: 'Recognize special tokens written in the text (e.g. <|im_start|>).' },
    json: { type: 'boolean', description: 'Print {"ids": [...]} instead of one id and piece per line.' },
  },
});

export const tokenizeCommand = command(spec, async (flags, _positionals, io) => {
  const files = await openModel(flags.model);
  try {
    const ids = files.tokenizer.encode(flags.text, { addSpecial: false, parseSpecial: flags.special });
    if (flags.json) {
      io.stdout.write(JSON.stringify({ ids }) + '\n');
    } else {
      for (const id of ids) io.stdout.write(`${id}\t${JSON.stringify(files.tokenizer.tokenText(id))}\n`);
    }
    return EXIT_OK;
  } finally {
    await files.close();
  }
});
